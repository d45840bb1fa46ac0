from django.apps import AppConfig


class RecommenderConfig(AppConfig):
    name = "recommender"

    def ready(self):
        from catalog.signals import titles_changed
        from recommender.changes import catalogue_changed

        titles_changed.connect(catalogue_changed, dispatch_uid="rails-catalogue-changed")
