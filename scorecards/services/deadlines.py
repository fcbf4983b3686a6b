"""The secretariat's deadlines of a year (YearDeadline) and the cluster's reminder days: what the
deadline reminders (services.reminders) are sent for, and when."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusters.models import Cluster, ClusterYear, parse_reminder_days

from ..models import YearDeadline


def _locked_open_year(cluster_year: ClusterYear) -> ClusterYear:
    """The cluster year, locked so that closing it cannot interleave with a write."""
    locked = ClusterYear.objects.select_for_update().get(pk=cluster_year.pk)
    if locked.is_closed:
        raise ValidationError(_("The year is closed."))
    return locked


@transaction.atomic
def save_deadline(
    *,
    cluster_year: ClusterYear,
    title: str,
    date: datetime.date,
    note: str,
    user,
    deadline: YearDeadline | None = None,
) -> YearDeadline:
    """Add a deadline to an open year, or change one of its own; the date lies in the year.
    Side effects: the row and its history; the member units are reminded before the date."""
    cluster_year = _locked_open_year(cluster_year)
    if deadline is None:
        deadline = YearDeadline(cluster_year=cluster_year)
    elif deadline.cluster_year_id != cluster_year.pk:
        raise ValidationError(_("This deadline belongs to another year."))
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Say what the units must do.")
    if date.year != cluster_year.year:
        errors["date"] = _("The deadline must be a day of %(year)s.") % {"year": cluster_year.year}
    if errors:
        raise ValidationError(errors)
    deadline.title = title.strip()
    deadline.date = date
    deadline.note = note.strip()
    deadline._history_user = user
    deadline.save()
    return deadline


@transaction.atomic
def delete_deadline(*, deadline: YearDeadline, user) -> None:
    """Remove a deadline of an open year: no more reminders of it."""
    _locked_open_year(deadline.cluster_year)
    deadline._history_user = user
    deadline.delete()


@transaction.atomic
def set_reminder_days(*, cluster: Cluster, reminder_days: str, user) -> Cluster:
    """Set the days before each deadline on which the cluster's units are reminded ("7,3,1",
    stored largest first); empty for the application's default (REMINDER_DAYS_BEFORE)."""
    try:
        days = parse_reminder_days(reminder_days)
    except ValidationError as error:
        raise ValidationError({"reminder_days": error.messages}) from None
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    cluster.reminder_days = ",".join(str(day) for day in days)
    cluster._history_user = user  # type: ignore[attr-defined]
    cluster.save(update_fields=["reminder_days"])
    return cluster
