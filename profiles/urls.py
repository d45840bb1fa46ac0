from django.urls import path

from profiles.views import household as views

app_name = "profiles"
urlpatterns = [
    path("", views.picker, name="picker"),
    path("new/", views.new, name="new"),
    path("<int:profile_id>/choose/", views.choose, name="choose"),
    path("<int:profile_id>/unlock/", views.unlock, name="unlock"),
    path("<int:profile_id>/edit/", views.edit, name="edit"),
    path("<int:profile_id>/pin/", views.pin_change, name="pin"),
    path("<int:profile_id>/pin/remove/", views.pin_remove, name="pin_remove"),
    path("<int:profile_id>/delete/", views.delete, name="delete"),
    path("<int:profile_id>/preferences/", views.preferences, name="preferences"),
]
