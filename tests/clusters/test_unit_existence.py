"""A unit's period of existence keeps covering what hangs from it: its memberships (years),
officer terms (days), leadership roles (cluster years) and its predecessors' succession. The
service refuses, naming them at the field, or ends what runs past the new last day when asked;
the admin's unit form and its membership rows go through the same rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clusters.models import LeadershipRole, Membership, OfficerTerm, Unit
from clusters.services import save_unit
from tests.clusters.factories import (
    ClusterFactory,
    ClusterYearFactory,
    LeadershipAssignmentFactory,
    UnitFactory,
    UserFactory,
    assign,
    make_cluster,
    officer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """units[0] of a cluster: a member from 2018 with no last year, Nguyễn Văn A its officer
    from 01/01/2019 to 31/12/2026, the leader of 2021."""
    cluster, units = make_cluster(2)
    unit = units[0]
    user = officer(unit, "thuky_a", "Nguyễn Văn A", start="2019-01-01", end="2026-12-31")
    assign(ClusterYearFactory(cluster=cluster, year=2021), LeadershipRole.LEADER, unit)
    return cluster, unit, user


def edited(unit: Unit, **values) -> Unit:
    """The unit as a form would hand it to the service: a fresh copy with the new values."""
    copy = Unit.objects.get(pk=unit.pk)
    for name, value in values.items():
        setattr(copy, name, value)
    return copy


def refusal(**kwargs) -> dict:
    with pytest.raises(ValidationError) as error:
        save_unit(**kwargs)
    return error.value.message_dict


def test_shortening_below_a_membership_and_a_term_is_refused_naming_them(world):
    cluster, unit, _ = world
    errors = refusal(unit=edited(unit, valid_until=datetime.date(2025, 6, 30)), user=UserFactory())
    assert errors == {
        "valid_until": [
            f"Còn là thành viên {cluster.name}, chưa có năm kết thúc; còn nhiệm kỳ cán bộ của "
            "Nguyễn Văn A đến 31/12/2026: các mục này kéo dài quá ngày 30/06/2025. Đánh dấu "
            "“Đồng thời kết thúc các mục này” để kết thúc chúng vào ngày 30/06/2025, hoặc chọn "
            "một ngày muộn hơn."
        ]
    }
    unit.refresh_from_db()
    assert unit.valid_until is None
    assert Membership.objects.get(unit=unit).end_year is None
    assert OfficerTerm.objects.get(unit=unit).end_date == datetime.date(2026, 12, 31)


def test_also_ending_them_ends_memberships_and_terms_on_the_new_last_day_with_history(world):
    cluster, unit, _ = world
    admin_user = UserFactory(username="quantri")
    save_unit(
        unit=edited(unit, valid_until=datetime.date(2025, 6, 30)),
        end_dependents=True,
        user=admin_user,
    )
    unit.refresh_from_db()
    assert unit.valid_until == datetime.date(2025, 6, 30)
    membership = Membership.objects.get(unit=unit)
    term = OfficerTerm.objects.get(unit=unit)
    assert (membership.start_year, membership.end_year) == (2018, 2025)
    assert (term.start_date, term.end_date) == (
        datetime.date(2019, 1, 1),
        datetime.date(2025, 6, 30),
    )
    reason = f"Kết thúc cùng thời gian tồn tại của {unit.short_name}"
    for record in (membership.history.latest(), term.history.latest()):
        assert (record.history_user, record.history_change_reason) == (admin_user, reason)
    assert membership.history.latest().prev_record.end_year is None
    assert unit.history.latest().history_user == admin_user
    # Ends that already fall inside the new period are left alone.
    other = Membership.objects.exclude(unit=unit).get(cluster=cluster)
    assert other.end_year is None and other.history.count() == 1


def test_a_leadership_role_after_the_new_end_cannot_be_ended_even_when_asked(world):
    cluster, unit, _ = world
    errors = refusal(
        unit=edited(unit, valid_until=datetime.date(2020, 12, 31)),
        end_dependents=True,
        user=UserFactory(),
    )
    assert errors == {
        "valid_until": [
            f"Còn giữ vai trò Cụm trưởng của {cluster.name} năm 2021: các mục này ở sau ngày "
            "31/12/2020 nên không thể kết thúc vào ngày đó. Hãy sửa các mục này trước."
        ]
    }
    # Nothing was ended either.
    assert Membership.objects.get(unit=unit).end_year is None
    assert OfficerTerm.objects.get(unit=unit).end_date == datetime.date(2026, 12, 31)
    unit.refresh_from_db()
    assert unit.valid_until is None


def test_without_asking_both_messages_are_given(world):
    cluster, unit, _ = world
    errors = refusal(unit=edited(unit, valid_until=datetime.date(2020, 12, 31)), user=None)
    assert errors == {
        "valid_until": [
            f"Còn là thành viên {cluster.name}, chưa có năm kết thúc; còn nhiệm kỳ cán bộ của "
            "Nguyễn Văn A đến 31/12/2026: các mục này kéo dài quá ngày 31/12/2020. Đánh dấu "
            "“Đồng thời kết thúc các mục này” để kết thúc chúng vào ngày 31/12/2020, hoặc chọn "
            "một ngày muộn hơn.",
            f"Còn giữ vai trò Cụm trưởng của {cluster.name} năm 2021: các mục này ở sau ngày "
            "31/12/2020 nên không thể kết thúc vào ngày đó. Hãy sửa các mục này trước.",
        ]
    }


def test_a_membership_or_term_that_starts_after_the_new_end_cannot_be_ended():
    cluster, units = make_cluster(1, start_year=2024)
    unit = units[0]
    officer(unit, "moi", "Trần Thị B", start="2024-03-01")
    errors = refusal(
        unit=edited(unit, valid_until=datetime.date(2023, 12, 31)),
        end_dependents=True,
        user=None,
    )
    assert errors == {
        "valid_until": [
            f"Là thành viên {cluster.name} từ năm 2024; nhiệm kỳ cán bộ của Trần Thị B bắt đầu "
            "từ 01/03/2024: các mục này ở sau ngày 31/12/2023 nên không thể kết thúc vào ngày "
            "đó. Hãy sửa các mục này trước."
        ]
    }


def test_a_later_start_below_memberships_roles_terms_and_predecessors_is_refused(world):
    cluster, unit, _ = world
    predecessor = UnitFactory(
        province="Cũ",
        valid_until=datetime.date(2018, 12, 31),
        successor=unit,
        succession_kind=Unit.MERGED,
    )
    errors = refusal(unit=edited(unit, valid_from=datetime.date(2022, 1, 1)), user=None)
    assert errors == {
        "valid_from": [
            f"Là thành viên {cluster.name} từ năm 2018; còn giữ vai trò Cụm trưởng của "
            f"{cluster.name} năm 2021; nhiệm kỳ cán bộ của Nguyễn Văn A bắt đầu từ 01/01/2019; "
            f"đơn vị tiền thân {predecessor.short_name} chấm dứt ngày 31/12/2018: các mục này "
            "bắt đầu trước ngày 01/01/2022. Hãy sửa các mục này trước."
        ]
    }
    # The day after the predecessor ceased, and the years of the rest, are fine.
    save_unit(unit=edited(unit, valid_from=datetime.date(2018, 1, 1)), user=None)
    unit.refresh_from_db()
    assert unit.valid_from == datetime.date(2018, 1, 1)


def test_a_period_that_covers_everything_saves_without_asking(world):
    _, unit, _ = world
    Membership.objects.filter(unit=unit).update(end_year=2026)
    save_unit(unit=edited(unit, valid_until=datetime.date(2026, 12, 31)), user=None)
    unit.refresh_from_db()
    assert unit.valid_until == datetime.date(2026, 12, 31)
    assert OfficerTerm.objects.get(unit=unit).history.count() == 1


def test_a_leadership_assignment_of_a_year_the_unit_did_not_exist_in_is_refused():
    cluster, units = make_cluster(2)
    unit = units[0]
    unit.valid_until = datetime.date(2020, 12, 31)
    unit.save()
    Membership.objects.filter(unit=unit).update(end_year=2021)  # inconsistent on purpose
    assignment = LeadershipAssignmentFactory.build(
        cluster_year=ClusterYearFactory(cluster=cluster, year=2021),
        role=cluster.roles.get(kind=LeadershipRole.LEADER),
        unit=unit,
    )
    with pytest.raises(ValidationError) as error:
        assignment.full_clean()
    assert error.value.message_dict == {"unit": [f"{unit.short_name} không tồn tại vào năm 2021."]}


# The admin's unit form: the same rules at the field, through the change view.


def post_data(response) -> dict:
    """The change form as the browser would send it back unchanged: the unit's fields and every
    inline formset's management form and rows."""
    data: dict = {}

    def put(form):
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, datetime.date):
                value = f"{value:%d/%m/%Y}"
            if value is False:
                continue
            data[form.add_prefix(name)] = (
                "on" if value is True else ("" if value is None else value)
            )

    put(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        put(formset.management_form)
        for form in formset.initial_forms:
            put(form)
    return data


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="quantri", is_staff=True, is_superuser=True))
    return client


