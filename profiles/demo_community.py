"""A simulated community for the demo: members with seeded tastes who rate, like and watch.

`community_simulate` is pure (numpy only) so that the same seed gives the same events, which the
tests check; `demo_community_create` writes them. Event times are offsets from "now" so that
trending always has fresh signal when the demo is loaded.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import numpy as np
from django.db import transaction

from profiles.models import Account, Feedback, Profile, Rating, WatchEvent

DAYS = 120
MEMBER_EMAIL = "member-{:03d}@community.invalid"


@dataclass(frozen=True)
class TitleFacts:
    genres: tuple[str, ...]
    year: int
    runtime: int
    kind: str


@dataclass(frozen=True)
class Event:
    member: int
    title: int  # index into the titles given to the simulation
    signal: str  # "rating", "feedback" or a watch event ("start", "progress", "complete")
    value: str  # stars for a rating, the feedback value, "" for watch events
    seconds_ago: int
    position: int = 0
    duration: int = 0


def community_simulate(
    titles: list[TitleFacts], *, members: int = 500, seed: int = 7
) -> list[Event]:
    rng = np.random.default_rng(seed)
    vocabulary = sorted({g for t in titles for g in t.genres})
    genre_matrix = np.zeros((len(titles), len(vocabulary)))
    for row, title in enumerate(titles):
        for genre in title.genres:
            genre_matrix[row, vocabulary.index(genre)] = 1 / np.sqrt(len(title.genres))
    years = np.array([t.year for t in titles], dtype=float)
    quality = rng.normal(0, 1, len(titles))
    fame = rng.lognormal(0, 1.0, len(titles)) * (1 + 0.6 * (quality > 0.5))
    recent = years >= 2022
    events: list[Event] = []
    for member in range(members):
        affinity = rng.normal(0, 0.35, len(vocabulary))
        favourites = rng.choice(len(vocabulary), size=rng.integers(2, 5), replace=False)
        affinity[favourites] += rng.uniform(1.2, 2.2, len(favourites))
        era, width = rng.normal(2003, 12), rng.uniform(8, 25)
        popularity_bias = rng.uniform(0.3, 1.3)
        taste = genre_matrix @ affinity
        score = (
            1.4 * taste
            + popularity_bias * np.log(fame)
            - 0.5 * ((years - era) / width) ** 2
            + 0.3 * quality
        )
        weights = np.exp(score - score.max())
        count = int(np.clip(rng.lognormal(3.3, 0.6), 6, min(150, len(titles) // 2)))
        chosen = rng.choice(len(titles), size=count, replace=False, p=weights / weights.sum())
        for index in chosen:
            events += _member_events(
                rng, member, int(index), titles[index], taste[index], quality[index], recent[index]
            )
    return events


def _member_events(rng, member, index, title, taste, quality, recent) -> list[Event]:
    enjoyment = 0.7 * taste + 0.6 * quality + rng.normal(0, 0.6)
    # New titles are watched mostly in the last weeks, which is what "Trending" should find.
    days_ago = rng.uniform(0, 21) if recent and rng.random() < 0.7 else rng.uniform(0, DAYS)
    start = int(days_ago * 86400)
    duration = title.runtime * 60
    events: list[Event] = []
    if rng.random() < 0.75:
        events.append(Event(member, index, "start", "", start, 0, duration))
        finish = start - int(rng.uniform(0.5, 1.5) * duration)
        if rng.random() < 1 / (1 + np.exp(-(1.2 + 1.5 * enjoyment))):
            events.append(Event(member, index, "complete", "", max(finish, 0), duration, duration))
        else:
            position = int(duration * rng.uniform(0.05, 0.8))
            events.append(Event(member, index, "progress", "", max(finish, 0), position, duration))
    stars = float(np.clip(np.round((3.3 + 0.9 * enjoyment + rng.normal(0, 0.4)) * 2) / 2, 0.5, 5))
    if rng.random() < 0.65:
        events.append(Event(member, index, "rating", f"{stars:.1f}", max(start - 3600, 0)))
    if rng.random() < 0.3:
        value = "love" if stars >= 4.5 else "up" if stars >= 3.5 else "down" if stars <= 2 else ""
        if value:
            events.append(Event(member, index, "feedback", value, max(start - 3000, 0)))
    elif stars <= 1.5 and rng.random() < 0.3:
        events.append(Event(member, index, "feedback", "not_interested", max(start - 3000, 0)))
    return events


@transaction.atomic
def demo_community_create(
    *, title_ids: list[int], events: list[Event], members: int, now: datetime
) -> int:
    """Create the members and write their events; returns the number of events written."""
    accounts = [
        Account(
            email=MEMBER_EMAIL.format(n + 1),
            password="!",  # unusable: synthetic members can never log in
            is_active=False,
            is_synthetic=True,
            first_name=f"Community member {n + 1}",
        )
        for n in range(members)
    ]
    Account.objects.bulk_create(accounts)
    profiles = [
        Profile(household=account, name=f"Member {n + 1}") for n, account in enumerate(accounts)
    ]
    Profile.objects.bulk_create(profiles)
    return signals_write(
        profiles=[p.pk for p in profiles], title_ids=title_ids, events=events, now=now
    )


def signals_write(
    *, profiles: list[int], title_ids: list[int], events: list[Event], now: datetime
) -> int:
    ratings, feedback, watches = [], [], []
    for event in events:
        profile_id, title_id = profiles[event.member], title_ids[event.title]
        at = now - timedelta(seconds=event.seconds_ago)
        if event.signal == "rating":
            ratings.append(
                Rating(
                    profile_id=profile_id,
                    title_id=title_id,
                    value=Decimal(event.value),
                    created_at=at,
                )
            )
        elif event.signal == "feedback":
            feedback.append(
                Feedback(profile_id=profile_id, title_id=title_id, value=event.value, created_at=at)
            )
        else:
            watches.append(
                WatchEvent(
                    profile_id=profile_id, title_id=title_id, event=event.signal, created_at=at,
                    position_seconds=event.position, duration_seconds=event.duration,
                )
            )  # fmt: skip
    Rating.objects.bulk_create(ratings, batch_size=2000)
    Feedback.objects.bulk_create(feedback, batch_size=2000)
    WatchEvent.objects.bulk_create(watches, batch_size=2000)
    return len(ratings) + len(feedback) + len(watches)
