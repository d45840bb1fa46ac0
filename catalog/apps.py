from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catalogue"

    def ready(self):
        from catalog.page_cache import connect_receivers

        connect_receivers()
