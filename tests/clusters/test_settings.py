"""The cluster settings area (Thiết lập cụm) of clusters: roles, rotation order, rotation rule;
who may read and change them; the overview's queries."""

import pytest
from django.urls import reverse

from clusters.models import ClusterYear, LeadershipRole, RotationSlot
from tests.clusters.factories import SupervisionFactory, UserFactory, make_cluster
from tests.helpers import login, messages_of

pytestmark = pytest.mark.django_db


def url(name, cluster):
    return reverse(f"clusters:{name}", kwargs={"cluster": cluster.uuid})


def roles_post(rows, extra=0):
    """The roles formset's data: rows of (role id or "", name, kind, order, delete)."""
    data = {
        "roles-TOTAL_FORMS": str(len(rows)),
        "roles-INITIAL_FORMS": str(len(rows) - extra),
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
    }
    for i, (role, name, kind, order, delete) in enumerate(rows):
        data |= {
            f"roles-{i}-role": role,
            f"roles-{i}-name": name,
            f"roles-{i}-kind": kind,
            f"roles-{i}-order": order,
        }
        if delete:
            data[f"roles-{i}-delete"] = "on"
    return data


def role_rows(cluster):
    return list(cluster.roles.order_by("rank").values_list("name", "kind", "rank"))


ROLES = [
    ("Cụm trưởng", "leader", 1),
    ("Cụm phó Thường trực", "standing_deputy", 2),
    ("Cụm phó", "deputy", 3),
]


def test_the_secretariat_adds_renames_and_reorders_roles_with_the_history(cluster_world):
    world = cluster_world
    leader, standing, deputy = world.cluster.roles.order_by("rank")
    client = login(world.secretary)
    response = client.post(
        url("settings_roles", world.cluster),
        roles_post(
            [
                (leader.pk, "Trưởng cụm", "leader", "1", False),
                (standing.pk, "Phó cụm thường trực", "standing_deputy", "2", False),
                (deputy.pk, "Phó cụm", "deputy", "4", False),
                ("", "Ủy viên", "deputy", "3", False),
            ],
            extra=1,
        ),
        follow=True,
    )
    assert response.redirect_chain == [(url("settings", world.cluster), 302)]
    assert messages_of(response) == ["Đã lưu các chức danh Thường trực Cụm."]
    assert role_rows(world.cluster) == [
        ("Trưởng cụm", "leader", 1),
        ("Phó cụm thường trực", "standing_deputy", 2),
        ("Ủy viên", "deputy", 3),
        ("Phó cụm", "deputy", 4),
    ]
    latest = leader.history.latest()
    assert (latest.name, latest.history_user) == ("Trưởng cụm", world.secretary)


def test_two_roles_of_the_same_name_are_refused_at_the_field_and_nothing_is_saved(
    cluster_world,
):
    world = cluster_world
    leader, standing, deputy = world.cluster.roles.order_by("rank")
    response = login(world.secretary).post(
        url("settings_roles", world.cluster),
        roles_post(
            [
                (leader.pk, "Trưởng cụm", "leader", "1", False),
                (standing.pk, "Phó cụm", "standing_deputy", "2", False),
                (deputy.pk, " phó  CỤM ", "deputy", "3", False),
            ]
        ),
    )
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.forms[2].errors == {
        "name": ["Đã có chức danh “phó  CỤM” (dòng 2): hai chức danh không được trùng tên."]
    }
    assert formset.forms[0].errors == formset.forms[1].errors == {}
    assert role_rows(world.cluster) == ROLES
    # What was typed is still there.
    assert 'value="Trưởng cụm"' in response.content.decode()


def test_a_second_leader_role_is_refused_at_its_kind(cluster_world):
    world = cluster_world
    leader, standing, deputy = world.cluster.roles.order_by("rank")
    response = login(world.secretary).post(
        url("settings_roles", world.cluster),
        roles_post(
            [
                (leader.pk, "Cụm trưởng", "leader", "1", False),
                (standing.pk, "Cụm phó Thường trực", "leader", "2", False),
                (deputy.pk, "Cụm phó", "deputy", "3", False),
            ]
        ),
    )
    assert response.context["formset"].forms[1].errors == {
        "kind": ["Mỗi cụm thi đua chỉ có đúng một chức danh Cụm trưởng."]
    }
    assert role_rows(world.cluster) == ROLES


