from django.urls import path

from recommender import views

app_name = "recommender"
urlpatterns = [
    path("rails/<slug:key>/", views.rail, name="rail"),
]
