"""The scorecards demo data of Cluster No. 4, loaded by `manage.py load_demo` after the clusters
demo: the 2020 ranking matches the published awards, the 2021 year is in progress, and a
second load changes nothing."""

import datetime
import hashlib
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import F

from clusters.models import ClusterYear
from common.uploads import sniff
from scorecards.models import (
    Campaign,
    CriteriaSet,
    Criterion,
    Evidence,
    GradeBand,
    Indicator,
    Pledge,
    RankingPublication,
    Score,
    Scorecard,
    ScoringPolicy,
)
from scorecards.selectors import ranking
from scorecards.services import criteria as criteria_services
from tests import demo as whole_demo

# The fixtures of the whole demo, loaded once for the module.
demo, demo_media = whole_demo.demo, whole_demo.demo_media
_demo_loaded, _demo_settings = whole_demo._demo_loaded, whole_demo._demo_settings

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # loads the whole demo
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MEMBERS = [
    "Bà Rịa - Vũng Tàu",
    "Bình Dương",
    "Bình Phước",
    "Bình Thuận",
    "Đồng Nai",
    "Lâm Đồng",
    "Long An",
    "Ninh Thuận",
    "Tây Ninh",
    "Tiền Giang",
    "TP. Hồ Chí Minh",
]


@pytest.fixture(autouse=True)
def _demo_everywhere(_demo_settings):
    """Every test of the module runs with the demo's settings (DEBUG, its media folder)."""


def _year(year: int) -> ClusterYear:
    return ClusterYear.objects.get(cluster__number=4, year=year)


