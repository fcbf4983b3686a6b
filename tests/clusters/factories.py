"""Factories and builders for the clusters app's models, used by the tests of every app: users,
clusters with their units (`make_cluster`), years and their leadership (`assign`), officers
(`officer`, the one way to make an officer account), and the cluster world (`build_world`)."""

import datetime
from dataclasses import dataclass

import factory
from django.contrib.auth import get_user_model

from clusters.models import (
    Cluster,
    ClusterYear,
    Conference,
    LeadershipAssignment,
    LeadershipRole,
    Membership,
    OfficerTerm,
    Person,
    RotationSlot,
    SecretariatStaff,
    Supervision,
    Unit,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    password = factory.django.Password("demo12345")


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda c: f"Cụm thi đua số {c.number}")
    sector = "Ngành Tổ chức xây dựng Đảng"
    supervising_body = "Vụ Địa phương III"

    @factory.post_generation
    def with_roles(cluster, create, extracted, **kwargs):
        if create and extracted is not False:
            for rank, (kind, name) in enumerate(
                [
                    (LeadershipRole.LEADER, "Cụm trưởng"),
                    (LeadershipRole.STANDING_DEPUTY, "Cụm phó Thường trực"),
                    (LeadershipRole.DEPUTY, "Cụm phó"),
                ],
                start=1,
            ):
                LeadershipRoleFactory(cluster=cluster, kind=kind, name=name, rank=rank)


class LeadershipRoleFactory(factory.django.DjangoModelFactory):
    """A role of a cluster; ClusterFactory already makes the usual three."""

    class Meta:
        model = LeadershipRole

    cluster = factory.SubFactory(ClusterFactory, with_roles=False)
    kind = LeadershipRole.DEPUTY
    name = "Cụm phó"
    rank = factory.Sequence(lambda n: n + 4)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    province = factory.Sequence(lambda n: f"Tỉnh {n}")
    short_name = factory.LazyAttribute(lambda u: u.province)
    name = factory.LazyAttribute(lambda u: f"Ban Tổ chức Tỉnh ủy {u.province}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    cluster = factory.SubFactory(ClusterFactory)
    unit = factory.SubFactory(UnitFactory)
    start_year = 2018


class RotationSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RotationSlot

    cluster = factory.SubFactory(ClusterFactory)
    unit = factory.SubFactory(UnitFactory)
    position = factory.Sequence(lambda n: n + 1)


class ClusterYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterYear

    cluster = factory.SubFactory(ClusterFactory)
    year = 2021
    status = ClusterYear.Status.IN_PROGRESS


class ConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conference

    cluster_year = factory.SubFactory(ClusterYearFactory)
    kind = Conference.YEAR_END
    title = factory.LazyAttribute(lambda c: f"Hội nghị tổng kết năm {c.cluster_year.year}")
    date = factory.LazyAttribute(lambda c: datetime.date(c.cluster_year.year, 12, 4))
    place = "Tây Ninh"


class LeadershipAssignmentFactory(factory.django.DjangoModelFactory):
    """Give cluster_year, role (one of its cluster's) and unit; `assign` finds the role."""

    class Meta:
        model = LeadershipAssignment

    cluster_year = factory.SubFactory(ClusterYearFactory)
    unit = factory.SubFactory(UnitFactory)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    unit = factory.SubFactory(UnitFactory)


class OfficerTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficerTerm

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    start_date = datetime.date(2018, 1, 1)


class SupervisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supervision

    user = factory.SubFactory(UserFactory)
    cluster = factory.SubFactory(ClusterFactory)


class SecretariatStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SecretariatStaff

    cluster_year = factory.SubFactory(ClusterYearFactory)
    user = factory.SubFactory(UserFactory)


def officer(
    unit: Unit,
    username: str | None = None,
    full_name: str = "",
    *,
    start="2018-01-01",
    end=None,
    **user_fields,
):
    """An account that is an officer of `unit` from `start` (until `end`); with `full_name`,
    also the unit's person of that name linked to the account. Returns the user."""
    if username:
        user_fields["username"] = username
    user = UserFactory(**user_fields)
    OfficerTermFactory(user=user, unit=unit, start_date=start, end_date=end)
    if full_name:
        PersonFactory(full_name=full_name, unit=unit, user=user)
    return user


def make_cluster(n_units: int = 5, start_year: int = 2018, **kwargs):
    """A cluster with n member units (from start_year), in rotation order, with its roles."""
    cluster = ClusterFactory(**kwargs)
    units = UnitFactory.create_batch(n_units)
    for position, unit in enumerate(units, start=1):
        MembershipFactory(cluster=cluster, unit=unit, start_year=start_year)
        RotationSlotFactory(cluster=cluster, unit=unit, position=position)
    return cluster, units


def assign(cluster_year: ClusterYear, kind: str, unit: Unit) -> LeadershipAssignment:
    role = cluster_year.cluster.roles.get(kind=kind)
    return LeadershipAssignmentFactory(cluster_year=cluster_year, role=role, unit=unit)


@dataclass
class World:
    """A cluster with two years and the people who act in them (see build_world)."""

    cluster: Cluster
    units: list[Unit]
    last_year: ClusterYear
    year: ClusterYear
    secretary: object  # officer of the 2021 leader (units[1]): the 2021 secretariat
    staff: object  # added to the 2021 secretariat by name
    officer_a: object  # officer of units[3]
    officer_b: object  # officer of units[4]
    last_secretary: object  # officer of the 2020 leader (units[0]) until the end of 2020
    outsider: object  # officer and secretariat of another cluster in 2021
    other_year: ClusterYear


def build_world(n_units: int = 11, prefix: str = "") -> World:
    """A cluster of n units: 2020 closed (led by units[0]), 2021 in progress (led by units[1],
    standing deputy units[2]); another cluster with its own 2021. Usernames start with
    `prefix` (for two worlds in one test)."""
    cluster, units = make_cluster(n_units)
    last_year = ClusterYearFactory(cluster=cluster, year=2020, status=ClusterYear.Status.CLOSED)
    assign(last_year, LeadershipRole.LEADER, units[0])
    year = ClusterYearFactory(cluster=cluster, year=2021)
    assign(year, LeadershipRole.LEADER, units[1])
    assign(year, LeadershipRole.STANDING_DEPUTY, units[2])
    secretary = officer(units[1], f"{prefix}thuky")
    staff = SecretariatStaffFactory(cluster_year=year, user__username=f"{prefix}canbo_thuky").user
    officer_a = officer(units[3], f"{prefix}donvi_a")
    officer_b = officer(units[4], f"{prefix}donvi_b")
    last_secretary = officer(units[0], f"{prefix}thuky_2020", end=datetime.date(2020, 12, 31))
    other_cluster, other_units = make_cluster(2)
    other_year = ClusterYearFactory(cluster=other_cluster, year=2021)
    assign(other_year, LeadershipRole.LEADER, other_units[0])
    outsider = officer(other_units[0], f"{prefix}cumkhac")
    return World(
        cluster=cluster,
        units=units,
        last_year=last_year,
        year=year,
        secretary=secretary,
        staff=staff,
        officer_a=officer_a,
        officer_b=officer_b,
        last_secretary=last_secretary,
        outsider=outsider,
        other_year=other_year,
    )
