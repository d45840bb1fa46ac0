from django.apps import AppConfig


class CuratorConfig(AppConfig):
    """Pins, collections, hero override and experiments arrive in the curator issue."""

    name = "curator"
