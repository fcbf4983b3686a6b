"""The ranking settings of a cluster (Thiết lập cụm): grade bands, tie-break order; a published
ranking keeps the settings it was published with."""

from decimal import Decimal

import pytest
from django.urls import reverse

from scorecards.models import GradeBand, RankingPublication, ScoringPolicy
from scorecards.selectors import ranking
from scorecards.services.ranking import publish_ranking
from tests.clusters.factories import SupervisionFactory, UserFactory, make_cluster
from tests.helpers import login, messages_of
from tests.scorecards.factories import finalised
from tests.scorecards.test_ranking_views import year  # noqa: F401  (the 2020 ranking fixture)

pytestmark = pytest.mark.django_db


def url(name, cluster):
    return reverse(f"scorecards:{name}", kwargs={"cluster": cluster.uuid})


def bands_post(rows, initial):
    data = {
        "bands-TOTAL_FORMS": str(len(rows)),
        "bands-INITIAL_FORMS": str(initial),
        "bands-MIN_NUM_FORMS": "0",
        "bands-MAX_NUM_FORMS": "1000",
    }
    for i, (band, name, minimum, delete) in enumerate(rows):
        data |= {f"bands-{i}-band": band, f"bands-{i}-name": name, f"bands-{i}-min_total": minimum}
        if delete:
            data[f"bands-{i}-delete"] = "on"
    return data


def bands_of(cluster):
    return [
        (name, f"{minimum:f}")
        for name, minimum in GradeBand.objects.filter(cluster=cluster)
        .order_by("-min_total")
        .values_list("name", "min_total")
    ]


@pytest.fixture
def bands(scorecard_world):
    cluster = scorecard_world.cluster
    made = [
        GradeBand.objects.create(cluster=cluster, name=name, min_total=Decimal(minimum))
        for name, minimum in [("Xuất sắc", "95"), ("Tốt", "80"), ("Khá", "65")]
    ]
    return scorecard_world, made


def test_the_secretariat_edits_adds_and_deletes_bands_with_the_history(bands):
    world, (excellent, good, fair) = bands
    response = login(world.secretary).post(
        url("settings_grade_bands", world.cluster),
        bands_post(
            [
                (excellent.pk, "Hoàn thành xuất sắc", "92,5", False),
                (good.pk, "Tốt", "95", False),  # takes the old top minimum in the same save
                (fair.pk, "Khá", "65", True),
                ("", "Trung bình", "50", False),
            ],
            initial=3,
        ),
        follow=True,
    )
    assert messages_of(response) == ["Đã lưu các mức xếp loại."]
    assert bands_of(world.cluster) == [
        ("Tốt", "95.00"),
        ("Hoàn thành xuất sắc", "92.50"),
        ("Trung bình", "50.00"),
    ]
    assert excellent.history.latest().history_user == world.secretary
    assert fair.history.latest().history_type == "-"


