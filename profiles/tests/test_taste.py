from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.tests.factories import TitleFactory
from profiles.models import Interaction
from profiles.services import (
    feedback_set,
    interaction_record,
    my_list_add,
    my_list_remove,
    rating_set,
)
from profiles.taste import (
    HALF_LIFE_DAYS,
    Signal,
    confidence_from,
    exclusions_for,
    rating_weight,
    signals_for,
)
from profiles.tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("stars", "weight"),
    [
        (0.5, -0.3),
        (1, -0.3),
        (2, -0.3),
        (2.5, -0.3),
        (3, 0.1),
        (3.5, 0.1),
        (4, 0.5),
        (4.5, 0.5),
        (5, 0.7),
    ],
)
def test_rating_weights(stars, weight):
    assert rating_weight(stars) == weight


def weights_by_source(profile):
    return {s.source: s.weight for s in signals_for([profile.pk])}


def test_each_signal_has_its_documented_weight():
    profile = ProfileFactory()
    titles = TitleFactory.create_batch(9)
    for kind, title in zip(
        ["click", "view_detail", "search", "recommendation_click"], titles, strict=False
    ):
        interaction_record(profile=profile, kind=kind, title=title)
    my_list_add(profile=profile, title=titles[4])
    my_list_remove(profile=profile, title=titles[4])
    feedback_set(profile=profile, title=titles[5], value="up")
    feedback_set(profile=profile, title=titles[6], value="love")
    rating_set(profile=profile, title=titles[7], stars=5)
    assert weights_by_source(profile) == {
        "click": 0.1, "view_detail": 0.2, "search": 0.1, "recommendation_click": 0.3,
        "watchlist_add": 0.4, "watchlist_remove": -0.2, "feedback:up": 0.6, "feedback:love": 0.9,
        "rating": 0.7,
    }  # fmt: skip


def test_one_profile_read_alone_gives_the_signals_a_read_of_several_gives_it():
    first, second = ProfileFactory(), ProfileFactory()
    titles = TitleFactory.create_batch(4)
    for profile in (first, second):
        interaction_record(profile=profile, kind="click", title=titles[0])
        feedback_set(profile=profile, title=titles[1], value="seen")
        feedback_set(profile=profile, title=titles[2], value="love")
        rating_set(profile=profile, title=titles[3], stars=2)

    def key(signal):
        return (signal.source, signal.title_id)

    together = [s for s in signals_for([first.pk, second.pk]) if s.profile_id == first.pk]
    alone = list(signals_for([first.pk]))
    assert sorted(alone, key=key) == sorted(together, key=key)
    assert {s.source for s in alone} == {"click", "feedback:seen", "feedback:love", "rating"}


def test_confidence_sums_per_profile_and_title_in_their_order():
    now = timezone.now()
    signals = [
        Signal(7, 30, 0.5, now, "a"), Signal(2, 30, 0.25, now, "b"), Signal(7, 4, 0.5, now, "c"),
        Signal(7, 30, 0.25, now, "d"), Signal(2, 2**31 - 1, 1.0, now, "e"),
    ]  # fmt: skip
    confidence = confidence_from(signals)
    assert confidence.profile_ids.tolist() == [2, 2, 7, 7]
    assert confidence.title_ids.tolist() == [30, 2**31 - 1, 4, 30]
    assert confidence.weights.tolist() == [0.25, 1.0, 0.5, 0.75]
    assert confidence.latest.tolist() == [now.timestamp()] * 4


def test_confidence_keeps_each_pairs_latest_signal_time():
    now = timezone.now()
    earlier = now - timedelta(days=3)
    signals = [
        Signal(1, 5, 0.5, earlier, "a"),
        Signal(1, 5, 0.2, now, "b"),
        Signal(1, 6, 1.0, earlier, "c"),
    ]
    confidence = confidence_from(signals)
    assert confidence.title_ids.tolist() == [5, 6]
    assert confidence.latest.tolist() == [now.timestamp(), earlier.timestamp()]


def test_completed_watch_weighs_point_six_and_progress_nothing():
    from profiles.services import watch_event_record

    profile, title = ProfileFactory(), TitleFactory(runtime=100)
    watch_event_record(profile=profile, title=title, event="start", position=0, duration=6000)
    watch_event_record(profile=profile, title=title, event="progress", position=60, duration=6000)
    assert weights_by_source(profile) == {}
    watch_event_record(profile=profile, title=title, event="complete", position=6000, duration=6000)
    assert weights_by_source(profile) == {"complete": 0.6}


def test_rate_interaction_does_not_double_count_the_rating():
    profile, title = ProfileFactory(), TitleFactory()
    rating_set(profile=profile, title=title, stars=4)
    assert Interaction.objects.filter(profile=profile, kind="rate").count() == 1
    assert [s.weight for s in signals_for([profile.pk])] == [0.5]


def test_decay_halves_a_signal_one_half_life_older_than_the_profiles_latest():
    now = timezone.now()
    old = now - timedelta(days=HALF_LIFE_DAYS)
    signals = [Signal(1, 10, 0.6, old, "feedback:up"), Signal(1, 11, 0.6, now, "feedback:up")]
    confidence = confidence_from(signals)
    weights = dict(zip(confidence.title_ids.tolist(), confidence.weights.tolist(), strict=True))
    assert weights[11] == pytest.approx(0.6)
    assert weights[10] == pytest.approx(0.3)


def test_decay_is_relative_to_each_profiles_own_latest_signal():
    long_ago = timezone.now() - timedelta(days=3650)
    confidence = confidence_from([Signal(2, 10, 0.7, long_ago, "rating")])
    assert confidence.weights.tolist() == pytest.approx([0.7])


def test_signals_on_one_title_add_up_and_negative_totals_are_dropped():
    now = timezone.now()
    signals = [
        Signal(1, 10, 0.4, now, "watchlist_add"), Signal(1, 10, 0.2, now, "view_detail"),
        Signal(1, 11, -0.3, now, "rating"), Signal(1, 11, 0.1, now, "click"),
    ]  # fmt: skip
    confidence = confidence_from(signals)
    assert confidence.title_ids.tolist() == [10]
    assert confidence.weights.tolist() == pytest.approx([0.6])


def test_thumbs_down_and_not_interested_exclude_the_title():
    profile = ProfileFactory()
    down, meh, liked = TitleFactory.create_batch(3)
    feedback_set(profile=profile, title=down, value="down")
    feedback_set(profile=profile, title=meh, value="not_interested")
    feedback_set(profile=profile, title=liked, value="up")
    assert exclusions_for([profile.pk]) == {profile.pk: {down.pk, meh.pk}}
    assert {s.title_id for s in signals_for([profile.pk])} == {liked.pk}


def test_one_profile_read_alone_gives_the_exclusions_a_read_of_several_gives_it():
    first, second, untouched = ProfileFactory(), ProfileFactory(), ProfileFactory()
    down, meh, liked = TitleFactory.create_batch(3)
    for profile in (first, second):
        feedback_set(profile=profile, title=down, value="down")
        feedback_set(profile=profile, title=liked, value="up")
    feedback_set(profile=second, title=meh, value="not_interested")
    together = exclusions_for([first.pk, second.pk])
    assert together == {first.pk: {down.pk}, second.pk: {down.pk, meh.pk}}
    assert exclusions_for([second.pk]) == {second.pk: together[second.pk]}
    assert exclusions_for([first.pk, first.pk]) == {first.pk: together[first.pk]}
    assert exclusions_for([untouched.pk]) == {}
