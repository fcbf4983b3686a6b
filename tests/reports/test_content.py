"""What the 2020 year-end summary of Cluster No. 4 says (on the demo data, with the
conference's ballots run through the awards services), what it says is missing, and the
roll-up part; summary_of's number of queries does not grow with the units."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards.models import AwardType, Candidate, NominationRound, Quota
from clusters.models import ClusterYear, Conference, LeadershipAssignment, LeadershipRole
from reports.content import rollup_part, summary_of
from reports.demo import KEY_TASKS_2021
from reports.models import KeyFigure, UnitReport, YearSummary
from scorecards.models import (
    Campaign,
    CampaignEntry,
    Criterion,
    GradeBand,
    Pledge,
    PledgeSignature,
    RankingPublication,
    Score,
    Scorecard,
)
from tests import demo as whole_demo
from tests.clusters.factories import (
    ClusterYearFactory,
    ConferenceFactory,
    PersonFactory,
    assign,
    make_cluster,
)
from tests.reports.demo_data import MEMBERS_2020, cluster_year, hold_back_2020_votes
from tests.scorecards.factories import make_criteria

# The fixtures of the whole demo, loaded once for the module.
demo, demo_media = whole_demo.demo, whole_demo.demo_media
_demo_loaded, _demo_settings = whole_demo._demo_loaded, whole_demo._demo_settings

pytestmark = pytest.mark.django_db  # the tests on the whole demo are also marked slow

RANKING_2020 = [
    ["1", "Ban Tổ chức Tỉnh ủy Lâm Đồng", "96", "3", "0", "99", "Xuất sắc"],
    ["2", "Ban Tổ chức Tỉnh ủy Tây Ninh", "95,5", "3", "0,5", "98", "Xuất sắc"],
    ["3", "Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu", "94,5", "2", "0", "96,5", "Xuất sắc"],
    ["4", "Ban Tổ chức Tỉnh ủy Tiền Giang", "92", "3", "1", "94", "Tốt"],
    ["5", "Ban Tổ chức Tỉnh ủy Long An", "91,5", "1", "0", "92,5", "Tốt"],
    ["6", "Ban Tổ chức Tỉnh ủy Đồng Nai", "91", "2", "0,5", "92,5", "Tốt"],
    ["7", "Ban Tổ chức Tỉnh ủy Bình Dương", "89,5", "0", "0", "89,5", "Tốt"],
    ["8", "Ban Tổ chức Thành ủy Thành phố Hồ Chí Minh", "88", "1", "0", "89", "Tốt"],
    ["9", "Ban Tổ chức Tỉnh ủy Bình Thuận", "87", "0", "0,5", "86,5", "Tốt"],
    ["10", "Ban Tổ chức Tỉnh ủy Bình Phước", "85", "0", "1", "84", "Khá"],
    ["11", "Ban Tổ chức Tỉnh ủy Ninh Thuận", "83", "0", "1,5", "81,5", "Khá"],
]
FOURTEEN = [
    "Lê Thị Thu Hà, Chuyên viên, Ban Tổ chức Tỉnh ủy Tiền Giang",
    "Phạm Thị Ngọc Lan, Chuyên viên, Ban Tổ chức Tỉnh ủy Bình Dương",
    "Huỳnh Thị Mai, Chuyên viên, Ban Tổ chức Tỉnh ủy Long An",
    "Nguyễn Hoàng Phúc, Chuyên viên, Ban Tổ chức Tỉnh ủy Tây Ninh",
    "Trịnh Thị Kim Oanh, Chuyên viên, Ban Tổ chức Tỉnh ủy Đồng Nai",
    "Đỗ Thị Thanh Hương, Chuyên viên, Ban Tổ chức Tỉnh ủy Bình Phước",
    "Lương Minh Khoa, Chuyên viên, Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu",
    "Vũ Thị Thanh Tâm, Chuyên viên, Ban Tổ chức Tỉnh ủy Lâm Đồng",
    "Ngô Thị Diễm My, Chuyên viên, Ban Tổ chức Tỉnh ủy Ninh Thuận",
    "Tạ Quang Vinh, Chuyên viên, Ban Tổ chức Tỉnh ủy Bình Thuận",
    "Mai Thị Phương Thảo, Chuyên viên, Ban Tổ chức Thành ủy Thành phố Hồ Chí Minh",
    "Đặng Thị Hồng Nhung, Phó Trưởng ban, Ban Tổ chức Tỉnh ủy Tây Ninh",
    "Hồ Văn Lợi, Phó Trưởng ban, Ban Tổ chức Tỉnh ủy Lâm Đồng",
    "Phan Thị Bích Ngọc, Phó Trưởng ban, Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu",
]
MERIT = "Bằng khen của Trưởng Ban Tổ chức Trung ương"
FLAG = "Cờ thi đua của Ban Tổ chức Trung ương"
UNPUBLISHED_2020 = [  # what is missing while the 2020 results are not published
    f"{FLAG} (tập thể): chưa công bố kết quả bỏ phiếu “Đề nghị tặng {FLAG}”.",
    f"{MERIT} (tập thể): chưa công bố kết quả bỏ phiếu “Đề nghị tặng {MERIT} cho tập thể”.",
    f"{MERIT} (cá nhân): chưa công bố kết quả bỏ phiếu “Đề nghị tặng {MERIT} cho cá nhân”.",
]


@pytest.mark.slow
def test_the_2020_summary_says_what_the_year_was(demo):
    s = summary_of(cluster_year(2020))

    assert (s.issuer, s.number, s.place_date) == (
        "CỤM THI ĐUA SỐ 4",
        "Số 35-BC/CTĐ4",
        "Tây Ninh, ngày 04 tháng 12 năm 2020",
    )
    assert s.title == "BÁO CÁO"
    assert s.subtitle == ("Tổng kết công tác thi đua năm 2020 và phương hướng, nhiệm vụ năm 2021")
    assert [m.name for m in s.members] == MEMBERS_2020
    assert s.leadership == [
        ("Cụm trưởng", "Ban Tổ chức Tỉnh ủy Tây Ninh"),
        ("Cụm phó Thường trực", "Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu"),
        ("Cụm phó", "Ban Tổ chức Tỉnh ủy Lâm Đồng"),
    ]
    assert [c.text for c in s.conferences] == [
        "Hội nghị tổng kết công tác thi đua năm 2020, tại Tây Ninh, ngày 04/12/2020.",
        "Ký kết giao ước thi đua năm 2021, tại Tây Ninh, ngày 04/12/2020.",
    ]
    assert s.plan_title == "Kế hoạch tổ chức phong trào thi đua năm 2020 của Cụm thi đua số 4"
    assert s.pledge.text == "Chưa có giao ước thi đua năm 2020 trên hệ thống."
    assert s.next_pledge.text == (
        "Giao ước thi đua năm 2021: 9/11 đơn vị đã ký; chưa ký: Bình Phước, Ninh Thuận."
    )
    [campaign] = s.campaigns
    assert campaign.text == (
        'Phong trào thi đua "Cách làm hay, mô hình mới" (từ 01/01/2020 đến 31/10/2020): 5 bài '
        "dự thi của 5 đơn vị; 3 bài được chọn đề nghị khen thưởng:"
    )
    assert [unit for unit, _title in campaign.shortlisted] == [
        "Ban Tổ chức Tỉnh ủy Lâm Đồng",
        "Ban Tổ chức Tỉnh ủy Tây Ninh",
        "Ban Tổ chức Tỉnh ủy Tiền Giang",
    ]

    assert s.ranking_published and s.ranking_published_on == datetime.date(2020, 12, 4)
    assert [line.cells for line in s.ranking] == RANKING_2020
    assert s.grade_counts == [("Xuất sắc", 3), ("Tốt", 6), ("Khá", 2)]
    assert len(s.criteria) == 29 and s.criteria[0].number == "I" and s.criteria[0].depth == 0
    assert s.trend_years == [2019, 2020]
    assert s.trend_series[0] == ("Lâm Đồng", {2019: Decimal("97"), 2020: Decimal("99")})

    flags, units, people = s.awards
    assert flags.heading == "Cờ thi đua của Ban Tổ chức Trung ương: 2 tập thể"
    assert flags.candidates == ["Ban Tổ chức Tỉnh ủy Lâm Đồng", "Ban Tổ chức Tỉnh ủy Tây Ninh"]
    [poll] = flags.polls
    assert poll.heading == (
        "Kết quả bỏ phiếu kín (Đề nghị tặng Cờ thi đua của Ban Tổ chức Trung ương, "
        "04/12/2020): phát ra 11 phiếu, thu vào 11 phiếu, hợp lệ 11 phiếu, không hợp lệ 0 phiếu."
    )
    assert [(r.label, r.votes, r.share_text, r.elected) for r in poll.rows] == [
        ("Lâm Đồng", 10, "90,91%", True),
        ("Tây Ninh", 9, "81,82%", True),
        ("Bà Rịa - Vũng Tàu", 2, "18,18%", False),
    ]
    assert units.heading == f"{MERIT}: 4 tập thể"
    assert units.candidates == [
        "Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu",
        "Ban Tổ chức Tỉnh ủy Tiền Giang",
        "Ban Tổ chức Tỉnh ủy Long An",
        "Ban Tổ chức Tỉnh ủy Đồng Nai",
    ]
    first, runoff = units.polls
    assert [(r.label, r.votes, r.share_text, r.elected) for r in first.rows][-2:] == [
        ("Đồng Nai", 7, "63,64%", False),
        ("Bình Dương", 7, "63,64%", False),
    ]
    assert "(bầu lại)" in runoff.heading
    assert [(r.label, r.votes, r.share_text, r.elected) for r in runoff.rows] == [
        ("Đồng Nai", 7, "63,64%", True),
        ("Bình Dương", 4, "36,36%", False),
    ]
    assert people.heading == f"{MERIT}: 14 cá nhân"
    assert people.candidates == FOURTEEN
    assert s.award_conference == "Hội nghị tổng kết công tác thi đua năm 2020"
    assert s.proposal == [
        "Tờ trình đề nghị khen thưởng số 12-TTr/CTĐ4 ngày 08 tháng 12 năm 2020 đã gửi cấp trên.",
        "Cấp có thẩm quyền đã quyết định khen thưởng (Quyết định số 1268-QĐ/BTCTW ngày 15 tháng "
        "01 năm 2021): 20/20 tập thể, cá nhân được khen thưởng.",
    ]

    assert s.next_leadership == [
        ("Cụm trưởng", "Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu"),
        ("Cụm phó Thường trực", "Ban Tổ chức Tỉnh ủy Tây Ninh"),
        ("Cụm phó", "Ban Tổ chức Tỉnh ủy Bình Thuận"),
    ]
    achievements = s.section("achievements")
    assert achievements.heading == "Kết quả đạt được"
    assert [e.unit for e in achievements.entries] == MEMBERS_2020
    lam_dong = achievements.entries[5]
    assert lam_dong.line.startswith(
        "Ban Tổ chức Tỉnh ủy Lâm Đồng: Đi đầu trong Cụm về chuyển đổi số công tác đảng viên"
    )
    binh_phuoc = s.section("limitations").entries[2]
    assert binh_phuoc.label == "Ban Tổ chức Tỉnh ủy Bình Phước (báo cáo chưa được duyệt)"
    assert [len(section.entries) for section in s.sections] == [11] * 5
    assert (s.reports_received, s.reports_expected) == (11, 11)
    unit, figures = s.figures[0]
    assert unit == "Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu"
    assert [(f.label, f.value_text) for f in figures] == [
        ("Đảng viên mới kết nạp", "1.604 người"),
        ("Cán bộ được luân chuyển", "42 người"),
        ("Hồ sơ đảng viên được chuẩn hóa", "56.280 hồ sơ"),
    ]
    assert s.key_tasks == KEY_TASKS_2021 and len(s.key_tasks) == 7
    assert s.signer == ["TM. CỤM THI ĐUA SỐ 4", "CỤM TRƯỞNG", "Ban Tổ chức Tỉnh ủy Tây Ninh"]
    assert s.signer_name == "Nguyễn Thanh Ngọc"
    assert s.recipients == [
        "- Vụ Địa phương III, Ban Tổ chức Trung ương;",
        "- Các đơn vị thành viên Cụm thi đua số 4;",
        "- Lưu.",
    ]
    assert s.missing == ["Báo cáo của 1 đơn vị chưa được duyệt: Bình Phước."]


@pytest.mark.slow
def test_before_the_results_are_published_nobody_is_proposed_and_it_is_said(demo):
    hold_back_2020_votes()
    s = summary_of(cluster_year(2020))
    assert s.awards == []  # the summary follows the proposal: only those the votes passed
    assert s.missing == [
        *UNPUBLISHED_2020,
        "Báo cáo của 1 đơn vị chưa được duyệt: Bình Phước.",
    ]


def remove_the_missing_facts():
    """No unit reports, the ranking unpublished, no key tasks, no leadership for 2021."""
    year = cluster_year(2020)
    UnitReport.objects.filter(cluster_year=year).delete()
    RankingPublication.objects.filter(cluster_year=year).delete()
    YearSummary.objects.filter(cluster_year=year).update(key_tasks="")
    LeadershipAssignment.objects.filter(cluster_year=cluster_year(2021)).delete()
    return year


MISSING_SENTENCES = [
    "Bảng xếp hạng chưa được công bố.",
    "Chưa có lãnh đạo cụm năm 2021.",
    "Chưa có báo cáo của 11 đơn vị: Bà Rịa - Vũng Tàu, Bình Dương, Bình Phước, Bình Thuận, "
    "Đồng Nai, Lâm Đồng, Long An, Ninh Thuận, Tây Ninh, Tiền Giang, TP. Hồ Chí Minh.",
    "Chưa nhập nhiệm vụ trọng tâm năm 2021.",
]


@pytest.mark.slow
def test_what_is_missing_is_said_plainly(demo):
    s = summary_of(remove_the_missing_facts())
    assert s.missing == MISSING_SENTENCES
    assert s.ranking == [] and not s.ranking_published and s.trend_series == []
    assert s.next_leadership == [] and s.key_tasks == []
    assert [section.entries for section in s.sections] == [[]] * 5
    assert (s.reports_received, s.reports_expected) == (0, 11)


@pytest.mark.slow
def test_a_missing_leader_and_some_reports(demo):
    year = cluster_year(2020)
    UnitReport.objects.filter(
        cluster_year=year, unit__short_name__in=["Long An", "Tiền Giang", "Bình Phước"]
    ).delete()
    LeadershipAssignment.objects.filter(
        cluster_year=cluster_year(2021), role__kind=LeadershipRole.LEADER
    ).delete()
    YearSummary.objects.filter(cluster_year=year).update(number="")
    s = summary_of(year)
    assert s.number == "Số      -BC/CTĐ4"
    assert s.missing == [
        "Chưa có Cụm trưởng năm 2021.",
        "Chưa có báo cáo của 3 đơn vị: Bình Phước, Long An, Tiền Giang.",
    ]


@pytest.mark.slow
def test_the_rollup_part(demo):
    part = rollup_part(cluster_year(2020))
    assert json.loads(json.dumps(part)) == part
    assert {k: v for k, v in part.items() if k not in ("ranking", "awards")} == {
        "cluster": "Cụm thi đua số 4, Ngành Tổ chức xây dựng Đảng",
        "cluster_number": 4,
        "issuer": "CỤM THI ĐUA SỐ 4",
        "year": 2020,
        "members": 11,
        "ranking_published": True,
        "next_leader": "Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu",
        "next_leadership": [
            ["Cụm trưởng", "Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu"],
            ["Cụm phó Thường trực", "Ban Tổ chức Tỉnh ủy Tây Ninh"],
            ["Cụm phó", "Ban Tổ chức Tỉnh ủy Bình Thuận"],
        ],
        "reports_received": 11,
        "reports_expected": 11,
        "missing": [],
    }
    assert part["ranking"][:2] == [
        {
            "unit": "Ban Tổ chức Tỉnh ủy Lâm Đồng",
            "short_name": "Lâm Đồng",
            "total": "99.00",
            "grade": "Xuất sắc",
            "rank": 1,
        },
        {
            "unit": "Ban Tổ chức Tỉnh ủy Tây Ninh",
            "short_name": "Tây Ninh",
            "total": "98.00",
            "grade": "Xuất sắc",
            "rank": 2,
        },
    ]
    assert [(a["award_type"], a["for_units"], len(a["names"])) for a in part["awards"]] == [
        ("Cờ thi đua của Ban Tổ chức Trung ương", True, 2),
        (MERIT, True, 4),
        (MERIT, False, 14),
    ]


@pytest.mark.slow
def test_the_rollup_part_says_what_is_missing(demo):
    hold_back_2020_votes()
    part = rollup_part(remove_the_missing_facts())
    assert part["ranking"] == [] and part["next_leader"] == ""
    assert part["reports_received"] == 0
    assert part["missing"] == [
        "Bảng xếp hạng chưa được công bố.",
        *UNPUBLISHED_2020,
        "Chưa có lãnh đạo cụm năm 2021.",
        "Đã nhận 0/11 báo cáo của các đơn vị.",
    ]


@pytest.mark.slow
def test_the_demo_reports_load_once(demo):
    year = cluster_year(2020)
    assert UnitReport.objects.filter(cluster_year=year).count() == 11
    assert dict(
        UnitReport.objects.filter(cluster_year=year)
        .exclude(status=UnitReport.Status.ACCEPTED)
        .values_list("unit__short_name", "status")
    ) == {"Bình Phước": UnitReport.Status.SUBMITTED}
    counts = list(
        KeyFigure.objects.filter(report__cluster_year=year)
        .values_list("report__unit__short_name")
        .order_by()
        .distinct()
    )
    assert len(counts) == 11
    figures = KeyFigure.objects.filter(report__cluster_year=year).count()
    assert 22 <= figures <= 44
    assert YearSummary.objects.get(cluster_year=year).key_task_lines() == KEY_TASKS_2021
    assert "Báo cáo năm 2020: 11 đơn vị (10 đã duyệt, 1 chờ duyệt: Bình Phước)" in demo
    history = UnitReport.history.count()
    again = io_output()
    assert "Không có thay đổi: dữ liệu mẫu đã có sẵn" in again
    assert UnitReport.history.count() == history


def io_output() -> str:
    import io

    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


# The number of queries ------------------------------------------------------------------------


def build_year(n_units: int) -> ClusterYear:
    """A closed year of n units with everything the summary reads: criteria, final scores and
    a published ranking, unit reports with figures, a slate with a quota, a campaign, a pledge,
    conferences, this and next year's leadership and the key tasks."""
    cluster, units = make_cluster(n_units)
    year = ClusterYearFactory(cluster=cluster, year=2020, status=ClusterYear.Status.CLOSED)
    next_year = ClusterYearFactory(cluster=cluster, year=2021)
    assign(year, LeadershipRole.LEADER, units[0])
    assign(year, LeadershipRole.STANDING_DEPUTY, units[1])
    assign(next_year, LeadershipRole.LEADER, units[1])
    assign(next_year, LeadershipRole.STANDING_DEPUTY, units[2])
    ConferenceFactory(cluster_year=year)
    ConferenceFactory(cluster_year=year, kind=Conference.MID_YEAR, date=datetime.date(2020, 7, 1))
    GradeBand.objects.create(cluster=cluster, name="Xuất sắc", min_total=Decimal("60"))
    GradeBand.objects.create(cluster=cluster, name="Khá", min_total=Decimal("0"))
    for y in (2019, 2020):
        cy = year if y == 2020 else ClusterYearFactory(cluster=cluster, year=y, status="closed")
        criteria_set = make_criteria(cy)
        leaves = [c for c in criteria_set.criteria.all() if c.kind != Criterion.GROUP]
        for i, unit in enumerate(units):
            card = Scorecard.objects.create(
                cluster_year=cy,
                unit=unit,
                criteria_set=criteria_set,
                status=Scorecard.Status.FINALISED,
            )
            Score.objects.bulk_create(
                Score(scorecard=card, criterion=c, final_score=min(c.max_points, Decimal(i)))
                for c in leaves
            )
        RankingPublication.objects.create(
            cluster_year=cy, published_at=datetime.datetime(y, 12, 4, tzinfo=datetime.UTC)
        )
    nomination_round = NominationRound.objects.create(cluster_year=year)
    flag = AwardType.objects.create(cluster=cluster, name="Cờ thi đua", recipient=AwardType.UNIT)
    people = AwardType.objects.create(
        cluster=cluster, name="Bằng khen", recipient=AwardType.INDIVIDUAL
    )
    Quota.objects.create(round=nomination_round, award_type=flag, quota=1)
    campaign = Campaign.objects.create(
        cluster_year=year,
        title="Cách làm hay",
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2020, 10, 1),
    )
    pledge = Pledge.objects.create(cluster_year=year, text="Giao ước")
    for unit in units:
        report = UnitReport.objects.create(
            cluster_year=year,
            unit=unit,
            status=UnitReport.Status.ACCEPTED,
            achievements=f"Thành tích của {unit.short_name}.",
            limitations="Hạn chế.",
        )
        KeyFigure.objects.create(report=report, label="Đảng viên mới", value=10, position=1)
        KeyFigure.objects.create(report=report, label="Chi bộ", value=3, position=2)
        Candidate.objects.create(
            round=nomination_round, award_type=flag, unit=unit, status=Candidate.Status.ON_SLATE
        )
        Candidate.objects.create(
            round=nomination_round,
            award_type=people,
            person=PersonFactory(unit=unit, position="Chuyên viên"),
            status=Candidate.Status.ON_SLATE,
        )
        CampaignEntry.objects.create(
            campaign=campaign, unit=unit, title="Mô hình", description="…", shortlisted=True
        )
        PledgeSignature.objects.create(pledge=pledge, unit=unit)
    YearSummary.objects.create(cluster_year=year, key_tasks="Một.\nHai.", number="1-BC/CTĐ")
    return year


