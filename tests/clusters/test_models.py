"""Bad input on the cluster structure: a clear message at the field, nothing saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from clusters.models import LeadershipAssignment, Membership, OfficerTerm, Unit
from tests.clusters.factories import (
    ClusterFactory,
    ClusterYearFactory,
    MembershipFactory,
    UnitFactory,
    UserFactory,
    assign,
    make_cluster,
)

pytestmark = pytest.mark.django_db


def errors_of(obj) -> dict:
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    return error.value.message_dict


def test_overlapping_membership_is_refused():
    membership = MembershipFactory(start_year=2018, end_year=2022)
    clash = Membership(cluster=membership.cluster, unit=membership.unit, start_year=2021)
    assert errors_of(clash)["start_year"] == [
        "Thời gian là thành viên này trùng với một thời gian khác "
        "của cùng đơn vị trong cụm thi đua này."
    ]
    # Adjacent periods are fine.
    Membership(cluster=membership.cluster, unit=membership.unit, start_year=2023).full_clean()


def test_membership_ending_before_it_starts_is_refused():
    unit = UnitFactory()
    bad = Membership(cluster=ClusterFactory(), unit=unit, start_year=2022, end_year=2020)
    assert "end_year" in errors_of(bad)


def test_membership_after_the_unit_ceased_is_refused():
    unit = UnitFactory(province="Bình Dương", valid_until=datetime.date(2025, 6, 30))
    assert errors_of(Membership(cluster=ClusterFactory(), unit=unit, start_year=2026))[
        "start_year"
    ] == ["Bình Dương không tồn tại vào năm 2026."]
    # An open-ended membership of a unit that ceased needs its last year.
    assert "end_year" in errors_of(Membership(cluster=ClusterFactory(), unit=unit, start_year=2024))


def test_unit_end_before_start_is_refused():
    unit = Unit(
        name="X",
        short_name="X",
        province="X",
        valid_from=datetime.date(2025, 7, 1),
        valid_until=datetime.date(2020, 1, 1),
    )
    assert errors_of(unit)["__all__"] == ["Ngày kết thúc tồn tại sớm hơn ngày bắt đầu."]


def test_succession_loop_is_refused():
    a = UnitFactory(province="A", valid_until=datetime.date(2025, 6, 30))
    b = UnitFactory(province="B", valid_until=datetime.date(2025, 6, 30))
    a.successor, a.succession_kind = b, Unit.MERGED
    a.full_clean()
    a.save()
    b.successor, b.succession_kind = a, Unit.MERGED
    assert errors_of(b)["successor"] == [
        "Quan hệ kế thừa này tạo thành vòng lặp: B đã là đơn vị kế thừa của đơn vị này."
    ]
    a.successor = a
    assert errors_of(a)["successor"] == ["Một đơn vị không thể là đơn vị kế thừa của chính nó."]


def test_succession_needs_kind_and_a_successor_that_exists_in_time():
    late = UnitFactory(province="Muộn", valid_from=datetime.date(2026, 1, 1))
    unit = UnitFactory(province="Cũ", valid_until=datetime.date(2025, 6, 30))
    unit.successor = late
    errors = errors_of(unit)
    assert errors["succession_kind"] == ["Cho biết đơn vị đã được sáp nhập hay đổi tên."]
    assert errors["successor"] == [
        "Đơn vị kế thừa phải tồn tại từ ngày liền sau ngày đơn vị này chấm dứt (01/07/2025)."
    ]


def test_leader_must_be_a_member_and_hold_one_role():
    cluster, units = make_cluster(3)
    cy = ClusterYearFactory(cluster=cluster, year=2021)
    outsider = UnitFactory(province="Ngoài")
    leader_role = cluster.roles.get(kind="leader")
    assert errors_of(LeadershipAssignment(cluster_year=cy, role=leader_role, unit=outsider))[
        "unit"
    ] == ["Ngoài không phải là đơn vị thành viên của Cụm trong năm 2021."]
    assign(cy, "leader", units[0])
    deputy = cluster.roles.get(kind="deputy")
    assert errors_of(LeadershipAssignment(cluster_year=cy, role=deputy, unit=units[0]))[
        "__all__"
    ] == ["Đơn vị này đã giữ một chức danh trong năm này."]
    assert errors_of(LeadershipAssignment(cluster_year=cy, role=leader_role, unit=units[1]))[
        "__all__"
    ] == ["Chức danh này đã có đơn vị đảm nhiệm trong năm này."]


def test_officer_term_beyond_the_units_existence_is_refused():
    unit = UnitFactory(province="Long An", valid_until=datetime.date(2025, 6, 30))
    term = OfficerTerm(user=UserFactory(), unit=unit, start_date=datetime.date(2024, 1, 1))
    assert errors_of(term)["end_date"] == [
        "Long An đã chấm dứt tồn tại từ ngày 30/06/2025: "
        "thời gian làm cán bộ phải kết thúc trước ngày đó."
    ]
    late = OfficerTerm(user=UserFactory(), unit=unit, start_date=datetime.date(2025, 8, 1))
    assert "start_date" in errors_of(late)
