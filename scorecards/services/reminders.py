"""Deadline reminders (nhắc việc): emails to the units that have not acted, N days before each
deadline of a cluster year, and a daily digest to the secretariat.

Sent at most once: a ReminderLog row is written (and committed) before its email goes out, so
running the job twice, or two jobs at once, sends nothing twice. A crash between the commit and
the send loses that email (at-most-once); a send that fails removes its row so that the next run
tries again.

Windows: with REMINDER_DAYS_BEFORE = [7, 3, 1], a unit is reminded once in each window
(7..4 days left, 3..2, 1..0): on the first run inside the window, so a day the job did not run
is caught up on the next one, and a reminder already sent in a window is not repeated.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clusters.models import ClusterYear, Unit
from clusters.selectors import leader_unit_id, member_unit_ids, officer_emails

from ..models import CriteriaSet, ReminderLog
from ..selectors_engagement import units_not_signed, units_without_submitted_scorecard
from .criteria import published_for

logger = logging.getLogger(__name__)

DIGEST = "digest"


def _scorecard_pending(cluster_year: ClusterYear) -> list[Unit] | None:
    if published_for(cluster_year) is None:
        return None  # nothing to submit before the criteria are published
    return units_without_submitted_scorecard(cluster_year)


@dataclass(frozen=True)
class Deadline:
    """A deadline of the cluster year that units must act before.

    `pending` returns the member units that have not acted yet, or None when the deadline does
    not apply yet (no pledge posted, no criteria published). Each kind has its email templates
    scorecards/email/reminder_<kind>_subject.txt and _body.txt.
    """

    kind: str
    field: str  # the ClusterYear date field
    label: str | Promise  # what the units must do, for the digest
    pending: Callable[[ClusterYear], list[Unit] | None]


# report_deadline and nomination_deadline join this list with the unit reports and the
# nominations (later issues): a Deadline with their own `pending` and templates.
DEADLINES = [
    Deadline(
        kind="pledge",
        field="pledge_deadline",
        label=_("Sign the emulation pledge"),
        pending=units_not_signed,
    ),
    Deadline(
        kind="scorecard",
        field="scorecard_deadline",
        label=_("Submit the self-scoring scorecard"),
        pending=_scorecard_pending,
    ),
]


def days_before() -> list[int]:
    return sorted({int(n) for n in settings.REMINDER_DAYS_BEFORE if int(n) >= 0})


def window_start(deadline: datetime.date, days_left: int) -> datetime.date | None:
    """The first day of the reminder window that `days_left` falls in, or None outside them."""
    if days_left < 0:
        return None
    covering = [n for n in days_before() if n >= days_left]
    if not covering:
        return None
    return deadline - datetime.timedelta(days=min(covering))


def secretariat_emails(*, cluster_year: ClusterYear, today: datetime.date) -> list[str]:
    """The leader unit's officers and the staff added to the year by name."""
    found: set[str] = set()
    leader = leader_unit_id(cluster_year)
    if leader is not None:
        found.update(
            officer_emails(unit_ids=[leader], year=cluster_year.year, in_office_on=today).get(
                leader, []
            )
        )
    found.update(
        email.strip().lower()
        for email in cluster_year.secretariat_staff.filter(user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(found)


def _claim(
    *,
    cluster_year: ClusterYear,
    unit: Unit | None,
    kind: str,
    deadline: datetime.date,
    today: datetime.date,
    since: datetime.date,
) -> ReminderLog | None:
    """Write the log row of a reminder not yet sent since `since`; None when it was sent.

    The unique constraints make a concurrent claim of the same reminder fail here.
    """
    with transaction.atomic():
        already = ReminderLog.objects.filter(
            cluster_year=cluster_year,
            unit=unit,
            kind=kind,
            deadline=deadline,
            sent_on__gte=since,
        )
        if already.exists():
            return None
        log, created = ReminderLog.objects.get_or_create(
            cluster_year=cluster_year, unit=unit, kind=kind, deadline=deadline, sent_on=today
        )
    return log if created else None


def _send_after_commit(log: ReminderLog, subject: str, body: str, recipients: list[str]) -> None:
    def send():
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except Exception:
            # Not sent: forget it, so that the next run tries again.
            ReminderLog.objects.filter(pk=log.pk).delete()
            logger.exception("Reminder %s to %s not sent", log.kind, recipients)

    transaction.on_commit(send)


def _render(template: str, context: dict) -> str:
    return render_to_string(f"scorecards/email/{template}.txt", context)


@dataclass
class DueItem:
    """A deadline inside its reminder period, for the digest."""

    deadline: Deadline
    day: datetime.date
    days_left: int
    total: int  # member units
    pending: list[tuple[Unit, bool]]  # (unit, has an officer to email)


def send_for_year(*, cluster_year: ClusterYear, today: datetime.date) -> dict[str, int]:
    """Remind the pending units of one cluster year and send its secretariat digest."""
    sent = {"units": 0, "digests": 0}
    due: list[DueItem] = []
    for deadline in DEADLINES:
        day = getattr(cluster_year, deadline.field)
        if day is None:
            continue
        days_left = (day - today).days
        since = window_start(day, days_left)
        if since is None:
            continue
        pending = deadline.pending(cluster_year)
        if not pending:
            continue
        emails = officer_emails(
            unit_ids=[u.pk for u in pending], year=cluster_year.year, in_office_on=today
        )
        due.append(
            DueItem(
                deadline=deadline,
                day=day,
                days_left=days_left,
                total=len(
                    member_unit_ids(cluster_id=cluster_year.cluster_id, year=cluster_year.year)
                ),
                pending=[(unit, bool(emails.get(unit.pk))) for unit in pending],
            )
        )
        for unit in pending:
            recipients = emails.get(unit.pk)
            if not recipients:
                continue  # named in the digest as having nobody to email
            log = _claim(
                cluster_year=cluster_year,
                unit=unit,
                kind=deadline.kind,
                deadline=day,
                today=today,
                since=since,
            )
            if log is None:
                continue
            context = {
                "cluster_year": cluster_year,
                "cluster": cluster_year.cluster,
                "unit": unit,
                "deadline": day,
                "days_left": days_left,
            }
            subject = " ".join(_render(f"reminder_{deadline.kind}_subject", context).split())
            body = _render(f"reminder_{deadline.kind}_body", context)
            _send_after_commit(log, subject, body, recipients)
            sent["units"] += 1
    if due:
        recipients = secretariat_emails(cluster_year=cluster_year, today=today)
        if recipients:
            log = _claim(
                cluster_year=cluster_year,
                unit=None,
                kind=DIGEST,
                deadline=min(item.day for item in due),
                today=today,
                since=today,
            )
            if log is not None:
                context = {
                    "cluster_year": cluster_year,
                    "cluster": cluster_year.cluster,
                    "today": today,
                    "items": due,
                }
                subject = " ".join(_render("digest_subject", context).split())
                body = _render("digest_body", context)
                _send_after_commit(log, subject, body, recipients)
                sent["digests"] += 1
    return sent


def send_deadline_reminders(*, today: datetime.date | None = None) -> dict[str, int]:
    """Email, in Vietnamese, each not-closed cluster year's pending units before its deadlines,
    and the secretariat a digest of who has not acted yet. Idempotent within a reminder window.

    Side effects: ReminderLog rows; emails, sent after their row is committed.
    Returns the numbers of unit reminders and digests sent.
    """
    today = today or timezone.localdate()
    totals = {"units": 0, "digests": 0}
    years = ClusterYear.objects.exclude(status=ClusterYear.Status.CLOSED).select_related("cluster")
    with translation.override(settings.LANGUAGE_CODE):
        for cluster_year in years.order_by("cluster__number", "year"):
            for key, count in send_for_year(cluster_year=cluster_year, today=today).items():
                totals[key] += count
    return totals


def notify_criteria_changed(*, criteria_set_id: int) -> int:
    """Tell, in Vietnamese, the officers of every unit that must re-confirm its scorecard that
    the criteria changed and why. Sends one email per unit; returns how many were sent."""
    criteria_set = CriteriaSet.objects.select_related("cluster_year__cluster").get(
        pk=criteria_set_id
    )
    cluster_year = criteria_set.cluster_year
    units = list(
        Unit.objects.filter(
            scorecards__cluster_year=cluster_year, scorecards__needs_reconfirm=True
        ).order_by("short_name")
    )
    today = timezone.localdate()
    emails = officer_emails(
        unit_ids=[u.pk for u in units], year=cluster_year.year, in_office_on=today
    )
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for unit in units:
            recipients = emails.get(unit.pk)
            if not recipients:
                continue
            context = {
                "cluster": cluster_year.cluster,
                "cluster_year": cluster_year,
                "criteria_set": criteria_set,
                "unit": unit,
            }
            subject = " ".join(_render("criteria_changed_subject", context).split())
            send_mail(
                subject,
                _render("criteria_changed_body", context),
                settings.DEFAULT_FROM_EMAIL,
                recipients,
            )
            sent += 1
    return sent
