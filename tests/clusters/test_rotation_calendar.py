"""The leadership proposal knows the calendar: a member that does not exist on every day of the
year (merged away, renamed or created during it) is skipped, and the proposal says so in words,
beside the units skipped for having led recently. The secretariat may still choose a skipped
unit, with a reason."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clusters.demo import load_demo_data
from clusters.models import ClusterYear, LeadershipAssignment, LeadershipRole, Membership, Unit
from clusters.services import confirm_leadership, propose_leadership
from tests.clusters.factories import (
    ClusterYearFactory,
    MembershipFactory,
    UnitFactory,
    UserFactory,
    assign,
    make_cluster,
    officer,
)
from tests.helpers import login, year_kwargs

pytestmark = pytest.mark.django_db

LEADER, STANDING, DEPUTY = (
    LeadershipRole.LEADER,
    LeadershipRole.STANDING_DEPUTY,
    LeadershipRole.DEPUTY,
)

# The eleven boards of Cluster No. 4 in rotation order, each merged on 1 July 2025.
MERGED_2025 = [
    "Tiền Giang sáp nhập vào Đồng Tháp từ 01/07/2025, không tồn tại cả năm 2025",
    "Bình Dương sáp nhập vào TP. Hồ Chí Minh từ 01/07/2025, không tồn tại cả năm 2025",
    "Long An sáp nhập vào Tây Ninh từ 01/07/2025, không tồn tại cả năm 2025",
    "Tây Ninh sáp nhập vào Tây Ninh từ 01/07/2025, không tồn tại cả năm 2025",
    "Đồng Nai sáp nhập vào Đồng Nai từ 01/07/2025, không tồn tại cả năm 2025",
    "Bình Phước sáp nhập vào Đồng Nai từ 01/07/2025, không tồn tại cả năm 2025",
    "Bà Rịa - Vũng Tàu sáp nhập vào TP. Hồ Chí Minh từ 01/07/2025, không tồn tại cả năm 2025",
    "Lâm Đồng sáp nhập vào Lâm Đồng từ 01/07/2025, không tồn tại cả năm 2025",
    "Ninh Thuận sáp nhập vào Khánh Hòa từ 01/07/2025, không tồn tại cả năm 2025",
    "Bình Thuận sáp nhập vào Lâm Đồng từ 01/07/2025, không tồn tại cả năm 2025",
    "TP. Hồ Chí Minh sáp nhập vào TP. Hồ Chí Minh từ 01/07/2025, không tồn tại cả năm 2025",
]


def reasons(proposal):
    return [(s.reason, s.leader_only) for s in proposal.skipped]


@pytest.fixture
def demo():
    data = load_demo_data()
    cluster = data["cluster"]
    # 2024, in progress, led by Bà Rịa - Vũng Tàu: its secretariat proposes 2025.
    year_2024 = ClusterYearFactory(cluster=cluster, year=2024)
    assign(year_2024, LEADER, data["units"]["Bà Rịa - Vũng Tàu"])
    data["year_2024"] = year_2024
    return data


def test_demo_2025_skips_the_eleven_boards_merged_on_1_july(demo):
    proposal = propose_leadership(cluster=demo["cluster"], year=2025)
    # The walk starts after Bà Rịa - Vũng Tàu (the 2024 leader) and wraps around.
    assert reasons(proposal) == [(r, False) for r in MERGED_2025[7:] + MERGED_2025[:7]]
    assert [h.unit for h in proposal.holders] == [None, None, None]
    assert proposal.warnings == [
        "Không đủ đơn vị thành viên cho chức danh Cụm trưởng.",
        "Không đủ đơn vị thành viên cho chức danh Cụm phó Thường trực.",
        "Không đủ đơn vị thành viên cho chức danh Cụm phó.",
    ]
    # Every member can still be chosen.
    assert len(proposal.members) == 11


def test_demo_2025_a_skipped_board_chosen_with_a_reason_is_confirmed(demo):
    roles = demo["roles"]
    units = demo["units"]
    reason = "Hội nghị thống nhất giao Bình Dương làm Cụm trưởng đến khi sáp nhập."
    user = UserFactory()
    year = confirm_leadership(
        cluster=demo["cluster"],
        year=2025,
        choices={
            roles[LEADER].pk: units["Bình Dương"],
            roles[STANDING].pk: units["Long An"],
            roles[DEPUTY].pk: units["Tây Ninh"],
        },
        reasons={
            roles[LEADER].pk: reason,
            roles[STANDING].pk: "Theo thứ tự luân phiên.",
            roles[DEPUTY].pk: "Theo thứ tự luân phiên.",
        },
        decided_at=None,
        user=user,
    )
    assert list(
        year.leadership.order_by("role__rank").values_list(
            "role__kind", "unit__short_name", "override_reason", "confirmed_by"
        )
    ) == [
        (LEADER, "Bình Dương", reason, user.pk),
        (STANDING, "Long An", "Theo thứ tự luân phiên.", user.pk),
        (DEPUTY, "Tây Ninh", "Theo thứ tự luân phiên.", user.pk),
    ]


def test_demo_2025_a_skipped_board_without_a_reason_is_refused_at_the_field(demo):
    roles = demo["roles"]
    units = demo["units"]
    with pytest.raises(ValidationError) as error:
        confirm_leadership(
            cluster=demo["cluster"],
            year=2025,
            choices={
                roles[LEADER].pk: units["Bình Dương"],
                roles[STANDING].pk: units["Long An"],
                roles[DEPUTY].pk: units["Tây Ninh"],
            },
            reasons={roles[STANDING].pk: "Theo thứ tự luân phiên.", roles[DEPUTY].pk: " "},
            decided_at=None,
            user=UserFactory(),
        )
    assert error.value.message_dict == {
        f"reason_{roles[LEADER].pk}": [
            "Bình Dương sáp nhập vào TP. Hồ Chí Minh từ 01/07/2025, không tồn tại cả năm 2025: "
            "nêu lý do vẫn chọn đơn vị này."
        ],
        f"reason_{roles[DEPUTY].pk}": [
            "Tây Ninh sáp nhập vào Tây Ninh từ 01/07/2025, không tồn tại cả năm 2025: "
            "nêu lý do vẫn chọn đơn vị này."
        ],
    }
    assert not ClusterYear.objects.filter(cluster=demo["cluster"], year=2025).exists()


def test_demo_2026_successor_inherits_the_2025_leaders_turn(demo):
    roles = demo["roles"]
    units = demo["units"]
    confirm_leadership(
        cluster=demo["cluster"],
        year=2025,
        choices={
            roles[LEADER].pk: units["Bình Dương"],
            roles[STANDING].pk: units["Long An"],
            roles[DEPUTY].pk: units["Tây Ninh"],
        },
        reasons={role.pk: "Hội nghị thống nhất." for role in roles.values()},
        decided_at=None,
        user=UserFactory(),
    )
    proposal = propose_leadership(cluster=demo["cluster"], year=2026)
    # The six successors exist all of 2026; TP. Hồ Chí Minh, first after Bình Dương's slot,
    # inherits Bình Dương's 2025 turn and is passed over for leader only.
    assert [h.unit.short_name for h in proposal.holders] == [
        "Tây Ninh",
        "TP. Hồ Chí Minh",
        "Đồng Nai",
    ]
    assert [h.unit for h in proposal.holders][0] == demo["successors"]["Tây Ninh"]
    assert reasons(proposal) == [
        (
            "TP. Hồ Chí Minh kế thừa lượt của Bà Rịa - Vũng Tàu, đơn vị đã làm Cụm trưởng năm "
            "2024 (trong 3 năm gần nhất); TP. Hồ Chí Minh kế thừa lượt của Bình Dương, đơn vị đã "
            "làm Cụm trưởng năm 2025 (trong 3 năm gần nhất)",
            True,
        )
    ]


def test_unit_created_mid_year_and_renamed_unit_are_skipped_with_their_reasons():
    cluster, units = make_cluster(3)
    newcomer = UnitFactory(province="Mới lập", valid_from=datetime.date(2025, 7, 1))
    MembershipFactory(cluster=cluster, unit=newcomer, start_year=2025)
    cluster.rotation.create(unit=newcomer, position=4)
    renamed_to = UnitFactory(province="Tên mới", valid_from=datetime.date(2025, 3, 1))
    old = units[1]
    old.valid_until = datetime.date(2025, 2, 28)
    old.successor, old.succession_kind = renamed_to, Unit.RENAMED
    old.save()
    Membership.objects.filter(unit=old).update(end_year=2025)
    short_lived = UnitFactory(
        province="Tạm thời",
        valid_from=datetime.date(2025, 2, 1),
        valid_until=datetime.date(2025, 10, 31),
    )
    MembershipFactory(cluster=cluster, unit=short_lived, start_year=2025, end_year=2025)
    cluster.rotation.create(unit=short_lived, position=5)
    assign(ClusterYearFactory(cluster=cluster, year=2024), LEADER, units[2])

    proposal = propose_leadership(cluster=cluster, year=2025)
    assert reasons(proposal) == [
        ("Mới lập chỉ tồn tại từ 01/07/2025, không tồn tại cả năm 2025", False),
        ("Tạm thời chỉ tồn tại từ 01/02/2025 đến 31/10/2025, không tồn tại cả năm 2025", False),
        (f"{old.short_name} đổi tên thành Tên mới từ 01/03/2025, không tồn tại cả năm 2025", False),
        (
            f"{units[2].short_name} đã làm Cụm trưởng năm 2024 (trong 3 năm gần nhất)",
            True,
        ),
    ]
    assert [h.unit for h in proposal.holders] == [units[0], units[2], None]


def test_a_unit_that_ends_before_the_year_ends_without_successor_is_skipped():
    cluster, units = make_cluster(3)
    units[0].valid_until = datetime.date(2025, 9, 30)
    units[0].save()
    Membership.objects.filter(unit=units[0]).update(end_year=2025)
    proposal = propose_leadership(cluster=cluster, year=2025)
    assert reasons(proposal) == [
        (f"{units[0].short_name} chỉ tồn tại đến 30/09/2025, không tồn tại cả năm 2025", False)
    ]
    assert [h.unit for h in proposal.holders] == [units[1], units[2], None]


def test_recent_leaders_are_listed_unless_everyone_led_recently():
    cluster, units = make_cluster(3)
    for year, unit in [(2022, units[0]), (2023, units[1]), (2024, units[2])]:
        assign(ClusterYearFactory(cluster=cluster, year=year), LEADER, unit)
    # Everyone led in the last 3 years: the rotation order alone decides, nobody is skipped.
    proposal = propose_leadership(cluster=cluster, year=2025)
    assert proposal.skipped == []
    assert proposal.holders[0].unit == units[0]
    assert proposal.holders[0].why == (
        "kế tiếp theo thứ tự luân phiên (tất cả đơn vị thành viên đều mới làm Cụm trưởng gần đây)"
    )


# The page of the 2024 secretariat.


def page_url(demo):
    return reverse("clusters:leadership_next", kwargs=year_kwargs(demo["year_2024"]))


def test_page_lists_the_skipped_boards_in_words(demo):
    response = login(demo["users"]["brvt"]).get(page_url(demo))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Các đơn vị đề xuất đã bỏ qua" in html
    for reason in MERGED_2025:
        assert f"<li>{reason}.</li>" in html


def test_page_refuses_a_skipped_board_without_reason_then_confirms_it_with_one(demo):
    roles = demo["roles"]
    units = demo["units"]
    client = login(demo["users"]["brvt"])
    data = {
        f"role_{roles[LEADER].pk}": units["Bình Dương"].pk,
        f"role_{roles[STANDING].pk}": units["Long An"].pk,
        f"role_{roles[DEPUTY].pk}": units["Tây Ninh"].pk,
        f"reason_{roles[STANDING].pk}": "Theo thứ tự luân phiên.",
        f"reason_{roles[DEPUTY].pk}": "Theo thứ tự luân phiên.",
    }
    response = client.post(page_url(demo), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        f"reason_{roles[LEADER].pk}": [
            "Bình Dương sáp nhập vào TP. Hồ Chí Minh từ 01/07/2025, không tồn tại cả năm 2025: "
            "nêu lý do vẫn chọn đơn vị này."
        ]
    }
    assert not LeadershipAssignment.objects.filter(cluster_year__year=2025).exists()

    data[f"reason_{roles[LEADER].pk}"] = "Hội nghị thống nhất."
    response = client.post(page_url(demo), data)
    assert response.status_code == 302
    assert list(
        LeadershipAssignment.objects.filter(cluster_year__year=2025)
        .order_by("role__rank")
        .values_list("unit__short_name", "override_reason")
    ) == [
        ("Bình Dương", "Hội nghị thống nhất."),
        ("Long An", "Theo thứ tự luân phiên."),
        ("Tây Ninh", "Theo thứ tự luân phiên."),
    ]


def test_page_refuses_the_wrong_people(demo):
    users = demo["users"]
    # 2023, closed, led by Tây Ninh: its secretariat is last year's.
    assign(
        ClusterYearFactory(cluster=demo["cluster"], year=2023, status=ClusterYear.Status.CLOSED),
        LEADER,
        demo["units"]["Tây Ninh"],
    )
    url = page_url(demo)
    anonymous = login(None).get(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith("/accounts/login/")
    # Another member's officer (Lâm Đồng), last year's secretariat (Tây Ninh), the supervisor
    # (reads only), another cluster's officer.
    for username in ("lamdong", "tayninh", "giamsat", "cum5"):
        assert login(users[username]).get(url).status_code == 403, username
        assert login(users[username]).post(url, {}).status_code == 403, username
    assert not ClusterYear.objects.filter(cluster=demo["cluster"], year=2025).exists()


def build_merging_cluster(n_units: int):
    """A cluster of n units whose every unit but the first merges into a new board on
    1 July 2025; 2024 led by the first, whose officer is returned."""
    cluster, units = make_cluster(n_units)
    for unit in units[1:]:
        unit.valid_until = datetime.date(2025, 6, 30)
        unit.successor = UnitFactory(valid_from=datetime.date(2025, 7, 1))
        unit.succession_kind = Unit.MERGED
        unit.save()
    Membership.objects.filter(unit__in=units[1:]).update(end_year=2025)
    year_2024 = ClusterYearFactory(cluster=cluster, year=2024)
    assign(year_2024, LEADER, units[0])
    return year_2024, officer(units[0], start="2024-01-01")


def test_page_query_count_does_not_grow_with_the_skipped_units(django_assert_num_queries):
    counts = []
    for n_units in (3, 9):
        year_2024, user = build_merging_cluster(n_units)
        client = login(user)
        url = reverse("clusters:leadership_next", kwargs=year_kwargs(year_2024))
        with django_assert_num_queries(25) as captured:
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count("không tồn tại cả năm 2025.</li>") == n_units - 1
        counts.append(len(captured.captured_queries))
    assert counts == [25, 25]
