"""The new-cluster wizard: seven screens, what each keeps, its refusals, and its one write."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from clusters.models import (
    Cluster,
    ClusterYear,
    Invitation,
    LeadershipAssignment,
    LeadershipRole,
    Membership,
    RotationSlot,
    Supervision,
    Unit,
)
from tests.clusters.factories import SupervisionFactory, UnitFactory, UserFactory
from tests.helpers import login, messages_of

pytestmark = pytest.mark.django_db

NINE = [
    "Tây Ninh | Ban Tổ chức Tỉnh ủy Tây Ninh | Tây Ninh",
    "Bình Dương",
    "Đồng Nai | Ban Tổ chức Tỉnh ủy Đồng Nai",
    "Long An",
    "Bình Phước",
    "Bà Rịa - Vũng Tàu",
    "Lâm Đồng",
    "Bình Thuận",
    "Ninh Thuận",
]


def step(name):
    return reverse("clusters:cluster_wizard_step", kwargs={"step": name})


def roles_data(rows):
    data = {
        "roles-TOTAL_FORMS": str(len(rows)),
        "roles-INITIAL_FORMS": "3",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
    }
    for i, (name, kind) in enumerate(rows):
        data |= {f"roles-{i}-name": name, f"roles-{i}-kind": kind}
    return data


FOUR_ROLES = [
    ("Trưởng cụm", "leader"),
    ("Phó cụm thường trực", "standing_deputy"),
    ("Phó cụm", "deputy"),
    ("Ủy viên", "deputy"),
    ("", "deputy"),
    ("", "deputy"),
]


@pytest.fixture
def admin():
    return UserFactory(is_superuser=True)


def through_units(client, lines=NINE, existing=()):
    assert client.post(
        step("cluster"),
        {
            "number": "999",
            "name": "Cụm thi đua số 999",
            "sector": "Tổ chức",
            "supervising_body": "",
        },
    ).url == step("units")
    response = client.post(
        step("units"),
        {
            "units_text": "\n".join(lines),
            "existing": [u.pk for u in existing],
            "start_year": "2025",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    return response


def keys_of(client):
    """The units step's keys, from the rotation step's fields (in the order typed)."""
    form = client.get(step("rotation")).context["form"]
    return [name for name in form.fields]


def test_an_admin_builds_a_nine_unit_cluster_in_seven_screens(
    admin, django_capture_on_commit_callbacks
):
    client = login(admin)
    assert client.get(reverse("clusters:cluster_wizard")).url == step("cluster")
    through_units(client)
    assert client.post(step("roles"), roles_data(FOUR_ROLES)).url == step("rotation")
    fields = keys_of(client)
    # Bình Dương leads first, then Tây Ninh, then the rest as typed.
    positions = {name: str(p) for name, p in zip(fields, [2, 1, 3, 4, 5, 6, 7, 8, 9], strict=True)}
    assert client.post(step("rotation"), positions).url == step("year")
    year_page = client.get(step("year"))
    form = year_page.context["form"]
    # The leadership is proposed from the rotation order.
    assert [form[f"role_{i}"].value() for i in range(4)] == ["new-1", "new-0", "new-2", "new-3"]
    response = client.post(
        step("year"),
        {
            "year": "2025",
            "scorecard_deadline": "15/11/2025",
            "role_0": "new-1",
            "role_1": "new-0",
            "role_2": "new-2",
            "role_3": "new-3",
        },
    )
    assert response.url == step("officers")
    # An address without a name, and an address an account uses: refused at their fields.
    taken = UserFactory(email="dadung@example.vn")
    refused = client.post(
        step("officers"), {"email_new_0": "tayninh@example.vn", "email_new_1": taken.email}
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors == {
        "name_new_0": ["Hãy nhập họ và tên người được mời."],
        "name_new_1": ["Hãy nhập họ và tên người được mời."],
        "email_new_1": ["Địa chỉ này đã được một tài khoản sử dụng."],
    }
    response = client.post(
        step("officers"),
        {"name_new_0": "Trần Văn Tâm", "email_new_0": "tayninh@example.vn", "email_new_1": ""},
    )
    assert response.url == step("review")
    review = client.get(step("review"))
    assert review.status_code == 200
    content = review.content.decode()
    assert "Số 999: Cụm thi đua số 999" in content
    assert "Bước 7/7" in content
    assert Cluster.objects.filter(number=999).count() == 0  # nothing written before the end

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(step("review"), follow=True)
    cluster = Cluster.objects.get(number=999)
    assert response.redirect_chain == [(cluster.get_absolute_url(), 302)]
    assert messages_of(response) == [
        "Đã tạo Cụm thi đua số 999 với năm thi đua đầu tiên 2025.",
        "Đã gửi lời mời tới: Tây Ninh: tayninh@example.vn.",
    ]
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.unit.short_name, invitation.person.full_name) == (
        "tayninh@example.vn",
        "Tây Ninh",
        "Trần Văn Tâm",
    )
    assert str(invitation.start_date) == "2025-01-01"
    assert [message.to for message in mail.outbox] == [["tayninh@example.vn"]]
    assert "/invitations/accept/" in mail.outbox[0].body
    assert list(cluster.roles.order_by("rank").values_list("name", "kind", "rank")) == [
        ("Trưởng cụm", "leader", 1),
        ("Phó cụm thường trực", "standing_deputy", 2),
        ("Phó cụm", "deputy", 3),
        ("Ủy viên", "deputy", 4),
    ]
    assert list(
        RotationSlot.objects.filter(cluster=cluster)
        .order_by("position")
        .values_list("unit__short_name", flat=True)
    ) == [
        "Bình Dương",
        "Tây Ninh",
        "Đồng Nai",
        "Long An",
        "Bình Phước",
        "Bà Rịa - Vũng Tàu",
        "Lâm Đồng",
        "Bình Thuận",
        "Ninh Thuận",
    ]
    tay_ninh = Unit.objects.get(short_name="Tây Ninh")
    assert (tay_ninh.name, tay_ninh.province) == ("Ban Tổ chức Tỉnh ủy Tây Ninh", "Tây Ninh")
    binh_duong = Unit.objects.get(short_name="Bình Dương")
    assert (binh_duong.name, binh_duong.province) == ("Bình Dương", "")
    assert set(
        Membership.objects.filter(cluster=cluster).values_list("start_year", "end_year")
    ) == {(2025, None)}
    assert Membership.objects.filter(cluster=cluster).count() == 9
    cluster_year = ClusterYear.objects.get(cluster=cluster)
    assert (cluster_year.year, cluster_year.status, cluster_year.scorecard_deadline) == (
        2025,
        ClusterYear.Status.PLANNING,
        datetime.date(2025, 11, 15),
    )
    leadership = LeadershipAssignment.objects.filter(cluster_year=cluster_year).order_by(
        "role__rank"
    )
    assert [(a.role.name, a.unit.short_name, a.confirmed_by) for a in leadership] == [
        ("Trưởng cụm", "Bình Dương", admin),
        ("Phó cụm thường trực", "Tây Ninh", admin),
        ("Phó cụm", "Đồng Nai", admin),
        ("Ủy viên", "Long An", admin),
    ]
    assert all(a.confirmed_at is not None for a in leadership)
    assert cluster.history.latest().history_user == admin
    assert not Supervision.objects.filter(cluster=cluster).exists()  # an admin sees it anyway
    assert "cluster_wizard" not in client.session


def test_a_units_step_with_no_units_is_refused_at_the_field_and_keeps_the_rest(admin):
    client = login(admin)
    client.post(step("cluster"), {"number": "999", "name": "Cụm 12"})
    response = client.post(step("units"), {"units_text": "\n  \n", "start_year": "2024"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "units_text": [
            "Hãy nhập các đơn vị thành viên (mỗi dòng một đơn vị) hoặc chọn đơn vị đã có."
        ]
    }
    assert 'value="2024"' in response.content.decode()
    # A later step cannot be opened before this one is done.
    assert client.get(step("roles")).url == step("units")
    # Going back to the first step shows what was typed there.
    assert 'value="Cụm 12"' in client.get(step("cluster")).content.decode()
    assert Unit.objects.count() == 0


def test_a_unit_typed_twice_or_also_chosen_is_refused(admin):
    existing = UnitFactory(short_name="Long An")
    client = login(admin)
    client.post(step("cluster"), {"number": "999", "name": "Cụm 12"})
    response = client.post(
        step("units"), {"units_text": "Tây Ninh\nBình Dương\ntây ninh", "start_year": "2025"}
    )
    assert response.context["form"].errors == {
        "units_text": ["“tây ninh” có ở cả dòng 1 và dòng 3."]
    }
    response = client.post(
        step("units"),
        {"units_text": "Tây Ninh\nLong An", "existing": [existing.pk], "start_year": "2025"},
    )
    assert response.context["form"].errors == {
        "units_text": ["Đã được chọn trong số đơn vị đã có: Long An."]
    }


def test_two_roles_of_the_same_name_are_refused_at_the_row(admin):
    client = login(admin)
    through_units(client)
    rows = [("Trưởng cụm", "leader"), ("Phó cụm", "standing_deputy"), ("Phó cụm", "deputy")]
    response = client.post(step("roles"), roles_data(rows))
    formset = response.context["form"]
    assert formset.forms[2].errors == {
        "name": ["Đã có chức danh “Phó cụm” (dòng 2): hai chức danh không được trùng tên."]
    }
    assert client.get(step("rotation")).url == step("roles")


def test_the_year_step_refuses_a_unit_in_two_roles_and_an_early_deadline(admin):
    client = login(admin)
    through_units(client)
    client.post(step("roles"), roles_data(FOUR_ROLES[:3]))
    fields = keys_of(client)
    client.post(step("rotation"), {name: str(i + 1) for i, name in enumerate(fields)})
    response = client.post(
        step("year"),
        {"year": "2025", "pledge_deadline": "01/12/2024", "role_0": "new-0", "role_1": "new-0"},
    )
    assert response.context["form"].errors == {
        "pledge_deadline": ["Ngày không được trước năm 2025."],
        "role_1": ["Đơn vị này đã đảm nhiệm chức danh Trưởng cụm."],
        "role_2": ["Hãy chọn đơn vị đảm nhiệm chức danh này."],
    }
    assert 'value="01/12/2024"' in response.content.decode()
    assert Cluster.objects.count() == 0


def test_changing_the_units_sends_the_rotation_back_to_be_checked(admin):
    client = login(admin)
    through_units(client, lines=["Tây Ninh", "Long An"])
    client.post(step("roles"), roles_data(FOUR_ROLES[:2] + [("", "deputy")]))
    client.post(step("rotation"), {"pos_new_0": "1", "pos_new_1": "2"})
    response = client.post(
        step("units"), {"units_text": "Tây Ninh\nLong An\nBình Dương", "start_year": "2025"}
    )
    assert response.url == step("roles")
    # The rotation kept two numbers for three units: it is the first step to see again.
    assert client.get(step("year")).url == step("rotation")


def test_an_existing_unit_joins_and_a_supervisor_gets_to_supervise_the_new_cluster():
    supervisor = SupervisionFactory().user
    existing = UnitFactory(short_name="Long An")
    client = login(supervisor)
    through_units(client, lines=["Tây Ninh"], existing=[existing])
    client.post(step("roles"), roles_data([("Cụm trưởng", "leader"), ("Cụm phó", "deputy")]))
    client.post(step("rotation"), {"pos_new_0": "2", f"pos_unit_{existing.pk}": "1"})
    client.post(step("year"), {"year": "2026", "role_0": f"unit-{existing.pk}", "role_1": "new-0"})
    client.post(step("officers"), {})
    response = client.post(step("review"))
    cluster = Cluster.objects.get(number=999)
    assert response.url == cluster.get_absolute_url()
    assert Supervision.objects.filter(cluster=cluster, user=supervisor).exists()
    assert set(cluster.memberships.values_list("unit__short_name", flat=True)) == {
        "Tây Ninh",
        "Long An",
    }
    assert Unit.objects.filter(short_name="Long An").count() == 1
    assert cluster.roles.get(kind=LeadershipRole.LEADER).name == "Cụm trưởng"
    assert login(supervisor).get(cluster.get_absolute_url()).status_code == 200


def test_a_cluster_number_taken_meanwhile_is_told_on_the_review_and_nothing_is_saved(admin):
    client = login(admin)
    through_units(client, lines=["Tây Ninh", "Long An"])
    client.post(step("roles"), roles_data([("Cụm trưởng", "leader"), ("", "deputy")]))
    client.post(step("rotation"), {"pos_new_0": "1", "pos_new_1": "2"})
    client.post(step("year"), {"year": "2025", "role_0": "new-0"})
    client.post(step("officers"), {})
    Cluster.objects.create(number=999, name="Cụm khác")
    # The cluster step is checked again on every screen: the review sends back to it.
    assert client.get(step("review")).url == step("cluster")
    response = client.get(step("cluster"))
    assert response.context["form"].errors == {"number": ["Đã có cụm thi đua số 999."]}
    assert Unit.objects.count() == 0


def test_who_may_use_the_wizard(cluster_world):
    world = cluster_world
    for user in [world.secretary, world.officer_a, world.outsider]:
        assert login(user).get(step("cluster")).status_code == 403
        assert login(user).post(step("review")).status_code == 403
    anonymous = login(None).get(step("cluster"))
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))
    supervisor = SupervisionFactory(cluster=world.cluster).user
    assert login(supervisor).get(step("cluster")).status_code == 200
    assert login(UserFactory(is_superuser=True)).get(step("nowhere")).status_code == 404
    listing = reverse("clusters:cluster_list")
    assert reverse("clusters:cluster_wizard") in login(supervisor).get(listing).content.decode()
    assert (
        reverse("clusters:cluster_wizard")
        not in login(world.secretary).get(listing).content.decode()
    )


def test_the_service_refuses_a_draft_that_does_not_hold_together(admin):
    from django.core.exceptions import ValidationError

    from clusters.services_settings import ClusterDraft, NewUnit, create_cluster

    draft = ClusterDraft(
        number=999,
        name="Cụm 999",
        sector="",
        supervising_body="",
        new_units=[NewUnit("Tây Ninh", "Tây Ninh", ""), NewUnit("tây ninh", "Tây Ninh", "")],
        existing_unit_ids=[],
        start_year=2025,
        roles=[("Cụm trưởng", "leader"), ("Cụm trưởng", "deputy")],
        rotation=["new-0"],
        year=2024,
        deadlines={"pledge_deadline": datetime.date(2023, 12, 1)},
        leadership=["new-0", "new-0"],
    )
    with pytest.raises(ValidationError) as refused:
        create_cluster(draft=draft, user=admin, base_url="http://testserver/")
    assert refused.value.message_dict == {
        "units": ["Có hai đơn vị thành viên trùng tên gọi tắt."],
        "roles": ["Đã có chức danh “Cụm trưởng” (dòng 1): hai chức danh không được trùng tên."],
        "rotation": ["Hãy đưa mỗi đơn vị thành viên vào thứ tự luân phiên đúng một lần."],
        "year": ["Năm đầu tiên không được trước năm các đơn vị trở thành thành viên (2025)."],
        "leadership": ["Mỗi đơn vị chỉ đảm nhiệm một chức danh trong một năm."],
        "pledge_deadline": ["Ngày không được trước năm 2024."],
    }
    assert (Cluster.objects.count(), Unit.objects.count()) == (0, 0)
