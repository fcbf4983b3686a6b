from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from .models import ClusterYear
from .selectors import leadership_recipients
from .services import NOTIFY_LEADERSHIP_CONFIRMED_TASK, leadership_notice


@shared_task(
    name=NOTIFY_LEADERSHIP_CONFIRMED_TASK,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=5,
)
def notify_leadership_confirmed(cluster_year_id: int) -> int:
    """Email, in Vietnamese, the officers of the units that will lead the cluster year
    (leadership_recipients). Kept for messages queued before confirm_leadership notified by
    itself (notifications.services.notify).

    Returns the number of emails sent.
    """
    cluster_year = ClusterYear.objects.select_related("cluster").get(pk=cluster_year_id)
    recipients = leadership_recipients(cluster_year, today=timezone.localdate())
    if not recipients:
        return 0
    subject, body = leadership_notice(cluster_year)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return len(recipients)
