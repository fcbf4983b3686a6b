from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The home page of every role: what to do now. Owns no models; reads every app below."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "desk"
    verbose_name = _("Work desk")