def test_a_role_held_in_a_year_cannot_be_deleted_an_unused_one_can(cluster_world):
    world = cluster_world
    leader, standing, deputy = world.cluster.roles.order_by("rank")
    client = login(world.secretary)
    rows = [
        (leader.pk, "Cụm trưởng", "leader", "1", False),
        (standing.pk, "Cụm phó Thường trực", "standing_deputy", "2", True),
        (deputy.pk, "Cụm phó", "deputy", "3", True),
    ]
    response = client.post(url("settings_roles", world.cluster), roles_post(rows))
    assert response.context["formset"].forms[1].errors == {
        "delete": [
            "“Cụm phó Thường trực” đã có đơn vị đảm nhiệm năm 2021: không thể xóa chức danh "
            "đã dùng trong Thường trực Cụm."
        ]
    }
    assert role_rows(world.cluster) == ROLES
    rows[1] = (standing.pk, "Cụm phó Thường trực", "standing_deputy", "2", False)
    response = client.post(url("settings_roles", world.cluster), roles_post(rows))
    assert response.status_code == 302
    assert role_rows(world.cluster) == ROLES[:2]
    assert deputy.history.latest().history_type == "-"
    assert deputy.history.latest().history_user == world.secretary


def test_the_rotation_is_renumbered_and_a_unit_left_blank_leaves_it(cluster_world):
    world = cluster_world
    units = world.units
    data = {f"unit_{u.pk}": str(p) for u, p in zip(units, [5, 1, 2, 3, 4], strict=True)}
    data[f"unit_{units[4].pk}"] = ""
    data[f"unit_{units[0].pk}"] = "4"
    response = login(world.secretary).post(url("settings_rotation", world.cluster), data)
    assert response.status_code == 302
    order = list(
        RotationSlot.objects.filter(cluster=world.cluster)
        .order_by("position")
        .values_list("unit__short_name", "position")
    )
    assert order == [
        (units[1].short_name, 1),
        (units[2].short_name, 2),
        (units[3].short_name, 3),
        (units[0].short_name, 4),
    ]
    assert RotationSlot.history.filter(history_user=world.secretary).count() == 5


def test_a_position_given_twice_or_a_gap_is_refused_at_the_unit(cluster_world):
    world = cluster_world
    units = world.units
    data = {f"unit_{u.pk}": str(p) for u, p in zip(units, [1, 2, 2, 4, 6], strict=True)}
    response = login(world.secretary).post(url("settings_rotation", world.cluster), data)
    form = response.context["form"]
    assert form.errors == {
        f"unit_{units[2].pk}": ["Vị trí 2 đã dành cho dòng 2."],
        f"unit_{units[4].pk}": ["Đánh số các đơn vị từ 1 đến 4, không bỏ cách số nào."],
    }
    positions = list(world.cluster.rotation.order_by("position").values_list("unit", flat=True))
    assert positions == [u.pk for u in units]


def test_the_rotation_rule_is_saved_with_the_history_and_checked(cluster_world):
    world = cluster_world
    client = login(world.secretary)
    response = client.post(
        url("settings_rotation_rule", world.cluster), {"recent_leader_years": "25"}
    )
    assert response.context["form"].errors == {
        "recent_leader_years": ["Hãy nhập số năm từ 0 đến 20."]
    }
    response = client.post(
        url("settings_rotation_rule", world.cluster), {"recent_leader_years": "2"}
    )
    assert response.status_code == 302
    world.cluster.refresh_from_db()
    assert world.cluster.recent_leader_years == 2
    assert world.cluster.history.latest().history_user == world.secretary


WRITE_PAGES = ["settings_roles", "settings_rotation", "settings_rotation_rule"]


@pytest.mark.parametrize("name", WRITE_PAGES)
def test_who_may_change_the_settings(cluster_world, name):
    world = cluster_world
    supervisor = SupervisionFactory(cluster=world.cluster).user
    page = url(name, world.cluster)
    anonymous = login(None).get(page)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))
    for user in [world.officer_a, world.outsider, world.last_secretary, supervisor]:
        assert login(user).get(page).status_code == 403, user
        assert login(user).post(page, {}).status_code == 403, user
    for user in [world.secretary, world.staff, UserFactory(is_superuser=True)]:
        assert login(user).get(page).status_code == 200, user


def test_once_every_year_is_closed_only_admins_change_the_settings(cluster_world):
    world = cluster_world
    world.year.status = ClusterYear.Status.CLOSED
    world.year.save()
    assert login(world.secretary).get(url("settings_roles", world.cluster)).status_code == 403
    admin = UserFactory(is_superuser=True)
    assert login(admin).get(url("settings_roles", world.cluster)).status_code == 200


