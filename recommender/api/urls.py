from django.urls import path

from recommender.api import rails, titles

ONE = "profiles/<int:profile_id>/"
urlpatterns = [
    path(ONE + "titles/", titles.titles, name="titles"),
    path(ONE + "titles/<slug:slug>/", titles.title, name="title"),
    path(ONE + "titles/<slug:slug>/similar/", titles.similar, name="similar"),
    path(ONE + "people/<slug:slug>/", titles.person, name="person"),
    path(ONE + "rails/", rails.rails, name="rails"),
    path(ONE + "rails/<slug:key>/", rails.rail, name="rail"),
    path(ONE + "recommendations/", rails.recommendations, name="recommendations"),
    path(ONE + "refresh/", rails.refresh, name="refresh"),
]
