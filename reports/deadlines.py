"""The unit report deadline and the reports waiting for the secretariat, for scorecards'
reminders and daily digest (listed in settings.REMINDER_SOURCES: scorecards cannot import
this app)."""

from django.utils.translation import gettext_lazy as _

from clusters.models import ClusterYear, Unit
from clusters.selectors import members_in_year
from scorecards.deadlines import Deadline, Waiting

from .models import UnitReport


def units_without_submitted_report(cluster_year: ClusterYear) -> list[Unit]:
    """Members whose report is missing, still a draft, or returned to them for changes."""
    done = set(
        UnitReport.objects.filter(
            cluster_year=cluster_year, status__in=UnitReport.HANDED_IN
        ).values_list("unit_id", flat=True)
    )
    members = members_in_year(cluster=cluster_year.cluster, year=cluster_year.year)
    return [unit for unit in members if unit.pk not in done]


def _reports_to_accept(cluster_year: ClusterYear) -> int:
    return UnitReport.objects.filter(
        cluster_year=cluster_year, status=UnitReport.Status.SUBMITTED
    ).count()


DEADLINES = [
    Deadline(
        kind="report",
        field="report_deadline",
        label=_("Submit the unit's year report"),
        pending=units_without_submitted_report,
        template="reports/email/reminder_report",
    )
]

WAITING = [
    Waiting(
        kind="reports_to_accept",
        label=_("Unit reports submitted and not accepted yet"),
        count=_reports_to_accept,
    )
]