def _row_counts() -> dict[str, int]:
    """Rows of every model, history tables included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_2020_ranking_matches_the_published_awards(demo):
    rows = ranking(cluster_year=_year(2020))
    # Emulation flag: Lâm Đồng, Tây Ninh; certificates of merit: the next four.
    assert [row.unit.short_name for row in rows[:6]] == [
        "Lâm Đồng",
        "Tây Ninh",
        "Bà Rịa - Vũng Tàu",
        "Tiền Giang",
        "Long An",
        "Đồng Nai",
    ]
    assert [(row.rank, row.unit.short_name, row.sheet.total, row.grade) for row in rows] == [
        (1, "Lâm Đồng", Decimal("99"), "Xuất sắc"),
        (2, "Tây Ninh", Decimal("98"), "Xuất sắc"),
        (3, "Bà Rịa - Vũng Tàu", Decimal("96.5"), "Xuất sắc"),
        (4, "Tiền Giang", Decimal("94"), "Tốt"),
        (5, "Long An", Decimal("92.5"), "Tốt"),
        (6, "Đồng Nai", Decimal("92.5"), "Tốt"),
        (7, "Bình Dương", Decimal("89.5"), "Tốt"),
        (8, "TP. Hồ Chí Minh", Decimal("89"), "Tốt"),
        (9, "Bình Thuận", Decimal("86.5"), "Tốt"),
        (10, "Bình Phước", Decimal("84"), "Khá"),
        (11, "Ninh Thuận", Decimal("81.5"), "Khá"),
    ]
    # Long An and Đồng Nai tie on the total; Long An has the higher base points.
    long_an, dong_nai = rows[4].sheet, rows[5].sheet
    assert (long_an.base, dong_nai.base) == (Decimal("91.5"), Decimal("91"))
    assert not rows[5].tied_with_previous
    assert {row.sheet.missing for row in rows} == {0}
    assert set(Scorecard.objects.filter(cluster_year=_year(2020)).values_list("status")) == {
        (Scorecard.Status.FINALISED,)
    }

    publication = RankingPublication.objects.get(cluster_year=_year(2020))
    assert publication.published_at == datetime.datetime(2020, 12, 4, 8, 30, tzinfo=TZ)
    assert publication.published_by.username == "tayninh"
    assert RankingPublication.objects.filter(cluster_year=_year(2019)).exists()
    assert not RankingPublication.objects.filter(cluster_year=_year(2021)).exists()


def test_policy_and_grade_bands(demo):
    policy = ScoringPolicy.objects.get(cluster__number=4)
    assert policy.tie_breaks == ["base", "deductions", "group:I"]
    assert list(GradeBand.objects.filter(cluster__number=4).values_list("name", "min_total")) == [
        ("Xuất sắc", Decimal("95")),
        ("Tốt", Decimal("85")),
        ("Khá", Decimal("70")),
        ("Trung bình", Decimal("0")),
    ]


def test_2020_adjustments_keep_three_layers_and_their_history(demo):
    adjusted = Score.objects.filter(scorecard__cluster_year=_year(2020)).exclude(
        reviewed_score=F("self_score")
    )
    assert sorted(
        (
            s.scorecard.unit.short_name,
            f"{s.criterion.parent.number}.{s.criterion.number}",
            s.self_score,
            s.reviewed_score,
            s.final_score,
            s.reviewed_by.username,
            bool(s.review_reason),
            bool(s.unit_response),
        )
        for s in adjusted.select_related("scorecard__unit", "criterion__parent", "reviewed_by")
    ) == [
        ("Bình Dương", "IV.1", Decimal("8"), Decimal("7"), Decimal("7.5"), "tayninh", True, True),
        ("Ninh Thuận", "VI.1", Decimal("3"), Decimal("0"), Decimal("0"), "tayninh", True, False),
        ("Tây Ninh", "VII.1", Decimal("0"), Decimal("0.5"), Decimal("0.5"), "brvt", True, False),
    ]
    # Nobody reviews their own unit: Tây Ninh (the 2020 leader) by the standing deputy's officer.
    reviewers = set(
        Score.objects.filter(scorecard__cluster_year=_year(2020)).values_list(
            "scorecard__unit__short_name", "reviewed_by__username"
        )
    )
    assert {unit for unit, username in reviewers if username == "brvt"} == {"Tây Ninh"}
    assert {unit for unit, username in reviewers if username == "tayninh"} == set(MEMBERS) - {
        "Tây Ninh"
    }

    answered = adjusted.get(scorecard__unit__short_name="Bình Dương")
    history = list(answered.history.order_by("history_date"))
    assert [
        (
            h.history_date.astimezone(TZ).date(),
            h.history_user.username if h.history_user else None,
            h.self_score,
            h.reviewed_score,
            h.final_score,
            bool(h.unit_response),
            h.revision,
        )
        for h in history
    ] == [
        (datetime.date(2020, 11, 8), None, Decimal("8"), None, None, False, 1),
        (datetime.date(2020, 11, 20), "tayninh", Decimal("8"), Decimal("7"), None, False, 2),
        (datetime.date(2020, 11, 23), None, Decimal("8"), Decimal("7"), None, True, 3),
        (
            datetime.date(2020, 11, 27),
            "tayninh",
            Decimal("8"),
            Decimal("7"),
            Decimal("7.5"),
            True,
            4,
        ),
    ]
    assert history[1].history_change_reason.startswith("Theo báo cáo của đơn vị")
    assert history[3].history_change_reason.startswith("Chấp nhận một phần giải trình")


def test_criteria_of_three_years(demo):
    sets = {year: criteria_services.published_for(_year(year)) for year in (2019, 2020, 2021)}
    assert {year: (s.version, s.status) for year, s in sets.items()} == {
        2019: (1, CriteriaSet.Status.PUBLISHED),
        2020: (1, CriteriaSet.Status.PUBLISHED),
        2021: (1, CriteriaSet.Status.PUBLISHED),
    }
    assert CriteriaSet.objects.filter(cluster_year__cluster__number=4).count() == 3
    for criteria_set in sets.values():
        assert criteria_services.check(criteria_set=criteria_set) == []
    tops = sets[2020].criteria.filter(parent=None).order_by("position")
    assert [(c.number, c.text, c.max_points) for c in tops] == [
        ("I", "Công tác tham mưu, hướng dẫn", Decimal("25")),
        ("II", "Công tác tổ chức bộ máy, biên chế", Decimal("20")),
        ("III", "Công tác cán bộ", Decimal("25")),
        ("IV", "Công tác đảng viên, tổ chức cơ sở đảng", Decimal("20")),
        ("V", "Công tác bảo vệ chính trị nội bộ, xây dựng ngành", Decimal("10")),
        ("VI", "Điểm thưởng", Decimal("5")),
        ("VII", "Điểm trừ", Decimal("5")),
    ]
    leaves = sets[2020].criteria.exclude(kind=Criterion.GROUP)
    assert leaves.count() == 20
    assert sorted(set(leaves.values_list("kind", flat=True))) == [
        Criterion.BONUS,
        Criterion.DEDUCTION,
        Criterion.POINTS,
        Criterion.YES_NO,
    ]
    assert sorted(
        f"{c.parent.number}.{c.number}" for c in leaves.filter(evidence_required=True)
    ) == ["I.1", "II.2", "III.3", "IV.1"]
    assert sorted(c.number for c in leaves.filter(parent__parent__number="II")) == ["1.1", "1.2"]
    # The same criteria across years: trends and copies follow them by lineage.
    lineages = {year: set(s.criteria.values_list("lineage", flat=True)) for year, s in sets.items()}
    assert lineages[2019] == lineages[2020] == lineages[2021]
    assert sets[2021].title == (
        "Bảng tiêu chí đánh giá, chấm điểm thi đua năm 2021 (giả định cho dữ liệu mẫu)"
    )


def test_2019_is_final_and_published_for_the_trend(demo):
    rows = ranking(cluster_year=_year(2019))
    assert [row.rank for row in rows] == list(range(1, 12))
    assert rows[0].unit.short_name == "Tây Ninh"
    assert set(Scorecard.objects.filter(cluster_year=_year(2019)).values_list("status")) == {
        (Scorecard.Status.FINALISED,)
    }


def test_2021_in_progress(demo):
    cluster_year = _year(2021)
    assert cluster_year.scorecard_deadline == datetime.date(2021, 11, 15)
    scorecards = Scorecard.objects.filter(cluster_year=cluster_year).select_related("unit")
    states = {
        s.unit.short_name: (s.status, s.scores.filter(self_score__isnull=False).count())
        for s in scorecards
    }
    assert states == {
        short_name: (Scorecard.Status.DRAFT, 0)
        for short_name in MEMBERS
        if short_name not in ("Lâm Đồng", "Bà Rịa - Vũng Tàu")
    } | {
        "Lâm Đồng": (Scorecard.Status.SUBMITTED, 20),
        "Bà Rịa - Vũng Tàu": (Scorecard.Status.DRAFT, 6),
    }
    lam_dong = scorecards.get(unit__short_name="Lâm Đồng")
    assert lam_dong.submitted_by.username == "lamdong"
    assert lam_dong.submitted_at == datetime.datetime(2021, 11, 10, 15, 20, tzinfo=TZ)
    # Submitted complete: evidence on every criterion that requires it, as submit() demands.
    assert not lam_dong.scores.filter(criterion__evidence_required=True, evidence=None).exists()
    assert lam_dong.scores.filter(reviewed_score__isnull=False).count() == 0
    assert ranking(cluster_year=cluster_year)[0].sheet.total == Decimal("99")


def test_pledge_campaign_and_indicator(demo):
    pledge = Pledge.objects.get(cluster_year=_year(2021))
    assert pledge.text.startswith("GIAO ƯỚC THI ĐUA NĂM 2021")
    signed = set(pledge.signatures.values_list("unit__short_name", flat=True))
    assert len(signed) == 9
    assert set(MEMBERS) - signed == {"Bình Phước", "Ninh Thuận"}

    campaign = Campaign.objects.get(cluster_year=_year(2020))
    assert (campaign.title, campaign.start_date, campaign.end_date) == (
        "Cách làm hay, mô hình mới",
        datetime.date(2020, 1, 1),
        datetime.date(2020, 10, 31),
    )
    entries = list(campaign.entries.values_list("unit__short_name", "shortlisted"))
    assert len(entries) == 5
    assert len({unit for unit, _ in entries}) == 5
    assert {unit for unit, shortlisted in entries if shortlisted} == {
        "Lâm Đồng",
        "Tây Ninh",
        "Tiền Giang",
    }

    indicator = Indicator.objects.get(cluster_year=_year(2018))
    assert (indicator.text, indicator.kind, indicator.as_of) == (
        "Đã sắp xếp, tinh gọn tổ chức bộ máy",
        Indicator.YES_NO,
        datetime.date(2018, 6, 30),
    )
    reports = dict(indicator.reports.values_list("unit__short_name", "value_yes"))
    assert len(reports) == 11
    assert sum(reports.values()) == 4
    assert {unit for unit, yes in reports.items() if yes} == {
        "Bình Phước",
        "Lâm Đồng",
        "Long An",
        "Ninh Thuận",
    }


def test_evidence_files_are_real_pdfs(demo, demo_media):
    evidence = list(Evidence.objects.select_related("score__scorecard__cluster_year"))
    by_year = {}
    for item in evidence:
        year = item.score.scorecard.cluster_year.year
        by_year[year] = by_year.get(year, 0) + 1
        path = demo_media / item.file.name
        content = path.read_bytes()
        assert (len(content), hashlib.sha256(content).hexdigest()) == (item.size, item.sha256)
        with item.file.open("rb") as handle:
            assert sniff(handle) == "pdf"
    # 4 criteria need evidence: 11 units in 2019 and 2020; Lâm Đồng and (groups I, II) Bà Rịa -
    # Vũng Tàu in 2021.
    assert by_year == {2019: 44, 2020: 44, 2021: 6}


def test_command_prints_summary_and_disclaimers(demo):
    assert "Giao ước thi đua 2021: 9/11 đơn vị đã ký" in demo
    assert "Bảng điểm 2021: 11 đơn vị; đã nộp: Lâm Đồng;" in demo
    assert "Bảng tiêu chí 2019–2021 là giả định (the real scorecard is not published)" in demo
    assert "Ngưỡng xếp loại (Xuất sắc ≥ 95, Tốt ≥ 85, Khá ≥ 70, Trung bình)" in demo
    assert "brvt       / demo12345 — Thư ký Cụm 2021" in demo
    assert "scorecards.demo.load_demo_scorecards: tạo mới / created 912; " in demo


def test_loading_twice_changes_nothing(demo, demo_media):
    before = _row_counts()
    files = {p: p.stat().st_mtime_ns for p in demo_media.rglob("*.pdf")}
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Không có thay đổi: dữ liệu mẫu đã có sẵn" in out.getvalue()
    assert _row_counts() == before
    assert {p: p.stat().st_mtime_ns for p in demo_media.rglob("*.pdf")} == files
    assert len(files) == 94
    assert before["scorecards.Score"] == 3 * 11 * 20
    assert before["scorecards.HistoricalScore"] == 2 * 11 * 20 * 3 + 1 + 20 + 6


RECEIVED: list[dict] = []


def recording_loader(data: dict) -> dict:
    """A later loader: gets the merged dicts of the loaders before it."""
    RECEIVED.append(data)
    return {"extra": 1, "summary": ["Dòng tóm tắt thử"], "notes": ["Ghi chú thử"]}


def test_the_loaders_come_from_settings(demo, settings):
    settings.DEMO_LOADERS = [
        "clusters.demo.load_demo_data",
        "tests.scorecards.test_demo_scorecards.recording_loader",
    ]
    RECEIVED.clear()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    output = out.getvalue()
    assert "  Dòng tóm tắt thử" in output
    assert "  - Ghi chú thử" in output
    assert "Bảng điểm 2021" not in output  # the scorecards loader was not run
    assert "Không có thay đổi" in output
    [data] = RECEIVED
    assert data["cluster"].number == 4
    assert sorted(data["years"]) == [2018, 2019, 2020, 2021]
    assert "stats" not in data
