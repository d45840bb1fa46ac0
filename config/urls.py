from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # Sign-up, the rate-limited sign-in and password reset live in profiles/account_urls.py.
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("profiles.account_urls")),
    path("profiles/", include("profiles.urls")),
    path("onboarding/", include("profiles.onboarding_urls")),
    path("", include("profiles.signal_urls")),
    path("", include("recommender.urls")),
    path("", include("catalog.urls")),
]
