"""/api/: version 1 of the JSON API (docs/api.md). Each app keeps its endpoints in its own
`api` package (profiles/api/, recommender/api/); this file only gathers them with the schema
and its documentation pages, and answers JSON 404 for anything else under /api/."""

from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from config.api import api_not_found

app_name = "api"
v1 = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("", include("profiles.api.urls")),
    path("", include("recommender.api.urls")),
]
urlpatterns = [
    path("v1/", include(v1)),
    re_path(r"^(?P<path>[\s\S]*)\Z", api_not_found),
]
