from django.urls import path

from curator.views import audit, experiments, studio

app_name = "curator"
urlpatterns = [
    path("", studio.studio, name="studio"),
    path("experiments/", experiments.experiments, name="experiments"),
    path("experiments/<int:pk>/", experiments.experiment, name="experiment"),
    path("experiments/<int:pk>/results/", experiments.results, name="results"),
    path(
        "experiments/<int:pk>/<slug:action>/",
        experiments.experiment_action,
        name="experiment_action",
    ),
    path("audit/", audit.audit_log, name="audit"),
    path("<slug:kind>/new/", studio.curated_create, name="create"),
    path("<slug:kind>/<int:pk>/", studio.curated_edit, name="edit"),
    path("<slug:kind>/<int:pk>/delete/", studio.curated_remove, name="delete"),
    path(
        "collections/<int:pk>/preview/", studio.collection_preview_page, name="collection_preview"
    ),
]
