"""Factories and builders for the reports app's models: units' reports with their key figures,
the year summary, report jobs, and the report world (`build_report_world`).

Versions and signed copies are made by the job and upload services, which hash their files:
the tests go through those."""

from dataclasses import dataclass

import factory

from clusters.models import ClusterYear, LeadershipRole, Unit
from reports.models import KeyFigure, ReportJob, UnitReport, YearSummary
from tests.clusters.factories import (
    ClusterYearFactory,
    SupervisionFactory,
    UnitFactory,
    UserFactory,
    assign,
    make_cluster,
    officer,
)


class UnitReportFactory(factory.django.DjangoModelFactory):
    """A unit's report with every section written, submitted."""

    class Meta:
        model = UnitReport

    cluster_year = factory.SubFactory(ClusterYearFactory)
    unit = factory.SubFactory(UnitFactory)
    status = UnitReport.Status.SUBMITTED
    achievements = factory.LazyAttribute(lambda r: f"Thành tích của {r.unit.short_name}.")
    limitations = "Còn hạn chế."
    causes = "Nguyên nhân khách quan."
    lessons = "Bài học."
    proposals = "Kiến nghị."


class KeyFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyFigure

    report = factory.SubFactory(UnitReportFactory)
    label = factory.Sequence(lambda n: f"Chỉ số {n}")
    value = 10
    position = factory.Sequence(lambda n: n + 1)


class YearSummaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YearSummary

    cluster_year = factory.SubFactory(ClusterYearFactory)


class ReportJobFactory(factory.django.DjangoModelFactory):
    """A waiting summary job of a cluster year (no message sent: see reports.jobs)."""

    class Meta:
        model = ReportJob

    kind = ReportJob.SUMMARY
    cluster_year = factory.SubFactory(ClusterYearFactory)
    year = factory.SelfAttribute("cluster_year.year")


@dataclass
class ReportWorld:
    cluster_year: ClusterYear
    units: list[Unit]
    secretariat: object  # an officer of the leader unit
    deputy: object  # an officer of the standing deputy
    member: object  # an officer of another member unit (units[2])
    outsider: object  # an officer of a unit of another cluster
    supervisor: object


def build_report_world(
    n_units: int = 4, year: int = 2021, status=ClusterYear.Status.IN_PROGRESS
) -> ReportWorld:
    """A cluster year of n units led by units[0] (standing deputy units[1]), officers of the
    first three units, an officer of another cluster, the cluster's supervisor. No reports."""
    cluster, units = make_cluster(n_units)
    cluster_year = ClusterYearFactory(cluster=cluster, year=year, status=status)
    assign(cluster_year, LeadershipRole.LEADER, units[0])
    assign(cluster_year, LeadershipRole.STANDING_DEPUTY, units[1])
    secretariat, deputy, member = (officer(unit) for unit in units[:3])
    _other_cluster, other_units = make_cluster(2)
    outsider = officer(other_units[0])
    supervisor = SupervisionFactory(cluster=cluster, user=UserFactory()).user
    return ReportWorld(
        cluster_year=cluster_year,
        units=units,
        secretariat=secretariat,
        deputy=deputy,
        member=member,
        outsider=outsider,
        supervisor=supervisor,
    )
