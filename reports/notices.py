"""Who is told of each hand-off of a unit report or of the summary, and what: the people who
act next (notifications.services.notify), in the service's transaction."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusters.models import ClusterYear
from clusters.selectors import (
    member_officer_users,
    officer_users,
    reviewer_users,
    supervisor_users,
)
from notifications.models import Kind
from notifications.services import notify

from .models import UnitReport


def _params(report: UnitReport) -> dict:
    return {"unit": report.unit.short_name, "year": report.cluster_year.year}


def _unit_officers(report: UnitReport):
    return officer_users(unit_ids=[report.unit_id], year=report.cluster_year.year)


def submitted(report: UnitReport) -> None:
    """To the reviewers (the secretariat; the standing deputy's officers for the leader's own)."""
    notify(
        users=reviewer_users(report.cluster_year, report.unit_id),
        kind=Kind.REPORT_SUBMITTED,
        message=_("%(unit)s submitted its report for %(year)s: accept it or return it."),
        params=_params(report),
        url=report.get_absolute_url(),
    )


def returned(report: UnitReport) -> None:
    notify(
        users=_unit_officers(report),
        kind=Kind.REPORT_RETURNED,
        message=_("The report of %(unit)s for %(year)s was returned to the unit: %(reason)s"),
        params={**_params(report), "reason": report.returned_reason},
        url=report.get_absolute_url(),
    )


def accepted(report: UnitReport) -> None:
    notify(
        users=_unit_officers(report),
        kind=Kind.REPORT_ACCEPTED,
        message=_("The report of %(unit)s for %(year)s is accepted."),
        params=_params(report),
        url=report.get_absolute_url(),
    )


def summary_published(cluster_year: ClusterYear) -> None:
    """To the officers of the member units and the cluster's supervisors."""
    members = member_officer_users(cluster_year)
    supervisors = supervisor_users(cluster_year.cluster)
    notify(
        users=members.model.objects.filter(
            Q(pk__in=members.values("pk")) | Q(pk__in=supervisors.values("pk"))
        ),
        kind=Kind.SUMMARY_PUBLISHED,
        message=_("The year-end summary of %(cluster)s for %(year)s is published."),
        params={"cluster": cluster_year.cluster.name, "year": cluster_year.year},
        url=reverse(
            "reports:year", kwargs={"cluster": cluster_year.cluster.uuid, "year": cluster_year.year}
        ),
    )
