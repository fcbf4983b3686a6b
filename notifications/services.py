"""Writes of the notifications app: notify the people who act next, read notifications, the
email choices."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from . import outbox
from .models import EmailOptOut, Kind, Notification


def absolute(url: str) -> str:
    """The link as an email gives it: on SITE_URL when that is set."""
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


def notify(
    *,
    users: Iterable[AbstractUser],
    kind: Kind,
    message: str | Promise,
    params: dict | None = None,
    url: str = "",
    email_subject: str = "",
    email_body: str = "",
) -> list[Notification]:
    """Tell each active account of `users` (once, whoever is listed twice) of a hand-off: a
    notification in the app and, for those with an address who did not switch the kind off, an
    email.

    `message` is an English msgid (gettext_lazy) with `params`: it is stored and mailed in the
    app's language (LANGUAGE_CODE, Vietnamese), whoever's request made it. The email has
    `email_subject` and `email_body` when given, else the message and the link.

    Side effects, in the caller's transaction: the Notification rows, and the emails written to
    the outbox (notifications.outbox), so a rolled-back hand-off leaves neither.
    """
    recipients = {user.pk: user for user in users if user.is_active}
    if not recipients:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message) % (params or {}) if params else str(message)
        context = {"message": text, "link": absolute(url) if url else ""}
        subject = email_subject or render_to_string("notifications/email/subject.txt", context)
        # One line: a reason typed on several lines would make the header invalid (and the
        # email undeliverable).
        subject = " ".join(subject.split())
        context["preferences"] = absolute(reverse("notifications:email_choices"))
        body = email_body or render_to_string("notifications/email/body.txt", context)
    with transaction.atomic():
        rows = Notification.objects.bulk_create(
            Notification(user_id=pk, kind=kind, message=text[:500], url=url)
            for pk in sorted(recipients)
        )
        opted_out = set(
            EmailOptOut.objects.filter(user_id__in=recipients, kind=kind).values_list(
                "user_id", flat=True
            )
        )
        emails = [
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
            for pk, user in sorted(recipients.items())
            if user.email and pk not in opted_out
        ]
        outbox.send(emails)
    return rows


def open_notification(*, notification: Notification) -> Notification:
    """Mark the notification read, the first time it is opened."""
    if notification.read_at is None:
        now = timezone.now()
        # Conditional: a second tab opening it at the same moment keeps the first time.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def mark_all_read(*, user) -> int:
    """Mark every unread notification of the account read; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def save_email_choices(*, user, email_kinds: set[str]) -> None:
    """Email the account the kinds in `email_kinds`, and no other (stored as opt-outs)."""
    unknown = email_kinds - set(Kind.values)
    if unknown:
        raise ValidationError({"email_kinds": _("Choose among the kinds listed.")})
    EmailOptOut.objects.filter(user=user).delete()
    EmailOptOut.objects.bulk_create(
        EmailOptOut(user=user, kind=kind) for kind in Kind.values if kind not in email_kinds
    )
