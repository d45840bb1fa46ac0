from django.urls import path

from profiles.views import onboarding as views

app_name = "onboarding"
urlpatterns = [
    path("", views.start, name="start"),
    path("genres/", views.genres, name="genres"),
    path("genres/save/", views.genres_save, name="genres_save"),
    path("titles/", views.titles, name="titles"),
    path("titles/<int:title_id>/pick/", views.title_pick, name="title_pick"),
    path("titles/next/", views.titles_next, name="titles_next"),
    path("rate/", views.rate, name="rate"),
    path("rate/<int:title_id>/", views.rate_save, name="rate_save"),
    path("rate/next/", views.rate_next, name="rate_next"),
    path("done/", views.done, name="done"),
    path("finish/", views.finish, name="finish"),
    path("skip/", views.skip, name="skip"),
]
