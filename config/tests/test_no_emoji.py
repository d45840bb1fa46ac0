"""No emoji glyph in any rendered page: on a machine without a colour-emoji font each one shows
as an empty box. Icons come from the SVG sprite (templates/components/icons.svg) instead.

The main pages are rendered for an adult with some history, a kids profile, a fresh profile
going through onboarding and a signed-out visitor, and every answer's text is searched with the
`emoji` package's list of emoji (which includes the text-style ones such as U+25B6, the play
triangle, that fonts may still draw as emoji)."""

from pathlib import Path

import emoji
import pytest
from django.conf import settings
from django.utils import timezone

from catalog.models import Kind
from catalog.tests.factories import GenreFactory, TitleFactory
from profiles.services import feedback_set, my_list_add, rating_set, seen_set
from profiles.tests.factories import KidsProfileFactory, ProfileFactory
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db


def emoji_in(text: str) -> list[str]:
    return [
        f"{found['emoji']!r} (U+{ord(found['emoji'][0]):04X})" for found in emoji.emoji_list(text)
    ]


def test_the_detector_finds_the_glyphs_that_were_replaced():
    for glyph in ("👍", "👎", "❤️", "🚫", "👁", "▶", "🔒", "🍿", "🦖"):
        assert emoji_in(f"a {glyph} b"), glyph
    assert not emoji_in("Play · 4.5 ★ ½ “My List” — ✓ ✕")


@pytest.fixture
def catalogue():
    drama, family = GenreFactory(name="Drama"), GenreFactory(name="Family")
    movies = [
        TitleFactory(title=f"Film {n}", year=2024, genres=[drama if n % 2 else family],
                     certification="G" if n % 3 else "R", popularity=n)
        for n in range(12)
    ]  # fmt: skip
    series = [
        TitleFactory(title=f"Show {n}", kind=Kind.SERIES, year=2023, genres=[family],
                     certification="TV-G", popularity=n)
        for n in range(8)
    ]  # fmt: skip
    return movies + series


@pytest.fixture
def adult(catalogue):
    profile = ProfileFactory(name="Alex", onboarded_at=timezone.now(), avatar="popcorn")
    feedback_set(profile=profile, title=catalogue[0], value="love")
    seen_set(profile=profile, title=catalogue[0], seen=True)
    rating_set(profile=profile, title=catalogue[1], stars=4.5)
    my_list_add(profile=profile, title=catalogue[2])
    my_list_add(profile=profile, title=catalogue[13])
    KidsProfileFactory(household=profile.household, name="Robin", avatar="owl")
    return profile


def assert_no_emoji(client, paths):
    for path in paths:
        response = client.get(path, follow=True)
        expected = 404 if path.startswith("/no-such") else 200
        assert response.status_code == expected, (path, response.status_code)
        found = emoji_in(response.content.decode())
        assert not found, f"{path} renders emoji: {', '.join(found)}"


def test_no_emoji_on_an_adult_profiles_pages(client, adult, catalogue):
    login_as(client, adult)
    film = catalogue[0]
    assert_no_emoji(client, [
        "/", "/movies/", "/series/", "/my-list/", "/search/", "/search/?q=film",
        f"/title/{film.slug}/", f"/title/{catalogue[1].slug}/", f"/title/{film.slug}/play/",
        "/rails/for-you/", "/rails/trending/", "/profiles/", "/profiles/?manage=1",
        "/profiles/new/", f"/profiles/{adult.pk}/edit/", f"/profiles/{adult.pk}/preferences/",
        "/about/", "/no-such-page/", "/me/", "/me/badges/", "/me/challenges/",
        "/me/leaderboard/",
    ])  # fmt: skip


def test_no_emoji_on_a_kids_profiles_pages(client, adult, catalogue):
    kid = adult.household.profiles.get(name="Robin")
    kid.onboarded_at = timezone.now()
    kid.save()
    login_as(client, kid)
    assert_no_emoji(client, ["/", "/movies/", "/series/", "/my-list/", "/search/", "/profiles/",
                             f"/title/{catalogue[1].slug}/"])  # fmt: skip


def test_no_emoji_in_onboarding(client, catalogue):
    fresh = ProfileFactory(name="Sam")
    login_as(client, fresh)
    assert_no_emoji(client, ["/onboarding/", "/onboarding/genres/"])
    client.post(
        "/onboarding/genres/save/",
        {"genres": ["drama", "family", catalogue[0].genres.first().slug]},
    )
    for title in catalogue[:5] + catalogue[12:17]:
        client.post(f"/onboarding/titles/{title.pk}/pick/", {"picked": "1"})
    assert_no_emoji(client, ["/onboarding/titles/", "/onboarding/titles/?kind=series"])
    client.post("/onboarding/titles/next/")
    assert_no_emoji(client, ["/onboarding/rate/"])
    client.post("/onboarding/rate/next/")
    assert_no_emoji(client, ["/onboarding/done/"])


def test_no_emoji_when_signed_out_and_on_the_error_pages(client):
    assert_no_emoji(client, ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/",
                             "/about/"])  # fmt: skip
    for name in ("400.html", "403.html", "404.html", "500.html", "403_csrf.html"):
        text = (Path(settings.BASE_DIR) / "templates" / name).read_text()
        assert not emoji_in(text), name
