"""The search box's suggestions (htmx, while typing): the search's own matching, within the
profile's ceiling and filters; without htmx the URL is the search page."""

import re

import pytest

from catalog.importers.demo import demo_catalogue_load, demo_entries
from catalog.models import Title
from catalog.tests.factories import search_catalogue
from catalog.tests.test_search_relevance import PERSON_CASES, TITLE_CASES
from profiles.tests.factories import KidsProfileFactory, ProfileFactory
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
URL = "/search/suggestions/"


@pytest.fixture
def catalogue():
    return search_catalogue()


def suggested(client, **params) -> str:
    response = client.get(URL, params, **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def test_typing_suggests_matching_titles_as_a_fragment(client, catalogue):
    login_as(client, ProfileFactory())
    content = suggested(client, q="godf")
    assert "The Godfather" in content and "<html" not in content
    assert 'href="/search/?q=godf"' in content  # "All results" keeps the query


def test_suggestions_keep_the_chosen_filters(client, catalogue):
    login_as(client, ProfileFactory())
    assert "Toy Story" in suggested(client, q="hanks", certification="G")
    content = suggested(client, q="hanks", certification="PG")
    assert "Big" in content and "Toy Story" not in content
    assert "certification=PG" in content


def test_one_letter_suggests_nothing(client, catalogue):
    login_as(client, ProfileFactory())
    assert "<li>" not in suggested(client, q="g")


def test_kids_profile_is_never_offered_a_title_above_its_ceiling(client, catalogue):
    login_as(client, KidsProfileFactory())
    assert "Godfather" not in suggested(client, q="godfather")
    content = suggested(client, q="hanks")
    assert "Toy Story" in content and "Big" in content


def test_kids_suggestions_stay_within_the_ceiling_on_the_demo_catalogue(client):
    demo_catalogue_load(demo_entries())
    kid = KidsProfileFactory()
    login_as(client, kid)
    queries = [q for q, _ in TITLE_CASES + PERSON_CASES] + ["the", "star", "dark", "love"]
    slugs = set()
    for query in queries:
        slugs |= set(re.findall(r'href="/title/([^/"]+)/"', suggested(client, q=query)))
    levels = dict(Title.objects.filter(slug__in=slugs).values_list("slug", "maturity_level"))
    assert len(levels) == len(slugs) > 20  # real suggestions were looked at
    assert max(levels.values()) <= kid.maturity_ceiling


def test_without_htmx_the_url_is_the_search_page(client, catalogue):
    login_as(client, ProfileFactory())
    response = client.get(URL, {"q": "godf", "genre": "crime"})
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=godf&genre=crime"


def test_bad_input_is_400_with_a_message(client, catalogue):
    login_as(client, ProfileFactory())
    response = client.get(URL, {"q": "godf", "year_min": "soon"}, **HTMX)
    assert response.status_code == 400 and b"year_min must be a whole number" in response.content


def test_wrong_method_is_405_and_anonymous_is_sent_to_login(client, catalogue):
    assert client.get(URL, {"q": "godf"}, **HTMX).status_code == 302
    login_as(client, ProfileFactory())
    assert client.post(URL, {"q": "godf"}).status_code == 405
