"""The Movies and Series pages: their own rails, one kind only, the ceiling applied."""

import pytest
from django.core.management import call_command

from catalog.models import Kind, Title
from profiles.tests.sessions import login_as
from recommender.kind_pages import kind_rails

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def mixed(community):
    """The community's catalogue with every other title of each block turned into a series."""
    for block in community["titles"].values():
        Title.objects.filter(pk__in=[t.pk for t in block[1::2]]).update(kind=Kind.SERIES)
    call_command("recompute_recs", verbosity=0)
    return community


def kinds_shown(hero, rails) -> set[str]:
    titles = [tile.title for rail in rails for tile in rail.tiles]
    return {title.kind for title in titles + ([hero.title] if hero else [])}


@pytest.mark.parametrize("kind", [Kind.MOVIE, Kind.SERIES])
def test_each_page_shows_its_kind_only_in_several_rails(mixed, kind):
    fan = mixed["viewers"][1]
    hero, rails = kind_rails(fan, kind)
    assert kinds_shown(hero, rails) == {kind}
    keys = {rail.key for rail in rails if rail.tiles}
    assert {"for-you", f"popular-{kind}"} <= keys and len(keys) >= 3
    assert not any(rail.has_page for rail in rails)  # /rails/<key>/ would show both kinds


def test_kids_profile_sees_nothing_above_its_ceiling(mixed):
    kid = mixed["kid"]
    for kind in Kind.values:
        hero, rails = kind_rails(kid, kind)
        titles = [tile.title for rail in rails for tile in rail.tiles]
        assert titles and all(t.maturity_level <= kid.effective_ceiling for t in titles)
        assert hero is None or hero.title.maturity_level <= kid.effective_ceiling


def test_pages_render_with_their_heading_and_active_navigation(client, mixed):
    login_as(client, mixed["viewers"][1])
    movies = client.get("/movies/").content.decode()
    assert '<h1 class="kind-heading">Movies</h1>' in movies and "Movies for you" in movies
    assert 'href="/movies/" aria-current="page"' in movies
    series = client.get("/series/").content.decode()
    assert "Series for you" in series and 'href="/series/" aria-current="page"' in series
    crime_titles = {t.title for t in mixed["titles"]["crime"] if t.kind == Kind.SERIES}
    assert not any(f">{name}<" in movies for name in crime_titles)


def test_wrong_method_and_signed_out(client, mixed):
    assert client.get("/movies/")["Location"].startswith("/accounts/login/")
    login_as(client, mixed["viewers"][1])
    assert client.post("/series/").status_code == 405


def test_a_tile_action_on_the_movies_page_answers_with_movie_rails(client, mixed):
    fan = mixed["viewers"][1]
    login_as(client, fan)
    _, rails = kind_rails(fan, Kind.MOVIE)
    target = next(rail for rail in rails if rail.key == "for-you").tiles[0].title
    response = client.post(
        f"/title/{target.slug}/feedback/",
        {"value": "down", "context": "rail", "next": "/movies/", "kind": "movie"},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'hx-swap-oob="outerHTML"' in body
    assert f'-{target.pk}"' not in body and 'name="kind" value="movie"' in body
    series = {t.pk for block in mixed["titles"].values() for t in block if t.kind == Kind.SERIES}
    assert not any(f'id="tile-for-you-{pk}"' in body for pk in series)


def test_the_page_reads_in_a_bounded_number_of_queries(
    client, mixed, django_assert_max_num_queries
):
    login_as(client, mixed["viewers"][1])
    client.get("/")  # the profile's rails exist, as after any first visit
    with django_assert_max_num_queries(25):
        assert client.get("/movies/").status_code == 200
