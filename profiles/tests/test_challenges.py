"""Weekly challenges: deterministic offers per week, opt-in, progress from finished watches
(80%, after joining, a daily cap), the streak and its monthly freeze, and the views' 400s."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog.tests.factories import GenreFactory, TitleFactory
from profiles.gamification.challenges import (
    DAILY_CAP,
    counted_finishes,
    current_week,
    entry_progress,
    offers_for,
    streak,
    week_bounds,
)
from profiles.gamification.services import challenge_join, challenges_evaluate, streak_freeze
from profiles.models import ChallengeEntry, StreakFreeze
from profiles.tests.factories import KidsProfileFactory, ProfileFactory
from profiles.tests.gamification_cast import finish
from profiles.tests.sessions import login_as
from profiles.viewing_history import history_for

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 3, 2)


@pytest.fixture
def catalogue():
    drama, western = GenreFactory(name="Drama"), GenreFactory(name="Western")
    return {
        "old": TitleFactory(title="Old", year=1955, genres=[western]),
        "french": TitleFactory(title="French", original_language="fr", genres=[drama]),
        "series": TitleFactory(title="Series", kind="series", seasons=1, genres=[drama]),
        "plain": [TitleFactory(title=f"Plain {n}", genres=[drama]) for n in range(6)],
    }


def entry(profile, code, *, week=MONDAY, joined=None, target=1, **params):
    start, _ = week_bounds(week)
    return ChallengeEntry(
        profile=profile, week=week, code=code, label=code, params=params, target=target,
        joined_at=joined or start,
    )  # fmt: skip


def at(day: int, hour: int = 20, week=MONDAY) -> datetime:
    return week_bounds(week)[0] + timedelta(days=day, hours=hour)


def test_offers_are_the_same_every_time_for_a_profile_and_week(catalogue):
    profile = ProfileFactory()
    history = history_for(profile)
    first = offers_for(profile, MONDAY, history)
    assert len(first) == 3
    assert first == offers_for(profile, MONDAY, history_for(profile))


def test_offers_do_not_move_with_what_is_finished_during_the_week(catalogue):
    profile = ProfileFactory()
    before = offers_for(profile, MONDAY, history_for(profile))
    for title in catalogue["plain"]:
        finish(profile, title, at=at(2))
    assert offers_for(profile, MONDAY, history_for(profile)) == before


def test_offers_change_between_weeks_and_profiles(catalogue):
    profiles = [ProfileFactory() for _ in range(4)]
    weeks = [MONDAY + timedelta(weeks=n) for n in range(6)]
    seen = {
        tuple(o.code for o in offers_for(p, w, history_for(p))) for p in profiles for w in weeks
    }
    assert len(seen) > 1


def test_the_genre_offer_is_a_genre_the_profile_watched_least(catalogue):
    profile = ProfileFactory()
    for title in catalogue["plain"]:
        finish(profile, title, at=at(-3))  # drama, before the week
    for week in (MONDAY + timedelta(weeks=n) for n in range(10)):
        offers = {o.code: o for o in offers_for(profile, week, history_for(profile))}
        if "genre" in offers:
            assert offers["genre"].params["genre"] == "western"


def test_a_kids_profile_is_only_offered_what_it_may_see():
    kid = KidsProfileFactory()
    TitleFactory(year=1950, certification="R", original_language="ja", genres=[GenreFactory()])
    finish(kid, TitleFactory(year=2010, certification="G"), at=at(-1))  # English, known
    offers = offers_for(kid, MONDAY, history_for(kid))
    assert {o.code for o in offers} <= {"genre", "new-titles"}


def test_progress_counts_only_finishes_after_joining_within_the_week(catalogue):
    profile = ProfileFactory()
    finish(profile, catalogue["old"], at=at(0))  # before joining
    challenge = entry(profile, "older", joined=at(1), year=1970)
    assert entry_progress(challenge, history_for(profile)) == 0
    finish(profile, catalogue["old"], at=at(8))  # next week
    assert entry_progress(challenge, history_for(profile)) == 0
    finish(profile, catalogue["old"], at=at(3))
    assert entry_progress(challenge, history_for(profile)) == 1


def test_a_watch_under_eighty_percent_does_not_count(catalogue):
    profile = ProfileFactory()
    finish(profile, catalogue["series"], at=at(2), share=0.75)
    assert entry_progress(entry(profile, "series"), history_for(profile)) == 0
    finish(profile, catalogue["series"], at=at(2), share=0.8)
    assert entry_progress(entry(profile, "series"), history_for(profile)) == 1


@pytest.mark.parametrize(
    ("code", "params", "key"),
    [
        ("older", {"year": 1970}, "old"),
        ("new-language", {"known": ["en"]}, "french"),
        ("genre", {"genre": "western", "name": "Western"}, "old"),
        ("series", {}, "series"),
    ],
)
def test_each_challenge_counts_its_own_kind_of_title(catalogue, code, params, key):
    profile = ProfileFactory()
    finish(profile, catalogue["plain"][0], at=at(1))
    assert entry_progress(entry(profile, code, **params), history_for(profile)) == 0
    finish(profile, catalogue[key], at=at(2))
    assert entry_progress(entry(profile, code, **params), history_for(profile)) == 1


def test_new_titles_are_those_never_finished_before_the_week(catalogue):
    profile = ProfileFactory()
    plain = catalogue["plain"]
    finish(profile, plain[0], at=at(-2))
    for title in plain[:3]:
        finish(profile, title, at=at(2))
    assert entry_progress(entry(profile, "new-titles", target=3), history_for(profile)) == 2


def test_at_most_the_daily_cap_of_titles_count_a_day(catalogue):
    profile = ProfileFactory()
    for title in catalogue["plain"]:
        finish(profile, title, at=at(2))
    start, end = week_bounds(MONDAY)
    assert len(counted_finishes(history_for(profile), start, end)) == DAILY_CAP
    finish(profile, catalogue["old"], at=at(3))
    assert len(counted_finishes(history_for(profile), start, end)) == DAILY_CAP + 1


def test_joining_is_opt_in_and_joining_twice_keeps_one_entry(catalogue):
    profile = ProfileFactory()
    assert not ChallengeEntry.objects.filter(profile=profile).exists()
    code = offers_for(profile, current_week(), history_for(profile))[0].code
    challenge_join(profile=profile, code=code)
    challenge_join(profile=profile, code=code)
    assert ChallengeEntry.objects.filter(profile=profile).count() == 1


def test_joining_a_challenge_not_offered_this_week_is_refused(catalogue):
    profile = ProfileFactory()
    offered = {o.code for o in offers_for(profile, current_week(), history_for(profile))}
    missing = next(c for c in ("older", "new-language", "genre", "series", "new-titles")
                   if c not in offered)  # fmt: skip
    with pytest.raises(ValidationError):
        challenge_join(profile=profile, code=missing)


def test_a_challenge_completes_when_a_finish_reaches_its_target(catalogue):
    profile = ProfileFactory()
    challenge = ChallengeEntry.objects.create(
        profile=profile, week=current_week(), code="series", label="Finish a series", target=1,
        joined_at=timezone.now() - timedelta(seconds=1),
    )  # fmt: skip
    finish(profile, catalogue["series"])
    assert challenges_evaluate(profile=profile) == 1
    challenge.refresh_from_db()
    assert challenge.progress == 1 and challenge.completed_at is not None
    assert challenges_evaluate(profile=profile) == 0  # idempotent


def _completed(profile, week):
    ChallengeEntry.objects.create(
        profile=profile, week=week, code="series", label="x", target=1, progress=1,
        joined_at=timezone.now(), completed_at=timezone.now(),
    )  # fmt: skip


def test_the_streak_counts_weeks_in_a_row_and_a_gap_breaks_it():
    profile = ProfileFactory()
    for weeks_ago in (1, 2, 4):
        _completed(profile, MONDAY - timedelta(weeks=weeks_ago))
    assert streak(profile, today=MONDAY + timedelta(days=2)) == 2  # this week still open
    _completed(profile, MONDAY)
    assert streak(profile, today=MONDAY + timedelta(days=2)) == 3


def test_a_frozen_week_keeps_the_streak_without_adding_to_it():
    profile = ProfileFactory()
    for weeks_ago in (1, 3):
        _completed(profile, MONDAY - timedelta(weeks=weeks_ago))
    StreakFreeze.objects.create(
        profile=profile, week=MONDAY - timedelta(weeks=2), month=date(2026, 2, 1),
        created_at=timezone.now(),
    )  # fmt: skip
    assert streak(profile, today=MONDAY) == 2


def test_one_freeze_a_month():
    profile = ProfileFactory()
    this_week = current_week()
    last_week = this_week - timedelta(weeks=1)
    streak_freeze(profile=profile, week=last_week)
    if last_week.month == this_week.month:
        with pytest.raises(ValidationError, match="already used"):
            streak_freeze(profile=profile, week=this_week)
    else:
        streak_freeze(profile=profile, week=this_week)  # a new month, a new freeze
    with pytest.raises(ValidationError):
        streak_freeze(profile=profile, week=this_week - timedelta(weeks=3))


def test_a_week_with_a_completed_challenge_needs_no_freeze():
    profile = ProfileFactory()
    _completed(profile, current_week())
    with pytest.raises(ValidationError, match="already has"):
        streak_freeze(profile=profile, week=current_week())


def test_the_page_offers_joins_and_shows_progress(client, catalogue):
    profile = ProfileFactory()
    login_as(client, profile)
    offers = offers_for(profile, current_week(), history_for(profile))
    assert offers[0].label in client.get("/me/challenges/").content.decode()
    response = client.post("/me/challenges/join/", {"code": offers[0].code})
    assert response.status_code == 302
    content = client.get("/me/challenges/").content.decode()
    assert "<progress" in content and "0 / " in content


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("/me/challenges/join/", {}, "Choose a challenge."),
        ("/me/challenges/join/", {"code": "no such/thing"}, "Unknown challenge."),
        ("/me/challenges/join/", {"code": "nothing-like-it"}, "not one of this week"),
        ("/me/challenges/freeze/", {"week": "someday"}, "week is this or last."),
        ("/me/challenges/freeze/", {}, "week is this or last."),
    ],
)
def test_bad_input_is_a_400_with_a_message(client, catalogue, url, data, message):
    login_as(client, ProfileFactory())
    response = client.post(url, data)
    assert response.status_code == 400 and message in response.content.decode()


def test_a_second_freeze_in_a_month_is_a_400(client):
    profile = ProfileFactory()
    login_as(client, profile)
    assert client.post("/me/challenges/freeze/", {"week": "this"}).status_code == 302
    response = client.post("/me/challenges/freeze/", {"week": "this"})
    assert response.status_code == 400 and "already used" in response.content.decode()
