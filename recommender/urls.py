from django.urls import path

from catalog.models import Kind
from recommender.views import home, search, title

app_name = "recommender"
urlpatterns = [
    path("", home.home, name="home"),
    path("rails/<slug:key>/", home.rail, name="rail"),
    path("title/<slug:slug>/", title.title, name="title"),
    path("title/<slug:slug>/similar/", title.similar, name="title_similar"),
    path("search/", search.search, name="search"),
    path("search/suggestions/", search.suggestions, name="search_suggestions"),
    path("movies/", home.kind_page, {"kind": Kind.MOVIE}, name="movies"),
    path("series/", home.kind_page, {"kind": Kind.SERIES}, name="series"),
]