def change_url(unit):
    return reverse("admin:clusters_unit_change", args=[unit.pk])


def test_admin_refuses_shortening_at_the_field_then_ends_them_when_ticked(admin_client, world):
    cluster, unit, _ = world
    page = admin_client.get(change_url(unit))
    assert page.status_code == 200
    assert "Đồng thời kết thúc các mục này" in page.content.decode()
    data = post_data(page) | {"valid_until": "30/06/2025"}
    response = admin_client.post(change_url(unit), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "valid_until": [
            f"Còn là thành viên {cluster.name}, chưa có năm kết thúc; còn nhiệm kỳ cán bộ của "
            "Nguyễn Văn A đến 31/12/2026: các mục này kéo dài quá ngày 30/06/2025. Đánh dấu "
            "“Đồng thời kết thúc các mục này” để kết thúc chúng vào ngày 30/06/2025, hoặc chọn "
            "một ngày muộn hơn."
        ]
    }
    unit.refresh_from_db()
    assert unit.valid_until is None

    # The membership row sent back unchanged still says "no last year": ticking the box ends
    # it with the officer term, without the user editing the row.
    response = admin_client.post(change_url(unit), data | {"end_dependents": "on"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    unit.refresh_from_db()
    assert unit.valid_until == datetime.date(2025, 6, 30)
    assert OfficerTerm.objects.get(unit=unit).end_date == datetime.date(2025, 6, 30)
    membership = Membership.objects.get(unit=unit)
    assert membership.end_year == 2025
    assert membership.history.count() == 2  # created, then ended once (by the service)


def test_admin_still_validates_a_changed_membership_row_against_the_new_period(admin_client, world):
    _, unit, _ = world
    data = post_data(admin_client.get(change_url(unit))) | {
        "valid_until": "30/06/2025",
        "end_dependents": "on",
        "memberships-0-end_year": "2027",
    }
    response = admin_client.post(change_url(unit), data)
    assert response.status_code == 200
    formset = next(
        i.formset
        for i in response.context["inline_admin_formsets"]
        if i.formset.prefix == "memberships"
    )
    assert formset.forms[0].errors == {
        "end_year": [f"{unit.short_name} không tồn tại vào năm 2027."]
    }
    unit.refresh_from_db()
    assert unit.valid_until is None
    assert Membership.objects.get(unit=unit).end_year is None


def test_admin_refuses_an_end_before_the_units_leadership_role(admin_client, world):
    cluster, unit, _ = world
    data = post_data(admin_client.get(change_url(unit))) | {
        "valid_until": "31/12/2020",
        "end_dependents": "on",
    }
    response = admin_client.post(change_url(unit), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "valid_until": [
            f"Còn giữ vai trò Cụm trưởng của {cluster.name} năm 2021: các mục này ở sau ngày "
            "31/12/2020 nên không thể kết thúc vào ngày đó. Hãy sửa các mục này trước."
        ]
    }
    unit.refresh_from_db()
    assert unit.valid_until is None
    assert Membership.objects.get(unit=unit).end_year is None


def add_rows(data: dict, prefix: str, rows: list[dict]) -> dict:
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    for i, row in enumerate(rows, start=total):
        data |= {f"{prefix}-{i}-{name}": value for name, value in row.items()}
    data[f"{prefix}-TOTAL_FORMS"] = str(total + len(rows))
    return data


def test_admin_refuses_two_overlapping_memberships_typed_in_one_unit_form(admin_client):
    unit = UnitFactory()
    cluster = ClusterFactory()
    data = add_rows(
        post_data(admin_client.get(change_url(unit))),
        "memberships",
        [
            {"cluster": cluster.pk, "unit": unit.pk, "start_year": "2018", "end_year": "2022"},
            {"cluster": cluster.pk, "unit": unit.pk, "start_year": "2020", "end_year": ""},
        ],
    )
    response = admin_client.post(change_url(unit), data)
    assert response.status_code == 200
    formset = next(
        i.formset
        for i in response.context["inline_admin_formsets"]
        if i.formset.prefix == "memberships"
    )
    assert [form.errors for form in formset.forms] == [
        {},
        {
            "start_year": [
                "Thời gian là thành viên này trùng với thời gian từ 2018 đến 2022 của cùng đơn vị "
                "trong cụm thi đua này, đã nhập trong biểu mẫu này."
            ]
        },
    ]
    assert not Membership.objects.filter(unit=unit).exists()

    # Consecutive rows are fine.
    data["memberships-1-start_year"] = "2023"
    assert admin_client.post(change_url(unit), data).status_code == 302
    assert sorted(Membership.objects.filter(unit=unit).values_list("start_year", "end_year")) == [
        (2018, 2022),
        (2023, None),
    ]


def test_admin_refuses_two_overlapping_memberships_typed_in_one_cluster_form(admin_client):
    cluster = ClusterFactory()
    unit = UnitFactory()
    url = reverse("admin:clusters_cluster_change", args=[cluster.pk])
    data = add_rows(
        post_data(admin_client.get(url)),
        "memberships",
        [
            {"unit": unit.pk, "start_year": "2018", "end_year": ""},
            {"unit": unit.pk, "start_year": "2025", "end_year": "2026"},
        ],
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    formset = next(
        i.formset
        for i in response.context["inline_admin_formsets"]
        if i.formset.prefix == "memberships"
    )
    assert formset.forms[1].errors == {
        "start_year": [
            "Thời gian là thành viên này trùng với thời gian từ 2018 đến … của cùng đơn vị "
            "trong cụm thi đua này, đã nhập trong biểu mẫu này."
        ]
    }
    assert not Membership.objects.filter(cluster=cluster).exists()


def test_admin_unit_form_refuses_who_is_not_an_admin(client, world):
    _, unit, user = world
    url = change_url(unit)
    assert client.get(url).status_code == 302  # anonymous: to the admin's login
    client.force_login(user)  # the unit's own officer, not staff
    response = client.post(url, {"valid_until": "30/06/2025", "end_dependents": "on"})
    assert response.status_code == 302 and response.url.startswith("/admin/login/")
    unit.refresh_from_db()
    assert unit.valid_until is None
    assert OfficerTerm.objects.get(unit=unit).end_date == datetime.date(2026, 12, 31)
