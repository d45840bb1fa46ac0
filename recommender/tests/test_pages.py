import re

import pytest
from django.core.management import call_command

from catalog.services import titles_update
from profiles.tests.sessions import login_as
from recommender.pages import CSRF_PLACEHOLDER, MATCH_MARK, RAIL_MARK, page_rails, tiles_draw
from recommender.rails import Rail, Tile

pytestmark = pytest.mark.django_db
# CSRF tokens are masked afresh and CSP nonces drawn afresh for every answer.
TOKENS = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": "|nonce=")[A-Za-z0-9_-]+')


def without_tokens(html: str) -> str:
    return TOKENS.sub(r"\1…", html)


def test_home_html_is_served_from_the_cache_until_the_rails_change(
    client, community, django_assert_max_num_queries
):
    call_command("recompute_recs", verbosity=0)
    fan = community["viewers"][0]
    login_as(client, fan)
    first = client.get("/").content.decode()
    with django_assert_max_num_queries(3):  # session, account, profile; the rest is cached HTML
        again = client.get("/").content.decode()
    assert without_tokens(again) == without_tokens(first)
    assert CSRF_PLACEHOLDER not in first and 'name="csrfmiddlewaretoken" value="' in first
    _, rails = page_rails(fan)
    shown = rails[0].tiles[0].title
    assert f'id="tile-{rails[0].key}-{shown.pk}"' in first
    client.post(f"/title/{shown.slug}/feedback/", {"value": "down"})
    after = client.get("/").content.decode()
    assert f'-{shown.pk}"' not in after  # no tile of it on the re-rendered page


