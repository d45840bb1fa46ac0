"""Continue Watching: the titles a profile started and has not finished, most recent first,
with how far it got (`continue_watching_ids`, read by every home page)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.tests.factories import TitleFactory
from profiles.models import WatchEvent
from profiles.tests.factories import ProfileFactory
from recommender.live_rails import continue_watching_ids

pytestmark = pytest.mark.django_db
START, PROGRESS, COMPLETE = (
    WatchEvent.Event.START,
    WatchEvent.Event.PROGRESS,
    WatchEvent.Event.COMPLETE,
)


@pytest.fixture
def watched():
    now = timezone.now()

    def watched(profile, title, event, position, *, minutes_ago, duration=6000):
        WatchEvent.objects.create(
            profile=profile, title=title, event=event, position_seconds=position,
            duration_seconds=duration, created_at=now - timedelta(minutes=minutes_ago),
        )  # fmt: skip

    return watched


def test_started_titles_most_recent_first_with_their_latest_progress(watched):
    profile = ProfileFactory()
    older, newer = TitleFactory(), TitleFactory()
    watched(profile, older, START, 0, minutes_ago=90)
    watched(profile, older, PROGRESS, 1500, minutes_ago=60)
    watched(profile, newer, PROGRESS, 3000, minutes_ago=30)
    assert list(continue_watching_ids(profile).items()) == [(newer.pk, 50), (older.pk, 25)]


def test_a_finished_title_leaves_and_a_rewatch_brings_it_back(watched):
    profile, title = ProfileFactory(), TitleFactory()
    watched(profile, title, PROGRESS, 3000, minutes_ago=60)
    watched(profile, title, COMPLETE, 6000, minutes_ago=30)
    assert continue_watching_ids(profile) == {}
    watched(profile, title, START, 600, minutes_ago=5)
    assert continue_watching_ids(profile) == {title.pk: 10}


def test_events_of_the_same_instant_are_taken_in_the_order_they_were_written(watched):
    profile, title = ProfileFactory(), TitleFactory()
    watched(profile, title, PROGRESS, 5900, minutes_ago=1)
    watched(profile, title, COMPLETE, 6000, minutes_ago=1)
    assert continue_watching_ids(profile) == {}


def test_only_the_profiles_own_events_count_and_the_limit_holds(watched):
    profile, other = ProfileFactory(), ProfileFactory()
    titles = TitleFactory.create_batch(4)
    for minutes, title in enumerate(titles):
        watched(profile, title, PROGRESS, 600, minutes_ago=minutes)
    watched(other, TitleFactory(), PROGRESS, 600, minutes_ago=0)
    assert list(continue_watching_ids(profile, limit=3)) == [t.pk for t in titles[:3]]
    assert continue_watching_ids(ProfileFactory()) == {}


def test_an_unknown_duration_counts_as_just_started(watched):
    profile, title = ProfileFactory(), TitleFactory()
    watched(profile, title, PROGRESS, 600, minutes_ago=1, duration=0)
    assert continue_watching_ids(profile) == {title.pk: 0}
