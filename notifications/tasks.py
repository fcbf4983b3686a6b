from celery import shared_task

from .outbox import SEND_QUEUED_MAIL_TASK, send_queued


@shared_task(name=SEND_QUEUED_MAIL_TASK, ignore_result=True)
def send_queued_mail() -> int:
    """Deliver what the outbox holds (woken on commit, and by the beat every minute)."""
    return send_queued()
