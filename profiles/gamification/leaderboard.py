"""The weekly leaderboards: the household's (the default) and the opt-in community board.

Ranked by distinct titles finished (80% of the runtime, `DAILY_CAP` a day) plus challenges
completed this week, never by hours. Kids profiles appear only on their own household's board;
synthetic members (the demo community, MovieLens users) never appear on any.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F
from django.utils import timezone

from profiles.gamification.challenges import DAILY_CAP, week_bounds
from profiles.models import ChallengeEntry, Profile, WatchEvent
from profiles.viewing_history import FINISHED_SHARE

COMMUNITY_SIZE = 50


@dataclass(frozen=True)
class Standing:
    rank: int
    profile_id: int
    name: str
    avatar_colour: str
    avatar: str
    titles: int
    challenges: int
    is_viewer: bool

    @property
    def points(self) -> int:
        return self.titles + self.challenges


def household_board(viewer: Profile, week: date) -> list[Standing]:
    profiles = Profile.objects.filter(household_id=viewer.household_id)
    return _ranked(list(profiles), viewer, week)


def community_board(viewer: Profile, week: date) -> list[Standing]:
    """Adult profiles of real households that opted in (kids never, synthetic members never)."""
    profiles = Profile.objects.filter(
        community_board__isnull=False,
        kind=Profile.Kind.ADULT,
        household__is_synthetic=False,
        household__is_active=True,
    )
    return _ranked(list(profiles), viewer, week)[:COMMUNITY_SIZE]


def _ranked(profiles: list[Profile], viewer: Profile, week: date) -> list[Standing]:
    start, end = week_bounds(week)
    ids = [p.pk for p in profiles]
    finished = (
        WatchEvent.objects.filter(
            profile_id__in=ids, created_at__gte=start, created_at__lt=end, duration_seconds__gt=0,
            position_seconds__gte=F("duration_seconds") * FINISHED_SHARE,
        )
        .values_list("profile_id", "title_id", "created_at")
        .order_by("created_at")
    )  # fmt: skip
    titles: dict[int, set[int]] = defaultdict(set)
    per_day: dict[tuple[int, date], int] = defaultdict(int)
    for profile_id, title_id, at in finished:
        day = (profile_id, timezone.localdate(at))
        if title_id in titles[profile_id] or per_day[day] >= DAILY_CAP:
            continue
        per_day[day] += 1
        titles[profile_id].add(title_id)
    completed = dict(
        ChallengeEntry.objects.filter(
            profile_id__in=ids, completed_at__gte=start, completed_at__lt=end
        )
        .values_list("profile_id")
        .annotate(n=Count("id"))
    )
    rows = sorted(
        profiles,
        key=lambda p: (-(len(titles[p.pk]) + completed.get(p.pk, 0)), p.name.lower(), p.pk),
    )
    board, rank, last = [], 0, None
    for index, profile in enumerate(rows, start=1):
        points = (len(titles[profile.pk]), completed.get(profile.pk, 0))
        if sum(points) != last:
            rank, last = index, sum(points)
        board.append(
            Standing(
                rank, profile.pk, profile.name, profile.avatar_colour, profile.avatar,
                *points, profile.pk == viewer.pk,
            )
        )  # fmt: skip
    return board
