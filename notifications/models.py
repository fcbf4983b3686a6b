"""What the app tells each account: notifications shown in the app, and the kinds of them the
account does not want by email."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """Every hand-off that notifies the people who act next (docs/ARCHITECTURE.md §6)."""

    SCORECARD_SUBMITTED = "scorecard_submitted", _("A scorecard is submitted for review")
    SCORECARD_RETURNED = "scorecard_returned", _("A scorecard is returned to the unit")
    SCORECARD_ADJUSTED = "scorecard_adjusted", _("Scores are adjusted in the review")
    SCORECARD_EXPLAINED = "scorecard_explained", _("A unit explains an adjusted score")
    SCORECARD_FINALISED = "scorecard_finalised", _("A scorecard's scores are final")
    RANKING_PUBLISHED = "ranking_published", _("The ranking is published")
    REPORT_SUBMITTED = "report_submitted", _("A unit report is submitted")
    REPORT_RETURNED = "report_returned", _("A unit report is returned")
    REPORT_ACCEPTED = "report_accepted", _("A unit report is accepted")
    NOMINATION_SUBMITTED = "nomination_submitted", _("A unit nominates a person for an award")
    SLATE_FINALISED = "slate_finalised", _("The slate is final")
    POLL_OPENED = "poll_opened", _("A poll is open for voting")
    RESULTS_PUBLISHED = "results_published", _("The result of a poll is published")
    SUMMARY_PUBLISHED = "summary_published", _("The year-end summary is published")
    LEADERSHIP_CONFIRMED = "leadership_confirmed", _("Next year's leadership is confirmed")


class Notification(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    message = models.CharField(_("message"), max_length=500)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The top bar counts the unread ones on every page.
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            models.Index(fields=["user", "-created_at"], name="notification_newest"),
        ]

    def __str__(self):
        return self.message

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailOptOut(models.Model):
    """A kind of notification the account does not want by email (every kind is on by default,
    so only the choices to switch one off are stored)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="email_opt_outs",
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)

    class Meta:
        verbose_name = _("email opt-out")
        verbose_name_plural = _("email opt-outs")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_opt_out_once"),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()}"
