"""The rows the engine scores on the site weigh each title by its place in the profile's
history (recommender.selectors.scoring_rows); the matrix it is fitted on does not."""

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from catalog.tests.factories import TitleFactory
from profiles.models import Rating
from profiles.tests.factories import ProfileFactory
from recommender.selectors import RECENCY, interaction_matrix, scoring_rows

pytestmark = pytest.mark.django_db


def _rate(profile, title, at):
    Rating.objects.create(profile=profile, title=title, value=5, created_at=at)


def test_a_profiles_latest_titles_weigh_most_when_it_is_scored():
    now = timezone.now()
    titles = [TitleFactory() for _ in range(3)]
    columns = np.array(sorted(t.pk for t in titles), dtype=np.int64)
    profile, other = ProfileFactory(), ProfileFactory()
    # Oldest to newest, a day apart: places 1, 0.5, 0 in the profile's history.
    for days, title in zip((2, 1, 0), titles, strict=True):
        _rate(profile, title, now - timedelta(days=days))
    _rate(other, titles[0], now - timedelta(days=30))  # a profile's only title keeps its weight

    fitted, rows_for = interaction_matrix(columns, [profile.pk, other.pk])
    scored = scoring_rows(columns, [profile.pk, other.pk])
    assert rows_for.tolist() == sorted([profile.pk, other.pk])
    row = rows_for.tolist().index(profile.pk)
    at = [int(np.searchsorted(columns, t.pk)) for t in titles]
    ratio = scored[row].toarray().ravel()[at] / fitted[row].toarray().ravel()[at]
    assert ratio == pytest.approx(np.exp(-RECENCY * np.array([1.0, 0.5, 0.0])), rel=1e-5)
    lone = rows_for.tolist().index(other.pk)
    assert (scored[lone] != fitted[lone]).nnz == 0


def test_signals_in_the_same_minute_share_their_place():
    # Onboarding's answers (or any burst) are given seconds apart: none outweighs the others.
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=1)
    titles = [TitleFactory() for _ in range(4)]
    columns = np.array(sorted(t.pk for t in titles), dtype=np.int64)
    profile = ProfileFactory()
    for offset, title in enumerate(titles[:3]):
        _rate(profile, title, start + timedelta(seconds=5 * offset))
    _rate(profile, titles[3], start - timedelta(days=3))

    fitted, _ = interaction_matrix(columns, [profile.pk])
    scored = scoring_rows(columns, [profile.pk])
    ratio = dict(zip(scored.indices.tolist(), (scored.data / fitted.data).tolist(), strict=True))
    burst = [ratio[int(np.searchsorted(columns, t.pk))] for t in titles[:3]]
    assert burst == pytest.approx([1.0, 1.0, 1.0])
    assert ratio[int(np.searchsorted(columns, titles[3].pk))] == pytest.approx(np.exp(-RECENCY))


def test_a_visit_is_the_last_half_hours_engagement_oldest_first():
    """session_title_ids: interactions but impressions and My List removals, thumbs up and
    love, ratings of 3.5 and more, since the visit began; each title once, where it came first."""
    from profiles.models import Feedback, Interaction
    from recommender.selectors import session_title_ids

    now = timezone.now()
    profile, other = ProfileFactory(), ProfileFactory()
    t = [TitleFactory() for _ in range(9)]

    def at(minutes):
        return now - timedelta(minutes=minutes)

    def interact(title, kind, minutes, who=profile):
        Interaction.objects.create(profile=who, title=title, kind=kind, created_at=at(minutes))

    interact(t[0], Interaction.Kind.CLICK, 50)  # before the visit
    interact(t[1], Interaction.Kind.VIEW_DETAIL, 25)
    interact(t[2], Interaction.Kind.IMPRESSION, 24)
    interact(t[3], Interaction.Kind.WATCHLIST_REMOVE, 23)
    Feedback.objects.create(profile=profile, title=t[4], value="up", created_at=at(20))
    Feedback.objects.create(profile=profile, title=t[5], value="down", created_at=at(19))
    Rating.objects.create(profile=profile, title=t[6], value=4, created_at=at(15))
    Rating.objects.create(profile=profile, title=t[7], value=3, created_at=at(14))
    Feedback.objects.create(profile=profile, title=t[8], value="love", created_at=at(10))
    interact(t[1], Interaction.Kind.CLICK, 5)  # again: it keeps its first place
    interact(t[5], Interaction.Kind.CLICK, 4, who=other)
    since = now - timedelta(minutes=30)
    assert session_title_ids(profile.pk, since=since) == [t[1].pk, t[4].pk, t[6].pk, t[8].pk]
    assert session_title_ids(other.pk, since=since) == [t[5].pk]
