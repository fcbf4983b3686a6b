"""Who may do what with unit reports, the year-end summary and roll-ups.

The summary is written after the year-end conference, often after the year is closed, so the
secretariat of a year keeps its summary (key tasks, compiling, publishing, the signed copy) when
the year closes; the units' own reports close with the year, like their scorecards.
Members of the cluster read the summary once the secretariat has published a version.
"""

import rules

from clusters.rules import (
    is_admin,
    is_member_officer_in_year,
    is_secretariat,
    is_supervisor,
    is_year_open,
    reviews_unit,
)
from clusters.selectors import is_officer_of, user_scope

from .models import ReportJob, UnitReport


def _year(obj):
    if isinstance(obj, UnitReport | ReportJob):
        return obj.cluster_year
    return obj


@rules.predicate
def secretariat(user, obj) -> bool:
    return is_secretariat(user, _year(obj))


@rules.predicate
def supervisor(user, obj) -> bool:
    return is_supervisor(user, _year(obj))


@rules.predicate
def member_officer(user, obj) -> bool:
    return is_member_officer_in_year(user, _year(obj))


@rules.predicate
def year_open(user, obj) -> bool:
    return is_year_open(user, _year(obj))


@rules.predicate
def summary_published(user, obj) -> bool:
    summary = getattr(_year(obj), "summary", None)
    return summary is not None and summary.published_version_id is not None


@rules.predicate
def officer_of_report_unit(user, report) -> bool:
    return isinstance(report, UnitReport) and is_officer_of(
        user, report.unit_id, report.cluster_year.year
    )


@rules.predicate
def report_editable(user, report) -> bool:
    return isinstance(report, UnitReport) and report.is_editable_by_unit


@rules.predicate
def reviews_report(user, report) -> bool:
    """As for scorecards (clusters.rules.reviews_unit)."""
    return isinstance(report, UnitReport) and reviews_unit(
        user, report.cluster_year, report.unit_id
    )


@rules.predicate
def supervises_any_cluster(user) -> bool:
    return bool(user_scope(user).supervised_cluster_ids)


@rules.predicate
def own_rollup(user, job) -> bool:
    """A roll-up belongs to the supervisor who asked for it (and to admins)."""
    return isinstance(job, ReportJob) and job.requested_by_id == user.pk


can_read_everything = is_admin | supervisor | secretariat

rules.add_perm("reports.view_reports", can_read_everything | member_officer)
rules.add_perm("reports.manage_summary", is_admin | secretariat)
# Every compiled version, published or not; members see only the published one.
rules.add_perm("reports.view_all_versions", can_read_everything)
rules.add_perm(
    "reports.view_summary_files", can_read_everything | (member_officer & summary_published)
)
rules.add_perm(
    "reports.view_unit_report", can_read_everything | officer_of_report_unit | reviews_report
)
rules.add_perm("reports.edit_unit_report", officer_of_report_unit & report_editable & year_open)
rules.add_perm("reports.review_unit_report", reviews_report & year_open)
rules.add_perm("reports.run_rollup", is_admin | supervises_any_cluster)
rules.add_perm("reports.view_rollup", is_admin | own_rollup)
