"""`title_state`: what one profile has said about one title, read in one query for the title
page and every signal's answer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.tests.factories import TitleFactory
from profiles.models import WatchEvent
from profiles.selectors import TitleState, title_state
from profiles.services import feedback_set, my_list_add, rating_set, seen_set
from profiles.tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def test_a_title_nothing_was_said_about_has_the_empty_state(django_assert_num_queries):
    profile, title = ProfileFactory(), TitleFactory()
    with django_assert_num_queries(1):
        assert title_state(profile=profile, title=title) == TitleState()


def test_every_signal_shows_and_only_the_profiles_own():
    profile, other, title = ProfileFactory(), ProfileFactory(), TitleFactory()
    feedback_set(profile=profile, title=title, value="love", rescore=False)
    seen_set(profile=profile, title=title, seen=True, rescore=False)
    rating_set(profile=profile, title=title, stars=3.5, rescore=False)
    my_list_add(profile=profile, title=title)
    state = title_state(profile=profile, title=title)
    assert (state.feedback, state.seen, state.rating, state.in_my_list) == ("love", True, 3.5, True)
    assert title_state(profile=other, title=title) == TitleState()
    assert title_state(profile=profile, title=TitleFactory()) == TitleState()


def test_the_latest_watch_event_gives_the_progress_ties_broken_by_insertion():
    profile, title = ProfileFactory(), TitleFactory()
    now = timezone.now()

    def watched(event, position, at):
        WatchEvent.objects.create(
            profile=profile, title=title, event=event, position_seconds=position,
            duration_seconds=6000, created_at=at,
        )  # fmt: skip

    watched(WatchEvent.Event.PROGRESS, 4000, now - timedelta(hours=1))
    watched(WatchEvent.Event.PROGRESS, 600, now - timedelta(days=2))  # older, written later
    state = title_state(profile=profile, title=title)
    assert (state.position, state.duration, state.completed) == (4000, 6000, False)
    assert state.progress_percent == 67
    watched(WatchEvent.Event.PROGRESS, 4500, now)
    watched(WatchEvent.Event.COMPLETE, 6000, now)  # same instant: the later row wins
    state = title_state(profile=profile, title=title)
    assert (state.position, state.completed) == (6000, True)
