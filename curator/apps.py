from django.apps import AppConfig


class CuratorConfig(AppConfig):
    """Pins, collections, hero overrides, experiments and the audit log (docs/curator.md)."""

    name = "curator"
