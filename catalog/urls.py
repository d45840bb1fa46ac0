from django.urls import path

from catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.home, name="home"),
    path("title/<slug:slug>/", views.title, name="title"),
    path("search/", views.search, name="search"),
    path("posters/<slug:slug>.svg", views.poster, name="poster"),
]
