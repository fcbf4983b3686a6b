"""Deadline reminders (nhắc việc): emails to the units that have not acted, N days before each
deadline of a cluster year, and a daily digest to the secretariat.

The deadlines are the year's fixed ones, registered by each app (scorecards.deadlines: pledge,
scorecard, unit report, nominations), and the ones the secretariat adds (YearDeadline), of which
every member unit is reminded.

Never twice: the ReminderLog row of a reminder is written under its unique constraints in the
same transaction as its send_mail, so running the job twice, or two jobs at once, sends nothing
twice (the second waits on the first's row, then finds it). Never lost: a send that fails rolls
its row back, so the next run tries again; with the outbox email backend the email is a row
committed with its log row.

Windows: with reminder days 7, 3, 1 (the cluster's own, else REMINDER_DAYS_BEFORE), a unit is
reminded once in each window (7..4 days left, 3..2, 1..0): on the first run inside the window,
so a day the job did not run is caught up on the next one, and a reminder already sent in a
window is not repeated.
"""

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise

from clusters.models import Cluster, ClusterYear, Unit, parse_reminder_days
from clusters.selectors import leader_unit_id, member_unit_ids, members_in_year, officer_emails

from ..deadlines import Deadline, registered_deadlines, registered_waiting
from ..models import CriteriaSet, ReminderLog, YearDeadline

logger = logging.getLogger(__name__)

DIGEST = "digest"
# How many of the coming deadlines the digest lists.
DIGEST_NEXT_DEADLINES = 5


def days_before(cluster: Cluster | None = None) -> list[int]:
    """The days before a deadline on which units are reminded, smallest first: the cluster's
    own (Cluster.reminder_days), else settings.REMINDER_DAYS_BEFORE."""
    if cluster is not None and cluster.reminder_days.strip():
        try:
            return sorted(parse_reminder_days(cluster.reminder_days))
        except ValidationError:
            # Written past the validation (the admin's raw SQL, an old row): the default.
            logger.warning(
                "Cluster %s: unreadable reminder days %r", cluster.pk, cluster.reminder_days
            )
    return sorted({int(n) for n in settings.REMINDER_DAYS_BEFORE if int(n) >= 0})


def window_start(
    deadline: datetime.date, days_left: int, days: list[int] | None = None
) -> datetime.date | None:
    """The first day of the reminder window that `days_left` falls in, or None outside them."""
    if days_left < 0:
        return None
    covering = [n for n in (days_before() if days is None else days) if n >= days_left]
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


def _render(template: str, context: dict) -> str:
    return render_to_string(f"{template}.txt", context)


def _claim_and_send(
    *,
    cluster_year: ClusterYear,
    unit: Unit | None,
    kind: str,
    deadline: datetime.date,
    today: datetime.date,
    since: datetime.date,
    template: str,
    context: dict,
    recipients: list[str],
) -> bool:
    """Send one reminder unless it was sent since `since`; True when it was sent now.

    The log row and the email are one transaction: a concurrent run's insert of the same row
    waits for this one to end, then breaks the unique constraint (and sends nothing); a failed
    send takes the row back with it.
    """
    try:
        with transaction.atomic():
            already = ReminderLog.objects.filter(
                cluster_year=cluster_year,
                unit=unit,
                kind=kind,
                deadline=deadline,
                sent_on__gte=since,
            )
            if already.exists():
                return False
            ReminderLog.objects.create(
                cluster_year=cluster_year, unit=unit, kind=kind, deadline=deadline, sent_on=today
            )
            subject = " ".join(_render(f"{template}_subject", context).split())
            body = _render(f"{template}_body", context)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except IntegrityError:
        return False  # claimed by a run at the same time
    except Exception:
        # Not sent, and its row rolled back: the next run tries again.
        logger.exception("Reminder %s to %s not sent", kind, recipients)
        return False
    return True


@dataclass(frozen=True)
class YearDeadlineDue:
    """A deadline of one year: a registered one on its date, or one the secretariat added."""

    deadline: Deadline
    day: datetime.date
    context: dict[str, Any] = field(default_factory=dict)  # more for its email templates
    added: YearDeadline | None = None  # the secretariat's own deadline, if it is one


def _every_member(cluster_year: ClusterYear) -> list[Unit]:
    return members_in_year(cluster=cluster_year.cluster, year=cluster_year.year)


def _added(extra: YearDeadline) -> YearDeadlineDue:
    return YearDeadlineDue(
        deadline=Deadline(
            kind=extra.reminder_kind,
            field="",
            label=extra.title,
            pending=_every_member,
            template="scorecards/email/reminder_extra",
        ),
        day=extra.date,
        context={"title": extra.title, "note": extra.note},
        added=extra,
    )


