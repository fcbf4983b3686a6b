"""Writes with rules: the units' year reports, the summary's settings, publication and the
signed copy. (The report jobs are in jobs.py.)"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import ClusterYear, Unit
from clusters.selectors import day_passed, member_unit_ids
from common.formatting import short_date, time_and_date
from common.uploads import file_sha256

from . import notices
from .models import KeyFigure, ReportVersion, SignedSummary, UnitReport, YearSummary

# Sections a report cannot be submitted without.
REQUIRED_SECTIONS = ["achievements", "limitations", "causes"]


def read_only_reason(report: UnitReport) -> str | None:
    """Why the unit can no longer change its report, or None while it can."""
    if report.cluster_year.is_closed:
        return _("The year is closed.")
    if not report.is_editable_by_unit:
        return _(
            "The report has been submitted: it is read-only unless the secretariat returns it."
        )
    return None


@transaction.atomic
def save_report(
    *,
    cluster_year: ClusterYear,
    unit: Unit,
    values: dict,
    figures: list[dict],
    revision: int,
    user,
) -> UnitReport:
    """Create or update a unit's report and replace its key figures, all or nothing.

    `revision` is the one the officer's form was read at: when someone saved in between, the
    save is refused (with who and when) instead of silently overwriting their text."""
    if unit.pk not in member_unit_ids(cluster_id=cluster_year.cluster_id, year=cluster_year.year):
        raise ValidationError(
            _("%(unit)s is not a member of the cluster in %(year)s.")
            % {"unit": unit.short_name, "year": cluster_year.year}
        )
    report, _created = UnitReport.objects.select_for_update().get_or_create(
        cluster_year=cluster_year, unit=unit
    )
    report.cluster_year = cluster_year
    reason = read_only_reason(report)
    if reason:
        raise ValidationError(reason)
    if report.revision != revision:
        last = report.history.select_related("history_user").first()
        who = (
            last.history_user.get_full_name() or last.history_user.username
            if last and last.history_user
            else "?"
        )
        raise ValidationError(
            _(
                "%(who)s saved this report at %(when)s, after you opened it. Copy your changes, "
                "reload the page and make them again."
            )
            % {
                "who": who,
                "when": time_and_date(last.history_date) if last else "?",
            }
        )
    for name in UnitReport.SECTIONS:
        setattr(report, name, values.get(name, "").strip())
    report.revision += 1
    report._history_user = user
    report.full_clean()
    report.save()
    report.figures.all().delete()
    KeyFigure.objects.bulk_create(
        KeyFigure(report=report, position=i, **figure) for i, figure in enumerate(figures, start=1)
    )
    return report


@transaction.atomic
def submit_report(*, report: UnitReport, user, now: datetime.datetime | None = None) -> UnitReport:
    """Submit before the deadline (a returned report may be resubmitted after it), with the
    required sections written; then read-only for the unit."""
    report = UnitReport.objects.select_for_update().select_related("cluster_year").get(pk=report.pk)
    reason = read_only_reason(report)
    if reason:
        raise ValidationError(reason)
    deadline = report.cluster_year.report_deadline
    if (
        report.status == UnitReport.Status.DRAFT
        and deadline is not None
        and day_passed(deadline, now)
    ):
        raise ValidationError(
            _("The report deadline (%(day)s) has passed: ask the secretariat.")
            % {"day": short_date(deadline)}
        )
    empty = {
        name: [_("Write this section before submitting.")]
        for name in REQUIRED_SECTIONS
        if not getattr(report, name).strip()
    }
    if empty:
        raise ValidationError(empty)
    report.status = UnitReport.Status.SUBMITTED
    report.submitted_at = now or timezone.now()
    report.submitted_by = user
    report.returned_reason = ""
    report._history_user = user
    report.save()
    notices.submitted(report)
    return report


@transaction.atomic
def accept_report(*, report: UnitReport, user) -> UnitReport:
    report = UnitReport.objects.select_for_update().get(pk=report.pk)
    if not report.awaits_review:
        raise ValidationError(_("Only a submitted report can be accepted."))
    report.status = UnitReport.Status.ACCEPTED
    report.accepted_at = timezone.now()
    report.accepted_by = user
    report._history_user = user
    report.save()
    notices.accepted(report)
    return report


@transaction.atomic
def return_report(*, report: UnitReport, reason: str, user) -> UnitReport:
    """Send a submitted (or accepted) report back to the unit, with a reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for returning the report.")})
    report = UnitReport.objects.select_for_update().get(pk=report.pk)
    if not report.is_handed_in:
        raise ValidationError(_("Only a submitted report can be returned."))
    report.status = UnitReport.Status.RETURNED
    report.returned_reason = reason.strip()
    report.accepted_at = None
    report.accepted_by = None
    report._history_user = user
    report.save()
    notices.returned(report)
    return report


def summary_of_year(cluster_year: ClusterYear) -> YearSummary:
    """The year's summary settings; an unsaved blank one until the secretariat saves it."""
    try:
        return cluster_year.summary
    except YearSummary.DoesNotExist:
        return YearSummary(cluster_year=cluster_year)


@transaction.atomic
def save_summary(*, cluster_year: ClusterYear, values: dict, user) -> YearSummary:
    summary, _created = YearSummary.objects.select_for_update().get_or_create(
        cluster_year=cluster_year
    )
    for name, value in values.items():
        setattr(summary, name, value)
    summary._history_user = user
    summary.full_clean()
    summary.save()
    return summary


@transaction.atomic
def publish(*, version: ReportVersion, user) -> YearSummary:
    """Make a compiled version readable by the members of the cluster (and replace an earlier
    published one); the members' officers and the supervisors are notified."""
    if version.cluster_year_id is None:
        raise ValidationError(_("Only a year-end summary can be published."))
    summary, _created = YearSummary.objects.select_for_update().get_or_create(
        cluster_year_id=version.cluster_year_id
    )
    summary.published_version = version
    summary.published_at = timezone.now()
    summary._history_user = user
    summary.save()
    notices.summary_published(summary.cluster_year)
    return summary


@transaction.atomic
def upload_signed(
    *, cluster_year: ClusterYear, uploaded, based_on: ReportVersion | None, user
) -> SignedSummary:
    """Keep the signed final summary with its SHA-256 (the file was checked by content and
    size by the form's validators)."""
    signed = SignedSummary(
        cluster_year=cluster_year,
        based_on=based_on,
        file=uploaded,
        original_name=uploaded.name[:255],
        size=uploaded.size,
        sha256=file_sha256(uploaded),
        uploaded_by=user,
    )
    signed._history_user = user
    signed.save()
    return signed
