"""Small data for the reports tests: a cluster year with a leader, officers and a member's
report, built with the factories."""

import datetime
from dataclasses import dataclass

from clusters.models import ClusterYear, LeadershipRole, Supervision
from reports.models import UnitReport
from tests.factories import (
    ClusterYearFactory,
    OfficerTermFactory,
    UserFactory,
    assign,
    make_cluster,
)


@dataclass
class World:
    cluster_year: ClusterYear
    units: list
    secretariat: object  # an officer of the leader unit
    deputy: object  # an officer of the standing deputy
    member: object  # an officer of another member unit (units[2])
    outsider: object  # an officer of a unit of another cluster
    supervisor: object


def make_world(n_units: int = 4, year: int = 2021, status=ClusterYear.Status.IN_PROGRESS) -> World:
    cluster, units = make_cluster(n_units)
    cluster_year = ClusterYearFactory(cluster=cluster, year=year, status=status)
    assign(cluster_year, LeadershipRole.LEADER, units[0])
    assign(cluster_year, LeadershipRole.STANDING_DEPUTY, units[1])
    start = datetime.date(2018, 1, 1)
    officers = [OfficerTermFactory(unit=unit, start_date=start).user for unit in units[:3]]
    _other_cluster, other_units = make_cluster(2)
    outsider = OfficerTermFactory(unit=other_units[0], start_date=start).user
    supervisor = UserFactory()
    Supervision.objects.create(user=supervisor, cluster=cluster)
    return World(
        cluster_year=cluster_year,
        units=units,
        secretariat=officers[0],
        deputy=officers[1],
        member=officers[2],
        outsider=outsider,
        supervisor=supervisor,
    )


def write_report(cluster_year, unit, status=UnitReport.Status.SUBMITTED, **sections) -> UnitReport:
    values = {
        "achievements": f"Thành tích của {unit.short_name}.",
        "limitations": "Còn hạn chế.",
        "causes": "Nguyên nhân khách quan.",
        "lessons": "Bài học.",
        "proposals": "Kiến nghị.",
    }
    values.update(sections)
    return UnitReport.objects.create(cluster_year=cluster_year, unit=unit, status=status, **values)
