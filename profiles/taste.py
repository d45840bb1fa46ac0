"""From a profile's signals to the recommender's confidence weights.

The weights live here and only here (docs/signals.md lists them). Each signal's weight decays
with its age measured from the profile's own latest signal, with a half-life of
`HALF_LIFE_DAYS`: a profile's recent tastes outweigh its old ones, and a profile that paused for a
year is not forgotten. Thumbs down and "not interested" exclude the title outright.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import numpy as np
from django.db.models import Q

from config.prepared import Prepared
from profiles.models import Feedback, Interaction, Rating, WatchEvent

HALF_LIFE_DAYS = 180.0

INTERACTION_WEIGHTS: dict[str, float] = {
    Interaction.Kind.CLICK: 0.1,
    Interaction.Kind.VIEW_DETAIL: 0.2,
    Interaction.Kind.SEARCH: 0.1,
    Interaction.Kind.RECOMMENDATION_CLICK: 0.3,
    Interaction.Kind.WATCHLIST_ADD: 0.4,
    Interaction.Kind.WATCHLIST_REMOVE: -0.2,
}
FEEDBACK_WEIGHTS: dict[str, float] = {
    Feedback.Value.THUMBS_UP: 0.6,
    Feedback.Value.LOVE: 0.9,
    Feedback.Value.SEEN: 0.2,  # watched elsewhere: a mild positive, and never recommended again
}
EXCLUDING_FEEDBACK = (Feedback.Value.THUMBS_DOWN, Feedback.Value.NOT_INTERESTED)
COMPLETED_WATCH_WEIGHT = 0.6


def feedback_weight(value: str) -> float:
    """The confidence a feedback value adds (0 for none, thumbs down and not interested)."""
    return FEEDBACK_WEIGHTS.get(value, 0.0)


def rating_weight(stars: float | Decimal) -> float:
    """1-2★ (half stars up to 2.5) -0.3, 3★ +0.1, 4★ +0.5, 5★ +0.7."""
    stars = float(stars)
    if stars < 3:
        return -0.3
    if stars < 4:
        return 0.1
    if stars < 5:
        return 0.5
    return 0.7


SMALL_SCOPE = 20  # up to this many profiles, signals are fetched at once rather than streamed


@dataclass(frozen=True)
class Signal:
    profile_id: int
    title_id: int
    weight: float
    at: datetime
    source: str


class _Scope:
    """All profiles or some: the filter, and how rows are read. A whole table streams in
    chunks; a few profiles' rows come faster in one fetch (on PostgreSQL a chunked iterator
    opens a server-side cursor, a round trip more each time)."""

    def __init__(self, profile_ids: Iterable[int] | None):
        self.profile_ids = None if profile_ids is None else list(profile_ids)
        self.streamed = self.profile_ids is None or len(self.profile_ids) > SMALL_SCOPE
        # One profile asked for (read through prepared queries), or None.
        self.single = None
        if self.profile_ids is not None and len(set(self.profile_ids)) == 1:
            self.single = self.profile_ids[0]

    def filter(self, queryset):
        if self.profile_ids is None:
            return queryset
        return queryset.filter(profile_id__in=self.profile_ids)

    def rows(self, queryset):
        return queryset.iterator(chunk_size=20000) if self.streamed else queryset


def _signal_querysets(scoped) -> list:
    """The four tables a signal comes from, as rows (`scoped` narrows each to some profiles)."""
    opinions = [value for value in FEEDBACK_WEIGHTS if value != Feedback.Value.SEEN]
    return [
        scoped(Rating.objects.all()).values_list("profile_id", "title_id", "value", "created_at"),
        scoped(Feedback.objects.filter(Q(value__in=opinions) | Q(seen=True))).values_list(
            "profile_id", "title_id", "value", "seen", "created_at"
        ),
        scoped(WatchEvent.objects.filter(event=WatchEvent.Event.COMPLETE)).values_list(
            "profile_id", "title_id", "created_at"
        ),
        scoped(
            Interaction.objects.filter(kind__in=list(INTERACTION_WEIGHTS), title__isnull=False)
        ).values_list("profile_id", "title_id", "kind", "created_at"),
    ]


# One profile's signals (a title page's explanation, a re-score after a signal): compiled once
# (config/prepared.py).
_one_profile = [
    Prepared(
        lambda profile, n=n: _signal_querysets(lambda rows: rows.filter(profile_id=profile))[n],
        profile=int,
    )
    for n in range(4)
]


def signals_for(profile_ids: Iterable[int] | None = None) -> Iterator[Signal]:
    """Every weighted signal, optionally for some profiles only (streamed, not loaded at once)."""
    scope = _Scope(profile_ids)
    if scope.single is not None:
        ratings, feedback, completes, interactions = (
            prepared.all(profile=scope.single) for prepared in _one_profile
        )
    else:
        ratings, feedback, completes, interactions = (
            scope.rows(rows) for rows in _signal_querysets(scope.filter)
        )
    for profile_id, title_id, value, at in ratings:
        yield Signal(profile_id, title_id, rating_weight(value), at, "rating")
    for profile_id, title_id, value, seen, at in feedback:
        if value in FEEDBACK_WEIGHTS:
            yield Signal(profile_id, title_id, FEEDBACK_WEIGHTS[value], at, f"feedback:{value}")
        if seen:  # beside an opinion or alone: "Seen it" is its own signal
            yield Signal(profile_id, title_id, FEEDBACK_WEIGHTS["seen"], at, "feedback:seen")
    for profile_id, title_id, at in completes:
        yield Signal(profile_id, title_id, COMPLETED_WATCH_WEIGHT, at, "complete")
    for profile_id, title_id, kind, at in interactions:
        yield Signal(profile_id, title_id, INTERACTION_WEIGHTS[kind], at, kind)


def _excluding(scoped):
    """Thumbs down and not interested, as (profile id, title id) rows."""
    rows = scoped(Feedback.objects.filter(value__in=sorted(EXCLUDING_FEEDBACK)))
    return rows.values_list("profile_id", "title_id")


# One profile's exclusions (every page with rails, a re-score): compiled once.
_one_profile_exclusions = Prepared(
    lambda profile: _excluding(lambda rows: rows.filter(profile_id=profile)), profile=int
)


def exclusions_for(profile_ids: Iterable[int] | None = None) -> dict[int, set[int]]:
    """profile id -> titles it marked thumbs down or not interested."""
    scope = _Scope(profile_ids)
    if scope.single is not None:
        rows = _one_profile_exclusions.all(profile=scope.single)
    else:
        rows = scope.rows(_excluding(scope.filter))
    excluded: dict[int, set[int]] = {}
    for profile_id, title_id in rows:
        excluded.setdefault(profile_id, set()).add(title_id)
    return excluded


@dataclass(frozen=True)
class Confidence:
    """Decayed, summed confidence per (profile, title); only positive totals are kept."""

    profile_ids: np.ndarray
    title_ids: np.ndarray
    weights: np.ndarray
    latest: np.ndarray  # the time (epoch seconds) of each pair's latest signal


def confidence_from(
    signals: Iterable[Signal], *, half_life_days: float = HALF_LIFE_DAYS
) -> Confidence:
    rows = [(s.profile_id, s.title_id, s.weight, s.at.timestamp()) for s in signals]
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return Confidence(empty, empty, np.zeros(0), np.zeros(0))
    data = np.array(rows, dtype=np.float64)
    profiles, titles = data[:, 0].astype(np.int64), data[:, 1].astype(np.int64)
    weights, times = data[:, 2], data[:, 3]
    # Age is measured from each profile's own latest signal.
    order, inverse = np.unique(profiles, return_inverse=True)
    latest = np.full(len(order), -np.inf)
    np.maximum.at(latest, inverse, times)
    age_days = (latest[inverse] - times) / 86400.0
    decayed = weights * np.power(0.5, age_days / half_life_days)
    # Sum per (profile, title), each pair as one int64 key that sorts as the pair does (ids are
    # below 2**31): np.unique over rows is several times slower.
    span = int(titles.max()) + 1
    keys, pair_index = np.unique(profiles * span + titles, return_inverse=True)
    totals = np.bincount(pair_index.ravel(), weights=decayed, minlength=len(keys))
    latest_pair = np.full(len(keys), -np.inf)
    np.maximum.at(latest_pair, pair_index.ravel(), times)
    keep = totals > 1e-9
    return Confidence(keys[keep] // span, keys[keep] % span, totals[keep], latest_pair[keep])