def queries(function, year) -> int:
    with CaptureQueriesContext(connection) as context:
        function(year)
    return len(context.captured_queries)


@pytest.mark.parametrize("function", [summary_of, rollup_part])
def test_the_number_of_queries_does_not_grow_with_the_units(function):
    small, large = build_year(3), build_year(12)
    small_summary, large_summary = summary_of(small), summary_of(large)
    assert len(large_summary.ranking) == 12 and len(large_summary.figures) == 12
    assert "danh sách đề cử có 12 cá nhân" in " ".join(large_summary.missing)
    assert small_summary.trend_years == [2019, 2020]
    small_queries = queries(function, small)
    assert small_queries == {"summary_of": 34, "rollup_part": 19}[function.__name__]
    assert queries(function, large) == small_queries


@pytest.mark.slow
def test_the_proposals_outcome_when_recorded(demo):
    from awards.services.proposals import record_outcome

    nomination_round = NominationRound.objects.get(cluster_year=cluster_year(2020))
    flags = set(
        nomination_round.candidates.filter(
            award_type__name__startswith="Cờ thi đua", unit__short_name__in=["Lâm Đồng", "Tây Ninh"]
        ).values_list("pk", flat=True)
    )
    record_outcome(
        nomination_round=nomination_round,
        values={
            "number": "12-TTr/CTĐ4",
            "signed_on": datetime.date(2020, 12, 10),
            "status": "decided",
            "decision_number": "345-QĐ/BTCTW",
            "decision_date": datetime.date(2021, 1, 15),
        },
        # the decision granted only the two flags of the twenty proposed
        granted={
            c.pk: c.pk in flags for c in nomination_round.candidates.filter(granted__isnull=False)
        },
    )
    assert summary_of(cluster_year(2020)).proposal == [
        "Tờ trình đề nghị khen thưởng số 12-TTr/CTĐ4 ngày 10 tháng 12 năm 2020 đã gửi cấp trên.",
        "Cấp có thẩm quyền đã quyết định khen thưởng (Quyết định số 345-QĐ/BTCTW ngày 15 tháng "
        "01 năm 2021): 2/20 tập thể, cá nhân được khen thưởng.",
    ]
