"""The ranking pages: table, grades and tie-breaks, visibility by role, publication, Excel
export, printable view, the trend over the years, and query counts at two data sizes."""

import datetime
import io
import json
from decimal import Decimal
from html.parser import HTMLParser

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusters.models import ClusterYear, Membership, Supervision
from scorecards.models import (
    CriteriaSet,
    Criterion,
    GradeBand,
    RankingPublication,
    Score,
    Scorecard,
    ScoringPolicy,
)
from scorecards.services import criteria as criteria_services
from scorecards.services import scoring
from tests.clusters.factories import ClusterYearFactory, UserFactory, assign, make_cluster, officer
from tests.scorecards.factories import finalised, make_criteria

pytestmark = pytest.mark.django_db
NAMES = ["Long An", "Bình Dương", "Tây Ninh", "Đồng Nai", "Bình Phước"]


# --- helpers -----------------------------------------------------------------------------------


class TableText(HTMLParser):
    """The text of each cell of one table (by id), row by row, with each cell's class."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id, self.inside, self.rows, self.cell = table_id, False, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = [attrs.get("class") or "", ""]

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append((" ".join(self.cell[1].split()), self.cell[0]))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1] += data


def table(response, table_id: str, classes: bool = False) -> list[list]:
    parser = TableText(table_id)
    parser.feed(response.content.decode())
    if classes:
        return parser.rows
    return [[text for text, _css in row] for row in parser.rows]


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def year(settings, tmp_path):
    """2020 of a five-unit cluster: four finalised scorecards, the fifth unit has none."""
    settings.MEDIA_ROOT = tmp_path
    cluster, units = make_cluster(5)
    for unit, name in zip(units, NAMES, strict=True):
        unit.short_name = name
        unit.save()
    cluster_year = ClusterYearFactory(cluster=cluster, year=2020)
    assign(cluster_year, "leader", units[0])
    assign(cluster_year, "standing_deputy", units[1])
    make_criteria(cluster_year)
    ScoringPolicy.objects.create(cluster=cluster, tie_breaks=["base", "deductions"])
    for name, minimum in [("Xuất sắc", "60"), ("Tốt", "50"), ("Khá", "35")]:
        GradeBand.objects.create(cluster=cluster, name=name, min_total=Decimal(minimum))
    secretary = officer(units[0])
    full = {"I.1": "35", "I.2": "20", "II.a": "5", "III.a": "0"}
    finalised(cluster_year, units[0], full, secretary)
    finalised(
        cluster_year, units[1], {"I.1": "40", "I.2": "20", "II.a": "0", "III.a": "0"}, secretary
    )
    finalised(
        cluster_year,
        units[2],
        {"I.1": "30", "I.2": "0", "II.a": "10", "III.a": "2"},
        secretary,
        adjust=("I.1", "25", "28.5"),
    )
    finalised(cluster_year, units[3], full, secretary)
    return cluster_year, units, secretary


def url(name, cluster_year, **query):
    path = reverse(
        f"scorecards:{name}",
        kwargs={"cluster": cluster_year.cluster.uuid, "year": cluster_year.year},
    )
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def publish(cluster_year, user):
    RankingPublication.objects.create(
        cluster_year=cluster_year,
        published_at=datetime.datetime.now(datetime.UTC),
        published_by=user,
    )


# --- the ranking page ----------------------------------------------------------------------------

FINAL_ROWS = [
    ["Hạng", "Đơn vị", "Điểm cơ bản", "Điểm thưởng", "Điểm trừ", "Tổng điểm", "Xếp loại"],
    ["1", "Bình Dương", "60", "0", "0", "60", "Xuất sắc"],
    ["2", "Đồng Nai", "55", "5", "0", "60", "Xuất sắc"],
    ["2 đồng hạng", "Long An", "55", "5", "0", "60", "Xuất sắc"],
    ["4", "Tây Ninh", "28,5", "10", "2", "36,5", "Khá"],
    ["–", "Bình Phước", "Chưa có bảng điểm"],
]


def test_ranking_totals_ranks_grades_and_tie_breaks(client, year):
    cluster_year, units, secretary = year
    client.force_login(secretary)
    response = client.get(url("ranking", cluster_year))
    assert response.status_code == 200
    assert table(response, "ranking-table") == FINAL_ROWS
    content = response.content.decode()
    assert (
        "Khi bằng tổng điểm, thứ tự được xác định lần lượt theo: điểm cơ bản cao hơn; "
        "ít điểm trừ hơn. Các đơn vị vẫn bằng nhau thì đồng hạng và được xếp theo thứ tự "
        "chữ cái." in content
    )
    chart = json.loads(
        content.split('id="ranking-chart-data" type="application/json">')[1].split("</script>")[0]
    )
    assert chart == {
        "labels": ["Bình Dương", "Đồng Nai", "Long An", "Tây Ninh"],
        "totals": [60.0, 60.0, 60.0, 36.5],
        "label": "Tổng điểm",
    }
    assert "vendor/chartjs/chart.umd.min." in content and "<script>" not in content


def test_units_by_criteria_table_is_coloured_by_share_of_the_maximum(client, year):
    cluster_year, units, secretary = year
    client.force_login(secretary)
    rows = table(client.get(url("ranking", cluster_year)), "criteria-table", classes=True)
    assert [text for text, _ in rows[0]] == [
        "Đơn vị",
        "I. Công tác tham mưu",
        "II. Điểm thưởng",
        "III. Điểm trừ",
    ]
    assert [text for text, _ in rows[1]] == ["1", "2", "Σ I", "a", "Σ II", "a", "Σ III"]
    assert [text for text, _ in rows[2]] == ["40", "20", "60", "10", "10", "5", "5"]
    tay_ninh = next(row for row in rows if row[0][0] == "Tây Ninh")
    assert [(text, css.replace("cell-num ", "")) for text, css in tay_ninh[1:]] == [
        ("28,5", "rk-70"),  # 71%
        ("0", "rk-0"),
        ("28,5", "rk-0 rk-subtotal"),  # 47.5%
        ("10", "rk-90"),
        ("10", "rk-90 rk-subtotal"),
        ("2", "rk-50"),  # deductions: 60% of the maximum not deducted
        ("2", "rk-50 rk-subtotal"),
    ]
    binh_phuoc = next(row for row in rows if row[0][0] == "Bình Phước")
    assert {css.replace("cell-num ", "") for _, css in binh_phuoc[1:]} == {
        "rk-none",
        "rk-none rk-subtotal",
    }


def test_the_secretariat_chooses_the_layer_members_always_see_final_scores(client, year):
    cluster_year, units, secretary = year
    client.force_login(secretary)
    rows = table(client.get(url("ranking", cluster_year, layer="self")), "ranking-table")
    assert ["4", "Tây Ninh", "30", "10", "2", "38", "Khá"] in rows
    rows = table(client.get(url("ranking", cluster_year, layer="reviewed")), "ranking-table")
    assert ["4", "Tây Ninh", "25", "10", "2", "33", "–"] in rows
    publish(cluster_year, secretary)
    client.force_login(officer(units[2]))
    response = client.get(url("ranking", cluster_year, layer="self"))
    assert table(response, "ranking-table") == FINAL_ROWS
    assert 'id="layer-select"' not in response.content.decode()


# --- visibility ----------------------------------------------------------------------------------

VIEWS = ["ranking", "ranking_export", "ranking_print"]


@pytest.mark.parametrize("view", VIEWS)
def test_visibility_before_and_after_publication(client, year, view):
    cluster_year, units, secretary = year
    unit_officer = officer(units[2])
    supervisor = UserFactory()
    Supervision.objects.create(user=supervisor, cluster=cluster_year.cluster)
    other_cluster, other_units = make_cluster(2)
    ClusterYearFactory(cluster=other_cluster, year=2020)
    stranger = officer(other_units[0])
    # Last year's secretariat: an officer of 2019's leader whose term ended with 2019.
    last_year = ClusterYearFactory(cluster=cluster_year.cluster, year=2019)
    assign(last_year, "leader", units[1])
    former_secretary = officer(units[1], end="2019-12-31")
    deputy_officer = officer(units[1])  # a member unit's officer too, before publication
    target = url(view, cluster_year)

    def status(user):
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        return client.get(target).status_code

    before = {
        "secretariat": status(secretary),
        "supervisor": status(supervisor),
        "unit officer": status(unit_officer),
        "deputy officer": status(deputy_officer),
        "other cluster": status(stranger),
        "last year's secretariat": status(former_secretary),
        "anonymous": status(None),
    }
    assert before == {
        "secretariat": 200,
        "supervisor": 200,
        "unit officer": 403,
        "deputy officer": 403,
        "other cluster": 403,
        "last year's secretariat": 403,
        "anonymous": 302,
    }
    publish(cluster_year, secretary)
    after = {
        "unit officer": status(unit_officer),
        "other cluster": status(stranger),
        "last year's secretariat": status(former_secretary),
        "supervisor": status(supervisor),
        "anonymous": status(None),
    }
    assert after == {
        "unit officer": 200,
        "other cluster": 403,
        "last year's secretariat": 403,
        "supervisor": 200,
        "anonymous": 302,
    }


# --- publication ---------------------------------------------------------------------------------


def test_publication_is_refused_until_every_scorecard_is_final(client, year):
    cluster_year, units, secretary = year
    client.force_login(secretary)
    page = client.get(url("ranking", cluster_year))
    assert url("ranking_publish", cluster_year) in page.content.decode()
    response = client.post(url("ranking_publish", cluster_year))
    assert response.status_code == 200
    assert table_errors(response) == ["1 đơn vị thành viên chưa có điểm chính thức: Bình Phước."]
    assert not RankingPublication.objects.exists()

    Membership.objects.filter(unit=units[4]).update(end_year=2019)
    response = client.post(url("ranking_publish", cluster_year), follow=True)
    assert response.redirect_chain == [(url("ranking", cluster_year), 302)]
    publication = RankingPublication.objects.get()
    assert (publication.cluster_year, publication.published_by) == (cluster_year, secretary)
    assert [str(m) for m in response.context["messages"]] == [
        "Đã công bố kết quả xếp hạng năm 2020: tất cả đơn vị thành viên đã có thể xem."
    ]
    assert url("ranking_publish", cluster_year) not in response.content.decode()


def table_errors(response) -> list[str]:
    content = response.content.decode()
    block = content.split('id="publish-errors"')[1].split("</ul>")[0]
    return [" ".join(item.split("</li>")[0].split()) for item in block.split("<li>")[1:]]


def test_publication_is_refused_when_a_scorecard_is_not_final(client, year):
    cluster_year, units, secretary = year
    Membership.objects.filter(unit=units[4]).update(end_year=2019)
    Scorecard.objects.filter(unit__in=units[2:4]).update(status=Scorecard.Status.REVIEWED)
    client.force_login(secretary)
    response = client.post(url("ranking_publish", cluster_year))
    assert table_errors(response) == [
        "2 đơn vị thành viên chưa có điểm chính thức: Đồng Nai, Tây Ninh."
    ]
    assert not RankingPublication.objects.exists()


def test_only_the_secretariat_publishes(client, year):
    cluster_year, units, secretary = year
    Membership.objects.filter(unit=units[4]).update(end_year=2019)
    supervisor = UserFactory()
    Supervision.objects.create(user=supervisor, cluster=cluster_year.cluster)
    other_cluster, other_units = make_cluster(2)
    for user in (officer(units[2]), supervisor, officer(other_units[0])):
        client.force_login(user)
        assert client.post(url("ranking_publish", cluster_year)).status_code == 403
    client.logout()
    assert client.post(url("ranking_publish", cluster_year)).status_code == 302
    assert not RankingPublication.objects.exists()


def test_a_closed_year_cannot_be_published(client, year):
    cluster_year, units, secretary = year
    Membership.objects.filter(unit=units[4]).update(end_year=2019)
    ClusterYear.objects.filter(pk=cluster_year.pk).update(status=ClusterYear.Status.CLOSED)
    client.force_login(secretary)
    response = client.post(url("ranking_publish", cluster_year), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Năm 2020 đã khóa sổ, không thể thay đổi được nữa."
    ]
    assert not RankingPublication.objects.exists()


# --- export and print ----------------------------------------------------------------------------


def test_excel_export_has_a_summary_and_a_sheet_per_group(client, year):
    cluster_year, units, secretary = year
    client.force_login(secretary)
    response = client.get(url("ranking_export", cluster_year))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="xep-hang-cum-{cluster_year.cluster.number}-2020.xlsx"'
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Tổng hợp",
        "I. Công tác tham mưu",
        "II. Điểm thưởng",
        "III. Điểm trừ",
    ]
    summary = book["Tổng hợp"]
    title = f"Kết quả chấm điểm thi đua năm 2020 – {cluster_year.cluster.name}"
    assert summary["A1"].value == title
    assert summary["A2"].value == "Chưa công bố kết quả xếp hạng."
    rows = [list(r) for r in summary.iter_rows(min_row=3, values_only=True)]
    assert rows == [
        ["Hạng", "Đơn vị", "Điểm cơ bản", "Điểm thưởng", "Điểm trừ", "Tổng điểm", "Xếp loại"],
        [1, "Bình Dương", 60, 0, 0, 60, "Xuất sắc"],
        [2, "Đồng Nai", 55, 5, 0, 60, "Xuất sắc"],
        [2, "Long An", 55, 5, 0, 60, "Xuất sắc"],
        [4, "Tây Ninh", 28.5, 10, 2, 36.5, "Khá"],
        [None, "Bình Phước", None, None, None, None, "chưa có bảng điểm"],
    ]
    assert summary["F7"].data_type == "n"
    group = book["I. Công tác tham mưu"]
    assert group["A1"].value == title
    assert group["A2"].value == "Nhóm I. Công tác tham mưu (tối đa 60)"
    header = [c.value for c in group[3]]
    assert header == [
        "Hạng",
        "Đơn vị",
        "1. Tham mưu ban hành văn bản (tối đa 40)",
        None,
        None,
        "2. Hoàn thành sắp xếp bộ máy (tối đa 20)",
        None,
        None,
        "Tổng nhóm I",
        None,
        None,
    ]
    assert [c.value for c in group[4]][2:] == ["Tự chấm", "Thẩm định", "Chính thức"] * 3
    tay_ninh = [c.value for c in group[8]]
    assert tay_ninh == [4, "Tây Ninh", 30, 25, 28.5, 0, 0, 0, 30, 25, 28.5]
    assert [c.value for c in group[9]] == [None, "Bình Phước"] + [None] * 9
    deductions = book["III. Điểm trừ"]
    assert [c.value for c in deductions[8]] == [4, "Tây Ninh", 2, 2, 2, 2, 2, 2]


def test_printable_view_is_a4_landscape_with_a_print_button(client, year):
    cluster_year, units, secretary = year
    client.force_login(secretary)
    response = client.get(url("ranking_print", cluster_year))
    assert response.status_code == 200
    content = response.content.decode()
    assert table(response, "ranking-table") == FINAL_ROWS
    assert "data-print" in content and "css/ranking." in content
    assert "style=" not in content and "<style" not in content and "<script>" not in content
    assert content.count('class="rk-page"') == 3
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/ranking.css"), encoding="utf-8").read()
    assert "size: A4 landscape;" in css


# --- trend ---------------------------------------------------------------------------------------


@pytest.fixture
def merged(settings, tmp_path):
    """Bình Dương merged into TP. Hồ Chí Minh and Long An into Tây Ninh (1 July 2025);
    2020 published, 2021 scored but not published."""
    settings.MEDIA_ROOT = tmp_path
    cluster, units = make_cluster(4)
    names = ["TP. Hồ Chí Minh", "Tây Ninh", "Bình Dương", "Long An"]
    for unit, name in zip(units, names, strict=True):
        unit.short_name = name
        unit.save()
    for predecessor, successor in ((units[2], units[0]), (units[3], units[1])):
        predecessor.valid_until = datetime.date(2025, 6, 30)
        predecessor.successor = successor
        predecessor.succession_kind = "merged"
        predecessor.save()
    secretary_2021 = officer(units[1])
    years = {}
    for year, leader in ((2020, units[0]), (2021, units[1])):
        cluster_year = ClusterYearFactory(cluster=cluster, year=year)
        assign(cluster_year, "leader", leader)
        make_criteria(cluster_year)
        years[year] = cluster_year
    secretary = UserFactory()
    # Maximum total 70 (I: 60 + II: 10): 56 is 80%, 49 is 70%, 35 is 50%, 63 is 90%.
    totals = {
        2020: ["40", "35", "20", "15"],
        2021: ["40", "30", "40", "10"],
    }
    for year, values in totals.items():
        for unit, base in zip(units, values, strict=True):
            finalised(
                years[year],
                unit,
                {"I.1": base, "I.2": "20", "II.a": "0", "III.a": "4"},
                secretary,
            )
    publish(years[2020], secretary)
    return cluster, units, years, secretary_2021


def trend_chart(response) -> dict:
    content = response.content.decode()
    return json.loads(
        content.split('id="ranking-trend-data" type="application/json">')[1].split("</script>")[0]
    )


def test_trend_shows_predecessors_as_such_and_only_published_years(client, merged):
    cluster, units, years, secretary_2021 = merged
    target = reverse("scorecards:ranking_trend", kwargs={"cluster": cluster.uuid})
    client.force_login(officer(units[3]))
    response = client.get(target)
    assert response.status_code == 200
    assert trend_chart(response) == {
        "years": ["2020"],
        "series": [
            {"label": "Tây Ninh", "predecessor": False, "values": [72.9]},
            {"label": "Long An (nay thuộc Tây Ninh)", "predecessor": True, "values": [44.3]},
            {"label": "TP. Hồ Chí Minh", "predecessor": False, "values": [80.0]},
            {
                "label": "Bình Dương (nay thuộc TP. Hồ Chí Minh)",
                "predecessor": True,
                "values": [51.4],
            },
        ],
        "axis": "% tổng điểm tối đa có thể đạt",
    }
    assert table(response, "trend-table") == [
        ["Đơn vị", "2020"],
        ["tổng điểm tối đa có thể đạt", "70"],
        ["Tây Ninh", "72,9 %"],
        ["Long An (nay thuộc Tây Ninh)", "44,3 %"],
        ["TP. Hồ Chí Minh", "80 %"],
        ["Bình Dương (nay thuộc TP. Hồ Chí Minh)", "51,4 %"],
    ]

    client.force_login(secretary_2021)
    chart = trend_chart(client.get(target))
    assert chart["years"] == ["2020", "2021*"]
    assert chart["series"][0] == {"label": "Tây Ninh", "predecessor": False, "values": [72.9, 65.7]}


def test_trend_refuses_other_clusters_and_anonymous(client, merged):
    cluster, units, years, _ = merged
    target = reverse("scorecards:ranking_trend", kwargs={"cluster": cluster.uuid})
    other_cluster, other_units = make_cluster(2)
    client.force_login(officer(other_units[0]))
    assert client.get(target).status_code == 403
    client.logout()
    assert client.get(target).status_code == 302
    supervisor = UserFactory()
    Supervision.objects.create(user=supervisor, cluster=cluster)
    client.force_login(supervisor)
    assert trend_chart(client.get(target))["years"] == ["2020", "2021*"]


def test_trend_without_a_published_ranking(client, merged):
    cluster, units, years, _ = merged
    RankingPublication.objects.all().delete()
    client.force_login(officer(units[3]))
    response = client.get(reverse("scorecards:ranking_trend", kwargs={"cluster": cluster.uuid}))
    assert "Chưa có kết quả xếp hạng nào được công bố." in response.content.decode()


# --- query counts --------------------------------------------------------------------------------


def build(n_units: int, n_leaves: int, n_years: int = 1):
    """A cluster with n units and criteria of n leaves per year (base groups of up to 10
    leaves, one bonus and one deduction), every scorecard final; each year published."""
    cluster, units = make_cluster(n_units)
    GradeBand.objects.create(cluster=cluster, name="Xuất sắc", min_total=Decimal("90"))
    ScoringPolicy.objects.create(cluster=cluster, tie_breaks=["base", "group:I"])
    secretary = officer(units[0])
    years = []
    for offset in range(n_years):
        cluster_year = ClusterYearFactory(cluster=cluster, year=2020 + offset)
        assign(cluster_year, "leader", units[0])
        criteria_set = CriteriaSet.objects.create(cluster_year=cluster_year)
        position = iter(range(1, 10_000))
        base_leaves = n_leaves - 2
        groups = [list(range(i, min(i + 10, base_leaves))) for i in range(0, base_leaves, 10)]
        romans = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
        for number, leaves in zip(romans, groups, strict=False):
            group = Criterion.objects.create(
                criteria_set=criteria_set,
                number=number,
                text=f"Nhóm {number}",
                kind=Criterion.GROUP,
                max_points=Decimal(10 * len(leaves)),
                position=next(position),
            )
            for i, _leaf in enumerate(leaves, start=1):
                Criterion.objects.create(
                    criteria_set=criteria_set,
                    parent=group,
                    number=str(i),
                    text=f"Tiêu chí {number}.{i}",
                    kind=Criterion.POINTS,
                    max_points=Decimal("10"),
                    position=next(position),
                )
        for kind, number in ((Criterion.BONUS, "A"), (Criterion.DEDUCTION, "B")):
            group = Criterion.objects.create(
                criteria_set=criteria_set,
                number=number,
                text=f"Nhóm {number}",
                kind=Criterion.GROUP,
                max_points=Decimal("5"),
                position=next(position),
            )
            Criterion.objects.create(
                criteria_set=criteria_set,
                parent=group,
                number="a",
                text="Mục a",
                kind=kind,
                max_points=Decimal("5"),
                position=next(position),
            )
        criteria_services.publish(criteria_set=criteria_set, user=None)
        for unit in units:
            scoring.open_scorecard(cluster_year=cluster_year, unit=unit)
        Score.objects.filter(scorecard__cluster_year=cluster_year).update(
            self_score=Decimal("3"), reviewed_score=Decimal("2"), final_score=Decimal("2.5")
        )
        Scorecard.objects.filter(cluster_year=cluster_year).update(
            status=Scorecard.Status.FINALISED
        )
        publish(cluster_year, secretary)
        years.append(cluster_year)
    return cluster, years, secretary


def count(client, user, target) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(target)
    assert response.status_code == 200, target
    return len(ctx.captured_queries)


def test_ranking_pages_make_a_constant_number_of_queries(client):
    def counts(n_units, n_leaves):
        cluster, (cluster_year,), secretary = build(n_units, n_leaves)
        assert cluster_year.criteria_sets.get().criteria.exclude(kind="group").count() == n_leaves
        pages = [
            url("ranking", cluster_year),
            url("ranking", cluster_year, layer="self"),
            url("ranking_print", cluster_year),
            url("ranking_export", cluster_year),
        ]
        return [count(client, secretary, page) for page in pages]

    small = counts(3, 6)
    assert small == [21, 21, 15, 15]
    assert counts(12, 40) == small


def test_trend_makes_a_constant_number_of_queries(client):
    cluster, _, secretary = build(3, 6, n_years=2)
    two = count(client, secretary, reverse("scorecards:ranking_trend", args=[cluster.uuid]))
    assert two == 19
    cluster, _, secretary = build(5, 12, n_years=5)
    five = count(client, secretary, reverse("scorecards:ranking_trend", args=[cluster.uuid]))
    assert two == five


def test_trend_leaves_out_unfinished_scorecards_of_unpublished_years(client, merged):
    cluster, units, years, secretary_2021 = merged
    Score.objects.filter(
        scorecard__cluster_year=years[2021], scorecard__unit=units[1], criterion__number="2"
    ).update(self_score=None, reviewed_score=None, final_score=None)
    client.force_login(secretary_2021)
    response = client.get(reverse("scorecards:ranking_trend", kwargs={"cluster": cluster.uuid}))
    series = trend_chart(response)["series"]
    assert series[0] == {"label": "Tây Ninh", "predecessor": False, "values": [72.9, None]}
    assert ["Tây Ninh", "72,9 %", "–"] in table(response, "trend-table")


def test_a_predecessor_with_its_successors_name_is_labelled_before_the_merger():
    from clusters.models import Unit
    from scorecards.selectors import TrendSeries

    new = Unit(short_name="Lâm Đồng")
    old = Unit(short_name="Lâm Đồng", successor=new, succession_kind=Unit.MERGED)
    renamed = Unit(short_name="Bắc Sơn", successor=new, succession_kind=Unit.RENAMED)
    assert TrendSeries(unit=old, successor=new).label == "Lâm Đồng (trước khi hợp nhất)"
    assert TrendSeries(unit=renamed, successor=new).label == "Bắc Sơn (nay là Lâm Đồng)"
