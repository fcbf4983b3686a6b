"""Reads of the notifications app, each in a fixed number of queries."""

from django.db.models import QuerySet

from .models import EmailOptOut, Kind, Notification


def unread_count(user) -> int:
    """The top bar's count: one query (the partial index notification_unread)."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_of(user) -> QuerySet[Notification]:
    """The account's notifications, newest first (for a paginated list)."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def email_kinds(user) -> set[str]:
    """The kinds the account gets by email: all but those it switched off."""
    off = set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
    return {kind for kind in Kind.values if kind not in off}
