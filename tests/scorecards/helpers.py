"""Shared set-up for the engagement (pledge, campaigns, indicators) and reminder tests."""

import datetime
from dataclasses import dataclass

from clusters.models import ClusterYear, OfficerTerm, SecretariatStaff, Unit
from tests.factories import ClusterYearFactory, UserFactory, assign, make_cluster

PDF = b"%PDF-1.4\n%%EOF\n"


def officer(unit: Unit, username: str, start="2018-01-01", end=None, **user_fields):
    user = UserFactory(username=username, **user_fields)
    OfficerTerm.objects.create(user=user, unit=unit, start_date=start, end_date=end)
    return user


@dataclass
class World:
    cluster: object
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
    standing deputy units[2]); another cluster with its own 2021."""
    cluster, units = make_cluster(n_units)
    last_year = ClusterYearFactory(cluster=cluster, year=2020, status=ClusterYear.Status.CLOSED)
    assign(last_year, "leader", units[0])
    year = ClusterYearFactory(cluster=cluster, year=2021)
    assign(year, "leader", units[1])
    assign(year, "standing_deputy", units[2])
    secretary = officer(units[1], f"{prefix}thuky")
    staff = UserFactory(username=f"{prefix}canbo_thuky")
    SecretariatStaff.objects.create(cluster_year=year, user=staff)
    officer_a = officer(units[3], f"{prefix}donvi_a")
    officer_b = officer(units[4], f"{prefix}donvi_b")
    last_secretary = officer(units[0], f"{prefix}thuky_2020", end=datetime.date(2020, 12, 31))
    other_cluster, other_units = make_cluster(2)
    other_year = ClusterYearFactory(cluster=other_cluster, year=2021)
    assign(other_year, "leader", other_units[0])
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


def year_kwargs(cluster_year: ClusterYear) -> dict:
    return {"cluster": cluster_year.cluster.uuid, "year": cluster_year.year}


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]
