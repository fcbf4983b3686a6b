from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models import ClusterYear, OfficerTerm, year_end, year_start
from .services import NOTIFY_LEADERSHIP_CONFIRMED_TASK


@shared_task(
    name=NOTIFY_LEADERSHIP_CONFIRMED_TASK,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=5,
)
def notify_leadership_confirmed(cluster_year_id: int) -> int:
    """Email, in Vietnamese, the officers of the units that will lead the cluster year.

    Returns the number of emails sent.
    """
    cluster_year = ClusterYear.objects.select_related("cluster").get(pk=cluster_year_id)
    assignments = list(
        cluster_year.leadership.select_related("role", "unit").order_by("role__rank")
    )
    recipients = sorted(
        set(
            OfficerTerm.objects.filter(
                unit__in=[a.unit_id for a in assignments],
                start_date__lte=year_end(cluster_year.year),
                user__is_active=True,
            )
            .exclude(end_date__lt=year_start(cluster_year.year - 1))
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {"cluster_year": cluster_year, "assignments": assignments}
        subject = render_to_string("clusters/email/leadership_subject.txt", context).strip()
        body = render_to_string("clusters/email/leadership_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return len(recipients)
