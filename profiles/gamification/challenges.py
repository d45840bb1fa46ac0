"""Weekly challenges: which ones a profile is offered, and how far it got.

A week starts on Monday. The offers depend only on the profile, the week, the catalogue and what
the profile had finished before that Monday, so they stay the same all week (a seeded choice).
Progress counts finished watches (80% of the runtime) made after the profile joined and within
the week, at most `DAILY_CAP` titles a day, each title once. Reads only; services.py writes.
"""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from catalog.models import Kind
from profiles.models import ChallengeEntry, Profile, StreakFreeze
from profiles.selectors import titles_for_profile
from profiles.viewing_history import History, TitleFacts

OFFERS_PER_WEEK = 3
DAILY_CAP = 3  # finished titles a day that count towards challenges
OLD_YEARS = (1960, 1970, 1980, 1990)


@dataclass(frozen=True)
class Offer:
    code: str
    label: str
    target: int
    params: dict


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_bounds(week: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(week, datetime.min.time()))
    return start, start + timedelta(days=7)


def current_week() -> date:
    return week_start(timezone.localdate())


def offers_for(profile: Profile, week: date, history: History) -> list[Offer]:
    """This week's challenges for this profile: the same every time they are asked for."""
    start, _ = week_bounds(week)
    before = [history.titles[pk] for pk in history.finished_ids(before=start)]
    visible = titles_for_profile(profile)
    candidates: list[Offer] = []
    years = [t.year for t in before if t.year]
    usual = sorted(years)[len(years) // 2] if years else 2000
    old = [y for y in OLD_YEARS if y <= usual and visible.filter(year__lt=y).exists()]
    if old:
        year = old[0] if len(old) == 1 else old[-2]
        candidates.append(Offer("older", f"Finish a title from before {year}", 1, {"year": year}))
    known = sorted({t.language for t in before if t.language})
    if visible.exclude(original_language__in=[*known, ""]).exists():
        candidates.append(
            Offer("new-language", "Finish a title in a language you haven't watched yet", 1,
                  {"known": known})
        )  # fmt: skip
    candidates += _genre_offer(profile, week, before, visible)
    if visible.filter(kind=Kind.SERIES).exists():
        candidates.append(Offer("series", "Finish a series", 1, {}))
    candidates.append(Offer("new-titles", "Finish 3 titles you have never finished before", 3, {}))
    rng = random.Random(f"{profile.pk}:{week.isoformat()}")
    return sorted(rng.sample(candidates, min(OFFERS_PER_WEEK, len(candidates))), key=_order)


def _order(offer: Offer) -> str:
    return offer.code


def _genre_offer(profile, week, before: list[TitleFacts], visible) -> list[Offer]:
    """A genre the profile has watched least of, among those with titles it may see."""
    counts = Counter(g for t in before for g in t.genres)
    available = list(
        visible.filter(genres__isnull=False)
        .values_list("genres__slug", "genres__name")
        .distinct()
        .order_by("genres__slug")
    )
    if not available:
        return []
    # The least-watched half (at most three), so a favourite is never offered as a stretch.
    least = sorted(available, key=lambda g: (counts[g[0]], g[0]))[
        : max(1, min(3, len(available) // 2))
    ]
    slug, name = random.Random(f"genre:{profile.pk}:{week.isoformat()}").choice(least)
    return [Offer("genre", f"Finish a {name} title", 1, {"genre": slug, "name": name})]


def counted_finishes(history: History, since: datetime, until: datetime) -> list[TitleFacts]:
    """Finished titles that count in [since, until): each title once, `DAILY_CAP` a day."""
    per_day: Counter = Counter()
    seen: set[int] = set()
    counted = []
    for finish in history.finishes:
        if not since <= finish.at < until or finish.title_id in seen:
            continue
        day = timezone.localdate(finish.at)
        if per_day[day] >= DAILY_CAP:
            continue
        per_day[day] += 1
        seen.add(finish.title_id)
        counted.append(history.titles[finish.title_id])
    return counted


def entry_progress(entry: ChallengeEntry, history: History) -> int:
    start, end = week_bounds(entry.week)
    counted = counted_finishes(history, max(start, entry.joined_at), end)
    params = entry.params
    if entry.code == "older":
        hits = [t for t in counted if t.year and t.year < params["year"]]
    elif entry.code == "new-language":
        hits = [t for t in counted if t.language and t.language not in params["known"]]
    elif entry.code == "genre":
        hits = [t for t in counted if params["genre"] in t.genres]
    elif entry.code == "series":
        hits = [t for t in counted if t.kind == Kind.SERIES]
    elif entry.code == "new-titles":
        earlier = history.finished_ids(before=start)
        hits = [t for t in counted if t.id not in earlier]
    else:
        hits = []
    return min(len(hits), entry.target)


def streak(profile: Profile, *, today: date | None = None) -> int:
    """Weeks in a row with a completed challenge, up to this week. A frozen week keeps the
    streak without adding to it; the current week, still open, never breaks it."""
    week = week_start(today or timezone.localdate())
    done = set(profile.challenges.filter(completed_at__isnull=False).values_list("week", flat=True))
    frozen = set(StreakFreeze.objects.filter(profile=profile).values_list("week", flat=True))
    count = 1 if week in done else 0
    week -= timedelta(days=7)
    while week in done or week in frozen:
        count += week in done
        week -= timedelta(days=7)
    return count
