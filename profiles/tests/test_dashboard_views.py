"""The Your Marquee pages: every URL for the wrong method, no profile, a foreign household's
profile in the session, a kids profile's ceiling, htmx and full-page answers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.tests.factories import GenreFactory, TitleFactory
from profiles.models import Feedback, Rating
from profiles.tests.factories import KidsProfileFactory, ProfileFactory
from profiles.tests.gamification_cast import finish
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
YEAR = timezone.localdate().year
PAGES = ["/me/", "/me/badges/", "/me/challenges/", "/me/leaderboard/", f"/me/year/{YEAR}/"]
FRAGMENTS = ["/me/preview/"]
POSTS = ["/me/preferences/", "/me/challenges/join/", "/me/challenges/freeze/",
         "/me/leaderboard/community/"]  # fmt: skip


@pytest.fixture
def household(artifacts_tmp):
    """An adult who watched an R-rated crime film and a family film, and their kids profile
    who watched the family film; the R title must never be named to the kid."""
    crime, family = GenreFactory(name="Crime"), GenreFactory(name="Family")
    adult = ProfileFactory(name="Alex")
    kid = KidsProfileFactory(household=adult.household, name="Robin")
    secret = TitleFactory(title="Midnight Heist", certification="R", genres=[crime], year=1972)
    cartoon = TitleFactory(title="Paper Boats", certification="G", genres=[family], year=1995)
    for profile in (adult, kid):
        finish(profile, cartoon)
        Rating.objects.create(profile=profile, title=cartoon, value=4, created_at=timezone.now())
    # The kid's history holds the R title too (e.g. from before its ceiling was lowered).
    finish(kid, secret)
    finish(adult, secret)
    Feedback.objects.create(profile=kid, title=secret, value="love", created_at=timezone.now())
    return {"adult": adult, "kid": kid, "secret": secret, "cartoon": cartoon}


@pytest.mark.parametrize("url", PAGES)
def test_every_page_answers_the_chosen_profile(client, household, url):
    login_as(client, household["adult"])
    response = client.get(url)
    assert response.status_code == 200
    assert "Alex" in response.content.decode()


@pytest.mark.parametrize("url", PAGES + FRAGMENTS)
def test_a_kids_profile_never_sees_a_title_above_its_ceiling_named(client, household, url):
    login_as(client, household["kid"])
    content = client.get(url).content.decode()
    assert "Midnight Heist" not in content and "midnight-heist" not in content


@pytest.mark.parametrize("url", PAGES + FRAGMENTS + POSTS)
def test_without_a_chosen_profile_every_url_goes_to_the_picker(client, household, url):
    client.force_login(household["adult"].household)
    response = client.post(url) if url in POSTS else client.get(url)
    assert response.status_code == 302 and response["Location"] == "/profiles/"


@pytest.mark.parametrize("url", PAGES + FRAGMENTS + POSTS)
def test_another_households_profile_in_the_session_reads_nothing(client, household, url):
    stranger = ProfileFactory(name="Stranger")
    client.force_login(stranger.household)
    session = client.session
    session["profile_id"] = household["adult"].pk  # a tampered or stale session
    session.save()
    response = client.post(url) if url in POSTS else client.get(url)
    assert response.status_code == 302 and response["Location"] == "/profiles/"


@pytest.mark.parametrize("url", PAGES + FRAGMENTS)
def test_pages_refuse_post(client, household, url):
    login_as(client, household["adult"])
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("url", POSTS)
def test_actions_refuse_get(client, household, url):
    login_as(client, household["adult"])
    assert client.get(url).status_code == 405


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/me/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_dashboard_shows_stats_and_non_empty_svg_charts(client, household):
    login_as(client, household["adult"])
    content = client.get("/me/").content.decode()
    assert "2</span> titles finished" in content
    assert content.count('<svg class="chart-svg"') >= 6 and "<rect" in content
    assert 'role="img"' in content and "<desc" in content and "Show as a table" in content
    assert "Your tastes are shifting" in content and "Your taste profile" in content


def test_a_new_profile_sees_empty_states_not_charts(client):
    profile = ProfileFactory()
    login_as(client, profile)
    content = client.get("/me/").content.decode()
    assert "Nothing watched yet" in content and "chart-svg" not in content
    assert "No signals yet" in content


def test_the_taste_profile_names_the_signals_behind_a_genre(client, household):
    login_as(client, household["adult"])
    content = client.get("/me/").content.decode()
    assert "you rated, finished" in content and "Paper Boats" in content


def test_a_year_with_fewer_than_ten_finished_titles_says_how_many_so_far(client, household):
    login_as(client, household["adult"])
    content = client.get(f"/me/year/{YEAR}/").content.decode()
    assert "opens once you have finished 10 titles" in content and "2 so far" in content


def test_a_year_in_review_with_ten_titles_shows_its_chart_and_firsts(client):
    profile = ProfileFactory()
    start = timezone.make_aware(timezone.datetime(YEAR, 1, 3, 20))
    titles = [TitleFactory(title=f"Film {n}") for n in range(10)]
    for n, title in enumerate(titles):
        finish(profile, title, at=min(start + timedelta(days=n * 3), timezone.now()))
    finish(profile, titles[4], at=timezone.now())
    login_as(client, profile)
    content = client.get(f"/me/year/{YEAR}/").content.decode()
    assert "10</span> titles finished" in content and "chart-svg" in content
    assert "First: <a" in content and "Film 0" in content and "Film 4</a> (2 times)" in content


@pytest.mark.parametrize("year", [1899, YEAR + 1, 99999])
def test_a_year_out_of_range_is_a_404(client, household, year):
    login_as(client, household["adult"])
    assert client.get(f"/me/year/{year}/").status_code == 404


def test_the_nav_links_to_the_dashboard(client, household):
    login_as(client, household["adult"])
    assert 'href="/me/"' in client.get("/me/badges/").content.decode()
