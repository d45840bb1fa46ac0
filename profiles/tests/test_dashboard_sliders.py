"""The dashboard's preference sliders: saved through htmx with the For You preview out of band,
a plain form without JavaScript, 400s; and a genre at -1 leaves For You and the genre rails."""

import re

import pytest
from django.core.management import call_command

from profiles.models import PreferenceWeights
from profiles.tests.sessions import login_as
from recommender.pages import page_rails
from recommender.tests.conftest import community  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def slide(client, name, value):
    headers = HTMX | {"HTTP_HX_TRIGGER_NAME": name}
    return client.post("/me/preferences/", {name: value}, **headers)


def preview_titles(html: str) -> list[str]:
    return re.findall(r'class="tile-title">([^<]+)<', html)


@pytest.fixture
def fan(community):  # noqa: F811
    call_command("recompute_recs", verbosity=0)
    return community["viewers"][1]  # a science-fiction fan


def test_the_preview_shows_the_for_you_rail(client, fan):
    login_as(client, fan)
    titles = preview_titles(client.get("/me/preview/").content.decode())
    assert titles and any(t.startswith("scifi") for t in titles)


def test_a_slider_at_minus_one_saves_and_the_preview_loses_that_genre(client, fan):
    login_as(client, fan)
    response = slide(client, "genre-science-fiction", "-1")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="slider-genre-science-fiction"' in html and "Saved" in html
    assert 'id="preview-rail" hx-swap-oob="innerHTML"' in html
    titles = preview_titles(html)
    assert titles and not any(t.startswith("scifi") for t in titles)
    assert PreferenceWeights.objects.get(profile=fan).genre_weights == {"science-fiction": -1.0}


def test_a_genre_at_minus_one_leaves_for_you_and_every_genre_rail(client, fan):
    login_as(client, fan)
    slide(client, "genre-science-fiction", "-1")
    fan.refresh_from_db()
    _, rails = page_rails(fan)
    personal = [r for r in rails if r.key == "for-you" or r.key.startswith("genre-")]
    shown = [tile.title.title for rail in personal for tile in rail.tiles]
    assert shown and not [t for t in shown if t.startswith("scifi")]


def test_without_javascript_the_slider_form_saves_all_and_returns(client, fan):
    login_as(client, fan)
    data = {"genre-science-fiction": "0.5", "genre-family": "-0.5", "genre-crime": "0"}
    response = client.post("/me/preferences/", data)
    assert response.status_code == 302 and response["Location"] == "/me/"
    weights = PreferenceWeights.objects.get(profile=fan).genre_weights
    assert weights == {"science-fiction": 0.5, "family": -0.5}


@pytest.mark.parametrize(
    ("name", "value", "status"),
    [("genre-science-fiction", "-3", 400), ("genre-science-fiction", "x", 400),
     ("genre-nonexistent", "1", 400), ("password", "1", 400)],
)  # fmt: skip
def test_a_bad_slider_value_is_a_400_and_saves_nothing(client, fan, name, value, status):
    login_as(client, fan)
    response = slide(client, name, value)
    assert response.status_code == status
    assert PreferenceWeights.objects.get(profile=fan).genre_weights == {}


def test_a_bad_value_in_the_plain_form_is_a_400(client, fan):
    login_as(client, fan)
    response = client.post("/me/preferences/", {"genre-crime": "7"})
    assert response.status_code == 400 and "between -1 and +1" in response.content.decode()


def test_the_kids_preview_stays_under_the_ceiling(client, community):  # noqa: F811
    call_command("recompute_recs", verbosity=0)
    login_as(client, community["kid"])
    titles = preview_titles(slide(client, "genre-family", "0.8").content.decode())
    assert titles and all(t.startswith("family") for t in titles)


def test_a_preview_read_before_the_slider_moved_is_not_served_again(client, fan):
    login_as(client, fan)
    before = preview_titles(client.get("/me/preview/").content.decode())
    assert any(t.startswith("scifi") for t in before)
    after = preview_titles(slide(client, "genre-science-fiction", "-1").content.decode())
    assert after and not any(t.startswith("scifi") for t in after)
    assert not any(
        t.startswith("scifi") for t in preview_titles(client.get("/me/preview/").content.decode())
    )
