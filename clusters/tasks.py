from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import ClusterYear
from .selectors import leadership_recipients
from .services import NOTIFY_LEADERSHIP_CONFIRMED_TASK


@shared_task(
    name=NOTIFY_LEADERSHIP_CONFIRMED_TASK,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=5,
)
def notify_leadership_confirmed(cluster_year_id: int) -> int:
    """Email, in Vietnamese, the officers of the units that will lead the cluster year
    (leadership_recipients).

    Returns the number of emails sent.
    """
    cluster_year = ClusterYear.objects.select_related("cluster").get(pk=cluster_year_id)
    assignments = list(
        cluster_year.leadership.select_related("role", "unit").order_by("role__rank")
    )
    recipients = leadership_recipients(cluster_year, today=timezone.localdate())
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {"cluster_year": cluster_year, "assignments": assignments}
        subject = render_to_string("clusters/email/leadership_subject.txt", context).strip()
        body = render_to_string("clusters/email/leadership_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return len(recipients)