def test_each_response_gets_a_valid_csrf_token_not_a_cached_one(client, community):
    call_command("recompute_recs", verbosity=0)
    fan = community["viewers"][0]
    login_as(client, fan)
    client.get("/")
    client.logout()
    login_as(client, fan)
    page = client.get("/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    title = community["titles"]["family"][0]
    client.handler.enforce_csrf_checks = True
    response = client.post(
        f"/title/{title.slug}/my-list/", {"action": "add", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def _tiles_drawn(response) -> int:
    return sum(t.name == "components/tile.html" for t in response.templates)


def test_a_tile_is_drawn_once_for_every_profile_that_shows_it_alike(client, community):
    call_command("recompute_recs", verbosity=0)
    first, second = community["viewers"][0], community["viewers"][1]
    login_as(client, first)
    page = client.get("/")
    assert _tiles_drawn(page) > 0
    trending = next(r for r in page_rails(first)[1] if r.key == "trending")
    login_as(client, second)
    page = client.get("/")
    drawn = _tiles_drawn(page)  # the page's and its lazy rails' (drawn with it)
    lazy = re.findall(r'hx-get="(/rails/[-\w]+/)"', page.content.decode())
    fragments = [client.get(url, HTTP_HX_REQUEST="true") for url in lazy]
    assert lazy and not any(_tiles_drawn(fragment) for fragment in fragments)
    tiles = sum(r.content.decode().count('<li class="tile"') for r in [page, *fragments])
    assert drawn < tiles  # the tiles the first profile's page drew alike were not drawn again
    assert CSRF_PLACEHOLDER not in page.content.decode()
    assert f'id="tile-trending-{trending.tiles[0].title.pk}"' in page.content.decode()


def test_a_title_change_draws_its_tiles_again(client, community):
    call_command("recompute_recs", verbosity=0)
    fan = community["viewers"][0]
    login_as(client, fan)
    client.get("/")
    shown = page_rails(fan)[1][0].tiles[0].title
    titles_update(title_ids=[shown.pk], title="A New Name For It")
    assert "A New Name For It" in client.get("/").content.decode()


def test_a_page_whose_tiles_are_drawn_reads_no_title_whole_but_the_heros(client, community):
    """The assembly leaves the titles unread for a page drawn through tiles_draw; the tiles it
    must draw and the hero read theirs, in one query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("recompute_recs", verbosity=0)
    fan = community["viewers"][0]
    login_as(client, fan)
    client.get("/")
    hero, rails = page_rails(fan, filled=3, whole=False)
    tiles = [tile for rail in rails for tile in rail.tiles]
    assert tiles and hero is not None and all(t.title is None for t in [hero, *tiles])
    with CaptureQueriesContext(connection) as captured:
        hero = tiles_draw(fan, rails, page_path="/", hero=hero)
    assert hero.title is not None and hero.title.pk == hero.title_id
    assert len([q for q in captured if "catalog_title_genres" in q["sql"]]) == 1
    assert all(rail.tiles_html.count('<li class="tile"') == len(rail.tiles) for rail in rails)
    with CaptureQueriesContext(connection) as captured:
        html = client.get("/rails/trending/", HTTP_HX_REQUEST="true").content.decode()
    genre_reads = [q for q in captured if "catalog_title_genres" in q["sql"]]
    assert '<li class="tile"' in html
    assert not genre_reads  # every Trending tile was drawn for the home page already
    trending = page_rails(fan, only="trending", whole=False)[1][0]
    assert f'id="tile-trending-{trending.tiles[-1].title_id}"' in html


def test_the_lazy_rails_are_drawn_with_the_home_page_as_their_fragments_draw_them(
    client, community, django_assert_max_num_queries
):
    """A lazy rail's fragment is kept with the home page under the key the fragment reads: one
    cache read, and the same HTML the fragment draws on its own."""
    from django.core.cache import cache

    call_command("recompute_recs", verbosity=0)
    fan = community["viewers"][0]
    login_as(client, fan)
    lazy = re.findall(r'hx-get="(/rails/[-\w]+/)"', client.get("/").content.decode())
    assert lazy
    with django_assert_max_num_queries(3 * len(lazy)):  # each: session, account, profile
        kept = [client.get(url, HTTP_HX_REQUEST="true").content.decode() for url in lazy]
    cache.clear()
    drawn = [client.get(url, HTTP_HX_REQUEST="true").content.decode() for url in lazy]
    assert [without_tokens(html) for html in kept] == [without_tokens(html) for html in drawn]
    assert all('<li class="tile"' in html or "empty" in html for html in kept)


def test_a_tile_is_shared_by_profiles_whose_match_differs(community, tiles_drawn):
    """A For You tile of a popular title is on most home pages, each with its own match: the
    drawing is kept once, the match filled in for each."""
    title = community["titles"]["family"][0]
    html = {}
    for profile, confidence in ((community["viewers"][0], 0.87), (community["viewers"][1], 0.42)):
        rail = Rail("for-you", "For You", [Tile(None, confidence, title_id=title.pk)])
        tiles_draw(profile, [rail], page_path="/")
        html[confidence] = rail.tiles_html
    assert [pk for _, pk in tiles_drawn] == [title.pk]  # for the first profile only
    assert "87% match" in html[0.87] and "42% match" in html[0.42]
    assert MATCH_MARK not in html[0.87] + html[0.42]
    assert html[0.87].replace("87%", "42%") == html[0.42]


def test_a_tile_is_shared_by_the_rails_that_show_its_title(community, tiles_drawn):
    """A title in For You and in a Because you watched rail is drawn once; each copy names its
    own rail. Continue Watching's tiles (no actions) are drawn on their own."""
    title = community["titles"]["family"][0]
    profile = community["viewers"][0]
    rails = [
        Rail(key, key, [Tile(None, title_id=title.pk)])
        for key in ("for-you", "because-you-watched", "continue")
    ]
    tiles_draw(profile, rails, page_path="/")
    drawn = [key for key, _ in tiles_drawn]
    assert len(drawn) == 2 and "continue" in drawn  # one shared drawing, one without actions
    for rail in rails:
        assert f'id="tile-{rail.key}-{title.pk}"' in rail.tiles_html
        assert RAIL_MARK not in rail.tiles_html
    assert 'name="rail" value="because-you-watched"' in rails[1].tiles_html
    assert "tile-actions" in rails[0].tiles_html and "tile-actions" not in rails[2].tiles_html
    tiles_drawn.clear()
    tiles_draw(profile, [Rail("top-picks", "", [Tile(None, title_id=title.pk)])], page_path="/")
    assert tiles_drawn == []  # a later page's rail reads the kept drawing
