"""The email outbox: every email of the app is a row of django-post-office's Email table first
(EMAIL_BACKEND = post_office.EmailBackend), written in the transaction that decided to send
it; a Celery worker delivers the rows through the delivery backend (POST_OFFICE["BACKENDS"]).

Never lost: the row is in PostgreSQL before anything is published to the broker, and the beat
sends whatever is still queued every minute, so a broker outage only delays mail. Never twice:
a sender claims the rows it delivers with SELECT ... FOR UPDATE SKIP LOCKED and marks them
sent in the same transaction, so two workers, or the beat and a wake-up message, never take
the same email.
"""

import logging
from functools import partial

from celery import current_app, current_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from post_office.connections import connections
from post_office.models import STATUS, Email
from post_office.settings import get_max_retries, get_retry_timedelta

logger = logging.getLogger(__name__)

SEND_QUEUED_MAIL_TASK = "notifications.tasks.send_queued_mail"
BATCH_SIZE = 100


def send(messages: list[EmailMessage]) -> None:
    """Write the messages to the outbox in the caller's transaction. Under another email
    backend (the tests' locmem) the messages go when the transaction commits, so that a
    rolled-back action sends nothing there either."""
    if not messages:
        return
    if settings.EMAIL_BACKEND == "post_office.EmailBackend":
        get_connection().send_messages(messages)
    else:
        transaction.on_commit(partial(get_connection().send_messages, messages))


def _in_worker() -> bool:
    """Whether this runs in a task that a worker took from the broker (current_task is a proxy:
    false outside a task)."""
    if not current_task:
        return False
    request = current_task.request
    return not request.is_eager and not request.called_directly


def wake_sender(sender, emails, **kwargs) -> None:
    """post_office's email_queued signal: have a worker deliver the new rows.

    In a worker task, outside a transaction (the reminder and leadership tasks), the rows are
    committed already and this worker delivers them at once. Elsewhere a message wakes a
    worker once the transaction commits; a broker that is down is logged, not raised (the
    hand-off has committed: the beat sends the row within a minute of the broker's return).
    Without Redis (eager) the task runs in-process and the mail goes at once.
    """
    if _in_worker() and not connection.in_atomic_block:
        send_queued(ids=[email.pk for email in emails])
        return
    transaction.on_commit(_publish, robust=True)


def _publish() -> None:
    try:
        current_app.tasks[SEND_QUEUED_MAIL_TASK].apply_async(retry=False)
    except Exception:
        logger.warning("The broker is unreachable: queued mail waits for the beat.", exc_info=True)


def _due() -> Q:
    now = timezone.now()
    return (
        Q(status__in=[STATUS.queued, STATUS.requeued])
        & (Q(scheduled_time__isnull=True) | Q(scheduled_time__lte=now))
        & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    )


def send_queued(*, ids: list[int] | None = None) -> int:
    """Deliver the emails due in the outbox (only those of `ids` when given), batch by batch;
    returns how many were sent. A failed delivery is tried again RETRY_INTERVAL later, up to
    MAX_RETRIES times (POST_OFFICE settings), then left failed with its log."""
    sent = 0
    while True:
        with transaction.atomic():
            due = Email.objects.select_for_update(skip_locked=True).filter(_due())
            if ids is not None:
                due = due.filter(pk__in=ids)
            batch = list(due.order_by("pk")[:BATCH_SIZE])
            if not batch:
                return sent
            try:
                for email in batch:
                    status = email.dispatch(log_level=1, disconnect_after_delivery=False)
                    if status == STATUS.sent:
                        sent += 1
                    elif (email.number_of_retries or 0) < get_max_retries():
                        email.status = STATUS.requeued
                        email.number_of_retries = (email.number_of_retries or 0) + 1
                        email.scheduled_time = timezone.now() + get_retry_timedelta()
                        email.save(update_fields=["status", "number_of_retries", "scheduled_time"])
            finally:
                connections.close()
