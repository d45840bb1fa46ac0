"""Badge rules (profiles/gamification/badges.py): each one earned at its target and not one
short of it, awarding is idempotent, the backfill command, and the toast after a finish."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Credit
from catalog.tests.factories import GenreFactory, PersonFactory, TitleFactory
from profiles.gamification.badges import (
    BADGES,
    BY_CODE,
    badge_progress,
    badges_for,
    facts_for,
)
from profiles.gamification.services import badges_award
from profiles.models import BadgeAward, Rating
from profiles.services import watch_event_record
from profiles.tests.factories import KidsProfileFactory, ProfileFactory
from profiles.tests.gamification_cast import finish
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
LANGUAGES = ["en", "fr", "de", "ja", "ko", "es"]


def _titles(n, **fields):
    return [TitleFactory(**{k: v(i) if callable(v) else v for k, v in fields.items()})
            for i in range(n)]  # fmt: skip


def _genre(i):
    return [GenreFactory(name=f"Genre {i}")]


def _finish_all(profile, titles):
    for title in titles:
        finish(profile, title)


def _director_films(profile, n, *, films=3):
    director = PersonFactory()
    titles = _titles(films)
    for title in titles:
        Credit.objects.create(title=title, person=director, role=Credit.Role.DIRECTOR)
    _finish_all(profile, titles[:n])


def _hidden(profile, n):
    _titles(10, vote_count=1000)  # most of the catalogue is well voted on
    _finish_all(profile, _titles(n, vote_count=1))


def _rated(profile, n):
    for title in _titles(n, genres=_genre):
        Rating.objects.create(profile=profile, title=title, value=4, created_at=timezone.now())


def _pairs(first, second):
    def build(profile, n):
        _finish_all(profile, [TitleFactory(**first), TitleFactory(**second)][:n])

    return build


def _films_and_series(profile, n):
    _finish_all(profile, _titles(3) + _titles(n - 3, kind="series", seasons=1))


def _simple(**fields):
    return lambda profile, n: _finish_all(profile, _titles(n, **fields))


# One builder per badge: `build(profile, n)` gives the profile n units of that badge's measure.
BUILDERS = {
    "decades-3": _simple(year=lambda i: 1930 + 10 * i),
    "decades-6": _simple(year=lambda i: 1930 + 10 * i),
    "before-1970": _simple(year=1965),
    "before-1950": _simple(year=1940),
    "old-and-new": _pairs({"year": 1975}, {"year": YEAR - 1}),
    "genres-5": _simple(genres=_genre),
    "genres-10": _simple(genres=_genre),
    "genres-week": _simple(genres=_genre),
    "first-foreign": _simple(original_language="fr"),
    "foreign-5": _simple(original_language="fr"),
    "languages-3": _simple(original_language=lambda i: LANGUAGES[i]),
    "languages-5": _simple(original_language=lambda i: LANGUAGES[i]),
    "director-3": lambda profile, n: _director_films(profile, n, films=4),
    "filmography": _director_films,
    "series-1": _simple(kind="series", seasons=2),
    "films-and-series": _films_and_series,
    "hidden-gem": _hidden,
    "hidden-gems-5": _hidden,
    "acclaimed": _simple(vote_average=8.4, vote_count=40),
    "every-length": _pairs({"runtime": 80}, {"runtime": 170}),
    "new-release": _simple(year=YEAR),
    "critic-genres": _rated,
    "kids-classics": _simple(certification="G", year=1989),
    "kids-genres": _simple(certification="G", genres=_genre),
}


def test_there_are_twenty_or_more_badges_and_every_one_has_a_test():
    assert len(BADGES) >= 20
    assert set(BUILDERS) == {badge.code for badge in BADGES}


def _profile_for(badge):
    return KidsProfileFactory() if badge.audience == "kids" else ProfileFactory(language="en")


@pytest.mark.parametrize("code", sorted(BUILDERS))
def test_a_badge_is_earned_at_its_target(code):
    badge = BY_CODE[code]
    profile = _profile_for(badge)
    BUILDERS[code](profile, badge.target)
    assert code in {award.badge for award in badges_award(profile=profile)}


@pytest.mark.parametrize("code", sorted(BUILDERS))
def test_a_badge_is_not_earned_one_short_of_its_target_and_shows_progress(code):
    badge = BY_CODE[code]
    profile = _profile_for(badge)
    BUILDERS[code](profile, badge.target - 1)
    assert code not in {award.badge for award in badges_award(profile=profile)}
    row = next(r for r in badge_progress(profile) if r.badge.code == code)
    assert row.earned_at is None and row.progress < badge.target


def test_a_watch_below_eighty_percent_earns_nothing():
    profile = ProfileFactory()
    finish(profile, TitleFactory(year=1940), share=0.79)
    assert not badges_award(profile=profile)


def test_a_title_watched_many_times_counts_once():
    profile = ProfileFactory()
    title = TitleFactory(genres=[GenreFactory(name="Genre 1")])
    for _ in range(6):
        finish(profile, title)
    row = next(r for r in badge_progress(profile) if r.badge.code == "genres-5")
    assert row.progress == 1


def test_awarding_twice_awards_once_and_keeps_the_first_date():
    profile = ProfileFactory()
    finish(profile, TitleFactory(year=1940))
    first = badges_award(profile=profile)
    assert {"before-1950", "before-1970"} <= {a.badge for a in first}
    earned_at = BadgeAward.objects.get(profile=profile, badge="before-1950").earned_at
    assert badges_award(profile=profile) == []
    assert BadgeAward.objects.filter(profile=profile, badge="before-1950").count() == 1
    assert BadgeAward.objects.get(profile=profile, badge="before-1950").earned_at == earned_at


def test_earned_badges_read_none_of_the_facts_only_their_rules_need():
    profile = ProfileFactory()
    _hidden(profile, 5)
    _rated(profile, 5)
    badges_award(profile=profile)
    assert {"hidden-gems-5", "critic-genres"} <= set(profile.badges.values_list("badge", flat=True))
    with CaptureQueriesContext(connection) as again:
        assert badges_award(profile=profile) == []
    reads = " ".join(q["sql"] for q in again.captured_queries)
    assert 'ORDER BY "catalog_title"."vote_count"' not in reads  # no median of the catalogue
    assert "profiles_rating" not in reads  # no rated genres
    facts = facts_for(profile)
    with CaptureQueriesContext(connection) as first:
        assert BY_CODE["hidden-gem"].measure(facts) == 5
    with CaptureQueriesContext(connection) as second:
        assert BY_CODE["hidden-gems-5"].measure(facts) == 5
    assert len(first) == 2 and len(second) == 0  # read once, on first use


def test_kids_badges_are_only_for_kids_profiles():
    assert "kids-classics" not in {b.code for b in badges_for(ProfileFactory())}
    assert "kids-classics" in {b.code for b in badges_for(KidsProfileFactory())}


def test_a_title_above_the_kids_ceiling_never_counts():
    kid = KidsProfileFactory()
    finish(kid, TitleFactory(year=1940, certification="R"))
    assert not badges_award(profile=kid)


def test_the_backfill_command_awards_what_history_earned_once(capsys):
    profile = ProfileFactory()
    finish(profile, TitleFactory(year=1940))
    call_command("award_badges")
    call_command("award_badges")
    assert BadgeAward.objects.filter(profile=profile, badge="before-1950").count() == 1
    assert "0 badges awarded" in capsys.readouterr().out.splitlines()[-1]


def test_the_backfill_skips_synthetic_members_unless_asked():
    member = ProfileFactory(household__is_synthetic=True)
    finish(member, TitleFactory(year=1940))
    call_command("award_badges")
    assert not BadgeAward.objects.filter(profile=member).exists()
    call_command("award_badges", all=True)
    assert BadgeAward.objects.filter(profile=member, badge="before-1950").exists()


def test_a_finish_recorded_by_the_service_awards_the_badge_through_the_task():
    profile = ProfileFactory()
    title = TitleFactory(year=1940)
    watch_event_record(profile=profile, title=title, event="complete", position=6000, duration=6000)
    assert BadgeAward.objects.filter(profile=profile, badge="before-1950").exists()


def test_finishing_in_the_player_answers_with_a_toast_once(client):
    profile = ProfileFactory()
    title = TitleFactory(year=1940, slug="old-film")
    login_as(client, profile)
    url = "/title/old-film/watch/"
    first = client.post(url, {"event": "complete"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="toasts"' in first and "hx-swap-oob" in first and "Golden age" in first
    again = client.post(url, {"event": "complete"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Badge earned" not in again
    assert title.pk
