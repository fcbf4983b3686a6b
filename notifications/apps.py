from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from post_office.signals import email_queued

        # Register the app's Celery tasks in every process (web too), so that the outbox can
        # queue them by name without importing the tasks module.
        from . import outbox, tasks  # noqa: F401

        email_queued.connect(outbox.wake_sender, dispatch_uid="notifications.wake_sender")
