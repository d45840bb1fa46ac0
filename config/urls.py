from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView
from health_check.views import HealthCheckView

from recommender.views import poster

# A title's poster keeps its catalog:poster name (Title.poster_src), but who may see it is a
# viewer question, so the view lives in recommender (catalog imports no other app). The about
# page (with TMDB's attribution) is a plain template.
catalog_urls = (
    [
        path("posters/<slug:slug>.svg", poster.poster, name="poster"),
        path("about/", TemplateView.as_view(template_name="catalog/about.html"), name="about"),
    ],
    "catalog",
)

# For the proxy and monitoring: 200 when all is well, 500 with the failing check named.
health_checks: list = [
    "health_check.checks.Database",
    "health_check.checks.Cache",
    "recommender.health.ModelArtifact",
]
if settings.TASKS_BACKEND == "celery":  # a worker answers a ping and consumes the task queue
    from config.celery import app as celery_app

    health_checks.append(("health_check.contrib.celery.Ping", {"app": celery_app, "limit": 1}))
health = HealthCheckView.as_view(checks=health_checks)

urlpatterns = [
    path("health/", health, name="health"),
    path("api/", include("config.api_urls")),  # the JSON API (docs/api.md)
    path("admin/", admin.site.urls),
    # Sign-up, the rate-limited sign-in and password reset live in profiles/account_urls.py.
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("profiles.account_urls")),
    path("profiles/", include("profiles.urls")),
    path("onboarding/", include("profiles.onboarding_urls")),
    path("curator/", include("curator.urls")),
    path("me/", include("profiles.dashboard_urls")),
    path("", include("profiles.signal_urls")),
    path("", include("recommender.urls")),
    path("", include(catalog_urls)),
]
