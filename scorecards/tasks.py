"""Background jobs of the scorecards app: thin tasks that call a service.

Task names are pinned to the module path they had before the app left emulation/, so messages
already queued and the beat schedule keep working; the one that a service queues is named in that
service (it queues it by name and never imports this module).
"""

import datetime

from celery import shared_task

from .services import criteria, reminders


@shared_task(name="emulation.scorecards.tasks.send_deadline_reminders")
def send_deadline_reminders(today: str | None = None) -> dict[str, int]:
    """Run daily by Celery beat (CELERY_BEAT_SCHEDULE). `today` (ISO date) is for tests and
    for catching up by hand; by default the cluster's local date."""
    day = datetime.date.fromisoformat(today) if today else None
    return reminders.send_deadline_reminders(today=day)


@shared_task(name=criteria.NOTIFY_CRITERIA_CHANGED_TASK)
def notify_criteria_changed(criteria_set_id: int) -> int:
    """Email the units asked to re-confirm their scorecard after a new criteria version."""
    return reminders.notify_criteria_changed(criteria_set_id=criteria_set_id)