def deadlines_of(cluster_year: ClusterYear) -> list[YearDeadlineDue]:
    """Every dated deadline of the year, earliest first."""
    found = [
        YearDeadlineDue(deadline=deadline, day=day)
        for deadline in registered_deadlines()
        if (day := getattr(cluster_year, deadline.field)) is not None
    ]
    found += [_added(extra) for extra in cluster_year.extra_deadlines.all()]
    return sorted(found, key=lambda due: due.day)


@dataclass
class DueItem:
    """A deadline inside its reminder period, for the digest."""

    label: str | Promise
    day: datetime.date
    days_left: int
    total: int  # member units
    pending: list[tuple[Unit, bool]]  # (unit, has an officer to email)


@dataclass
class WaitingItem:
    label: str | Promise
    count: int


@dataclass
class NextDeadline:
    label: str | Promise
    day: datetime.date
    days_left: int


def send_for_year(*, cluster_year: ClusterYear, today: datetime.date) -> dict[str, int]:
    """Remind the pending units of one cluster year and send its secretariat digest."""
    sent = {"units": 0, "digests": 0}
    days = days_before(cluster_year.cluster)
    year_deadlines = deadlines_of(cluster_year)
    due: list[DueItem] = []
    total: int | None = None
    for item in year_deadlines:
        deadline, day = item.deadline, item.day
        days_left = (day - today).days
        since = window_start(day, days_left, days)
        if since is None:
            continue
        pending = deadline.pending(cluster_year)
        if not pending:
            continue
        emails = officer_emails(
            unit_ids=[u.pk for u in pending], year=cluster_year.year, in_office_on=today
        )
        if total is None:
            total = len(member_unit_ids(cluster_id=cluster_year.cluster_id, year=cluster_year.year))
        due.append(
            DueItem(
                label=deadline.label,
                day=day,
                days_left=days_left,
                total=total,
                pending=[(unit, bool(emails.get(unit.pk))) for unit in pending],
            )
        )
        for unit in pending:
            recipients = emails.get(unit.pk)
            if not recipients:
                continue  # named in the digest as having nobody to email
            context = {
                "cluster_year": cluster_year,
                "cluster": cluster_year.cluster,
                "unit": unit,
                "deadline": day,
                "days_left": days_left,
                **item.context,
            }
            if _claim_and_send(
                cluster_year=cluster_year,
                unit=unit,
                kind=deadline.kind,
                deadline=day,
                today=today,
                since=since,
                template=deadline.template,
                context=context,
                recipients=recipients,
            ):
                sent["units"] += 1
    waiting = [
        WaitingItem(label=kind.label, count=count)
        for kind in registered_waiting()
        if (count := kind.count(cluster_year))
    ]
    if not (due or waiting):
        return sent  # nothing for the secretariat today: no digest
    recipients = secretariat_emails(cluster_year=cluster_year, today=today)
    if not recipients:
        return sent
    upcoming = [
        NextDeadline(label=item.deadline.label, day=item.day, days_left=(item.day - today).days)
        for item in year_deadlines
        if item.day >= today
    ][:DIGEST_NEXT_DEADLINES]
    context = {
        "cluster_year": cluster_year,
        "cluster": cluster_year.cluster,
        "today": today,
        "items": due,
        "waiting": waiting,
        "upcoming": upcoming,
    }
    if _claim_and_send(
        cluster_year=cluster_year,
        unit=None,
        kind=DIGEST,
        deadline=today,  # one digest a day, whatever the deadlines
        today=today,
        since=today,
        template="scorecards/email/digest",
        context=context,
        recipients=recipients,
    ):
        sent["digests"] += 1
    return sent


def send_deadline_reminders(*, today: datetime.date | None = None) -> dict[str, int]:
    """Email, in Vietnamese, each not-closed cluster year's pending units before its deadlines,
    and the secretariat a digest of who has not acted yet and what waits for it. Idempotent
    within a reminder window (unit reminders) and a day (digests).

    Side effects: ReminderLog rows; emails, each sent in the transaction of its row.
    Returns the numbers of unit reminders and digests sent.
    """
    today = today or timezone.localdate()
    totals = {"units": 0, "digests": 0}
    years = (
        ClusterYear.objects.exclude(status=ClusterYear.Status.CLOSED)
        .select_related("cluster")
        .prefetch_related("extra_deadlines")
    )
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
            subject = " ".join(
                _render("scorecards/email/criteria_changed_subject", context).split()
            )
            send_mail(
                subject,
                _render("scorecards/email/criteria_changed_body", context),
                settings.DEFAULT_FROM_EMAIL,
                recipients,
            )
            sent += 1
    return sent
