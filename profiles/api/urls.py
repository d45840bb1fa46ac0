from django.urls import path

from profiles.api import auth, events, household, signals

ONE = "profiles/<int:profile_id>/"
urlpatterns = [
    path("auth/register/", auth.register, name="register"),
    path("auth/token/", auth.token, name="token"),
    path("auth/token/refresh/", auth.token_refresh, name="token_refresh"),
    path("auth/logout/", auth.logout, name="logout"),
    path("events/", events.events, name="events"),
    path("profiles/", household.profiles, name="profiles"),
    path(ONE, household.profile, name="profile"),
    path(ONE + "insights/", household.insights, name="insights"),
    path(ONE + "events/", events.profile_events, name="profile_events"),
    path(ONE + "history/", signals.history, name="history"),
    path(ONE + "my-list/", signals.my_list, name="my_list"),
    path(ONE + "my-list/<slug:slug>/", signals.my_list_item, name="my_list_item"),
    path(ONE + "titles/<slug:slug>/feedback/", signals.feedback, name="feedback"),
    path(ONE + "titles/<slug:slug>/rating/", signals.rating, name="rating"),
    path(ONE + "titles/<slug:slug>/progress/", signals.progress, name="progress"),
]
