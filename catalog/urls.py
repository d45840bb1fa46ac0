from django.urls import path

from catalog import views

app_name = "catalog"
urlpatterns = [
    path("posters/<slug:slug>.svg", views.poster, name="poster"),
    path("about/", views.about, name="about"),
]
