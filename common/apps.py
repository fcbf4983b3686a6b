from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Registered so that common/ can hold template tags; it has no models."""

    name = "common"
    label = "common"