def test_who_may_read_the_settings(cluster_world):
    world = cluster_world
    supervisor = SupervisionFactory(cluster=world.cluster).user
    page = url("settings", world.cluster)
    assert login(None).get(page).status_code == 302
    for user in [world.officer_a, world.outsider, world.last_secretary]:
        assert login(user).get(page).status_code == 403, user
    read = login(supervisor).get(page)
    assert read.status_code == 200 and read.context["can_change"] is False
    content = read.content.decode()
    assert "Bạn được xem nhưng không được thay đổi các thiết lập này." in content
    assert url("settings_roles", world.cluster) not in content
    write = login(world.secretary).get(page)
    assert write.context["can_change"] is True
    assert url("settings_roles", world.cluster) in write.content.decode()


def test_the_cluster_page_links_to_its_settings_for_who_may_read_them(cluster_world):
    world = cluster_world
    link = url("settings", world.cluster)
    assert link in login(world.secretary).get(url("cluster_detail", world.cluster)).content.decode()
    assert (
        link
        not in login(world.officer_a).get(url("cluster_detail", world.cluster)).content.decode()
    )


def _settings_queries(django_assert_num_queries, n_units, expected):
    cluster, units = make_cluster(n_units)
    ClusterYear.objects.create(cluster=cluster, year=2021)
    for i in range(n_units):
        LeadershipRole.objects.create(
            cluster=cluster, name=f"Ủy viên {i}", kind="deputy", rank=10 + i
        )
    admin = UserFactory(is_superuser=True)
    client = login(admin)
    for name, count in expected.items():
        with django_assert_num_queries(count):
            assert client.get(url(name, cluster)).status_code == 200


# Every page: session, user, cluster, then the 7 of base.html's menu (the account's clusters and
# roles). The overview: open year, roles, rotation, and the sections (tie-breaks, bands, award
# settings); the roles page: the roles for the rows and for the formset, the roles held; the
# rotation page: the slots, the open year, the members and their predecessors.
SETTINGS_QUERIES = {"settings": 17, "settings_roles": 14, "settings_rotation": 15}


@pytest.mark.parametrize("n_units", [3, 12])
def test_settings_pages_make_the_same_queries_at_any_size(django_assert_num_queries, n_units):
    _settings_queries(django_assert_num_queries, n_units, SETTINGS_QUERIES)


JUNK = [
    {},
    {"roles-TOTAL_FORMS": "x"},
    {"roles-TOTAL_FORMS": "1", "roles-INITIAL_FORMS": "0", "roles-0-role": "abc"},
    {"roles-TOTAL_FORMS": "1", "roles-INITIAL_FORMS": "0", "roles-0-role": "999999"},
    {"bands-TOTAL_FORMS": "1", "bands-INITIAL_FORMS": "0", "bands-0-min_total": "1e999"},
    {"recent_leader_years": "-3", "tie_break_1": "nonsense", "secrecy_threshold": "x"},
]
JUNK_PAGES = [
    "clusters:settings_roles",
    "clusters:settings_rotation",
    "clusters:settings_rotation_rule",
    "scorecards:settings_grade_bands",
    "scorecards:settings_tie_breaks",
    "awards:settings_polls",
]


def test_tampered_posts_are_answered_without_an_error(cluster_world):
    world = cluster_world
    client = login(world.secretary)
    for name in JUNK_PAGES:
        page = reverse(name, kwargs={"cluster": world.cluster.uuid})
        for data in JUNK:
            # Refused on the page, or (an empty tie-break order) saved: never an error.
            assert client.post(page, data).status_code in (200, 302), (name, data)
    assert role_rows(world.cluster) == ROLES
    for name in ["cluster", "units", "roles", "rotation", "year", "officers", "review"]:
        page = reverse("clusters:cluster_wizard_step", kwargs={"step": name})
        for data in JUNK:
            response = login(UserFactory(is_superuser=True)).post(page, data)
            assert response.status_code in (200, 302), (name, data)


def test_the_arrows_move_a_unit_one_place_and_save(cluster_world):
    world = cluster_world
    units = world.units
    client = login(world.secretary)
    page = url("settings_rotation", world.cluster)
    response = client.post(page, {"move": f"{units[2].pk}:up"}, follow=True)
    assert response.redirect_chain == [(page, 302)]
    assert messages_of(response) == ["Đã lưu thứ tự luân phiên."]
    order = list(world.cluster.rotation.order_by("position").values_list("unit", flat=True))
    assert order == [units[0].pk, units[2].pk, units[1].pk, units[3].pk, units[4].pk]
    # Past an end, or a unit of no rotation: nothing moves.
    client.post(page, {"move": f"{units[0].pk}:up"})
    client.post(page, {"move": f"{world.outsider.pk}:down"})
    client.post(page, {"move": "x:sideways"})
    assert list(world.cluster.rotation.order_by("position").values_list("unit", flat=True)) == order
    assert f'value="{units[4].pk}:down"' in client.get(page).content.decode()