@pytest.mark.parametrize(
    "rows, errors",
    [
        (
            [("Xuất sắc", "95"), ("Tốt", "95")],
            {
                1: {
                    "min_total": [
                        "Dòng 1 đã bắt đầu từ 95: hai mức xếp loại không được bắt đầu cùng "
                        "một tổng điểm vì sẽ chồng lên nhau."
                    ]
                }
            },
        ),
        (
            [("Xuất sắc", "95"), ("xuất  sắc", "80")],
            {1: {"name": ["Đã có mức xếp loại “xuất  sắc” (dòng 1)."]}},
        ),
        (
            [("Xuất sắc", "-1"), ("Tốt", "80")],
            {0: {"min_total": ["Tổng điểm tối thiểu không được là số âm."]}},
        ),
        (
            [("Xuất sắc", "chín mươi"), ("Tốt", "80")],
            {0: {"min_total": ["Nhập một số, ví dụ 90 hoặc 92,5."]}},
        ),
        ([("", "95"), ("Tốt", "80")], {0: {"name": ["Hãy nhập tên mức xếp loại."]}}),
    ],
)
def test_wrong_bands_are_refused_at_the_field_and_nothing_is_saved(bands, rows, errors):
    world, made = bands
    data = bands_post(
        [
            (band.pk, name, minimum, False)
            for band, (name, minimum) in zip(made[:2], rows, strict=True)
        ]
        + [(made[2].pk, "Khá", "65", False)],
        initial=3,
    )
    response = login(world.secretary).post(url("settings_grade_bands", world.cluster), data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert {i: f.errors for i, f in enumerate(formset.forms) if f.errors} == errors
    assert bands_of(world.cluster) == [("Xuất sắc", "95.00"), ("Tốt", "80.00"), ("Khá", "65.00")]
    assert f'value="{rows[1][0]}"' in response.content.decode()


def test_the_tie_break_order_is_chosen_once_each(scorecard_world):
    world = scorecard_world
    client = login(world.secretary)
    form = client.get(url("settings_tie_breaks", world.cluster)).context["form"]
    assert [label for _key, label in form.fields["tie_break_1"].choices] == [
        "(không)",
        "điểm cơ bản cao hơn",
        "ít điểm trừ hơn",
        "nhiều điểm thưởng hơn",
        "điểm nhóm I cao hơn",
        "điểm nhóm II cao hơn",
        "điểm nhóm III cao hơn",
    ]
    response = client.post(
        url("settings_tie_breaks", world.cluster),
        {"tie_break_1": "group:I", "tie_break_2": "base", "tie_break_3": "group:I"},
    )
    assert response.context["form"].errors == {
        "tie_break_3": ["Tiêu chí này đã được chọn ở vị trí 1: mỗi tiêu chí chỉ chọn một lần."]
    }
    assert not ScoringPolicy.objects.filter(cluster=world.cluster).exists()
    response = client.post(
        url("settings_tie_breaks", world.cluster),
        {"tie_break_1": "group:I", "tie_break_2": "", "tie_break_3": "deductions"},
    )
    assert response.status_code == 302
    policy = ScoringPolicy.objects.get(cluster=world.cluster)
    assert policy.tie_breaks == ["group:I", "deductions"]
    assert policy.history.latest().history_user == world.secretary


def test_an_unknown_tie_break_is_refused_by_the_service(scorecard_world):
    from django.core.exceptions import ValidationError

    from scorecards.services.settings import save_tie_breaks

    with pytest.raises(ValidationError) as refused:
        save_tie_breaks(cluster=scorecard_world.cluster, keys=["base", "group:IX"], user=None)
    assert refused.value.message_dict == {
        "tie_break_2": ["Hãy chọn một trong các tiêu chí đã liệt kê."]
    }


@pytest.mark.parametrize("name", ["settings_grade_bands", "settings_tie_breaks"])
def test_who_may_change_the_ranking_settings(scorecard_world, name):
    world = scorecard_world
    supervisor = SupervisionFactory(cluster=world.cluster).user
    page = url(name, world.cluster)
    assert login(None).get(page).status_code == 302
    for user in [world.officer_a, world.outsider, world.last_secretary, supervisor]:
        assert login(user).get(page).status_code == 403, user
        assert login(user).post(page, {}).status_code == 403, user
    for user in [world.secretary, UserFactory(is_superuser=True)]:
        assert login(user).get(page).status_code == 200, user


def test_editing_bands_later_leaves_the_published_2020_ranking_unchanged(year):  # noqa: F811
    cluster_year, units, secretary = year
    finalised(
        cluster_year, units[4], {"I.1": "10", "I.2": "0", "II.a": "0", "III.a": "0"}, secretary
    )
    publication = publish_ranking(cluster_year=cluster_year, user=secretary)
    assert (publication.tie_breaks, publication.grade_bands) == (
        ["base", "deductions"],
        [["Xuất sắc", "60.00"], ["Tốt", "50.00"], ["Khá", "35.00"]],
    )
    before = [(r.unit.short_name, r.rank, r.grade) for r in ranking(cluster_year=cluster_year)]
    assert before == [
        ("Bình Dương", 1, "Xuất sắc"),
        ("Đồng Nai", 2, "Xuất sắc"),
        ("Long An", 2, "Xuất sắc"),
        ("Tây Ninh", 4, "Khá"),
        ("Bình Phước", 5, ""),
    ]
    cluster = cluster_year.cluster
    admin = UserFactory(is_superuser=True)
    client = login(admin)
    made = list(GradeBand.objects.filter(cluster=cluster).order_by("-min_total"))
    response = client.post(
        url("settings_grade_bands", cluster),
        bands_post(
            [(made[0].pk, "Xuất sắc", "61", False), (made[1].pk, "Tốt", "36", False)]
            + [(made[2].pk, "Khá", "35", True)],
            initial=3,
        ),
    )
    assert response.status_code == 302
    client.post(url("settings_tie_breaks", cluster), {"tie_break_1": "bonus"})
    after = [(r.unit.short_name, r.rank, r.grade) for r in ranking(cluster_year=cluster_year)]
    assert after == before
    # A year not yet published ranks with the settings of today.
    publication.delete()
    today = [(r.unit.short_name, r.rank, r.grade) for r in ranking(cluster_year=cluster_year)]
    assert today == [
        ("Đồng Nai", 1, "Tốt"),
        ("Long An", 1, "Tốt"),
        ("Bình Dương", 3, "Tốt"),
        ("Tây Ninh", 4, "Tốt"),
        ("Bình Phước", 5, ""),
    ]


def test_a_publication_without_a_snapshot_ranks_with_the_settings_of_today(year):  # noqa: F811
    cluster_year, _units, secretary = year
    RankingPublication.objects.create(
        cluster_year=cluster_year, published_at="2021-01-05T00:00:00Z", published_by=secretary
    )
    GradeBand.objects.filter(cluster=cluster_year.cluster, name="Khá").delete()
    grades = [r.grade for r in ranking(cluster_year=cluster_year)]
    assert grades == ["Xuất sắc", "Xuất sắc", "Xuất sắc", "", ""]


@pytest.mark.parametrize("n_bands", [2, 9])
def test_the_bands_page_makes_the_same_queries_at_any_size(django_assert_num_queries, n_bands):
    cluster, _units = make_cluster(3)
    for i in range(n_bands):
        GradeBand.objects.create(cluster=cluster, name=f"Mức {i}", min_total=Decimal(10 * i))
    client = login(UserFactory(is_superuser=True))
    # The session, the user, the cluster, the bands twice (the rows, the formset's own) and the
    # menu of base.html.
    with django_assert_num_queries(12):
        assert client.get(url("settings_grade_bands", cluster)).status_code == 200
