from django.urls import path

from profiles.views import household as views

app_name = "profiles"
urlpatterns = [
    path("", views.picker, name="picker"),
    path("<int:profile_id>/choose/", views.choose, name="choose"),
]
