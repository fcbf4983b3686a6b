from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClustersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "clusters"
    verbose_name = _("Clusters and units")

    def ready(self) -> None:
        # Register the app's Celery tasks in every process (web too), so that its services can
        # queue them by name without importing the tasks module.
        from . import tasks  # noqa: F401
