"""A profile's viewing statistics for the dashboard, read in a handful of queries.

Viewing time is the progress a profile's player reported: each watch event adds how far the
position moved on since that title's previous event (a restart from 0 adds nothing until it
moves on). Only titles the profile may see now are read (profiles.viewing_history).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf.locale import LANG_INFO
from django.db.models import Count
from django.utils import timezone

from profiles.dashboard.charts import Chart, bar_chart
from profiles.models import Profile, Rating, WatchEvent
from profiles.viewing_history import History, history_for

WEEKS = 12
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
TOP = 6
SHIFT_DAYS = 90  # "recent" for the genre shift: the last three months against the time before


def language_name(code: str) -> str:
    return LANG_INFO.get(code, {}).get("name", code.upper() or "Unknown")


@dataclass
class Shift:
    genre: str
    before: int  # share of finished titles, percent
    recent: int

    @property
    def change(self) -> int:
        return self.recent - self.before


@dataclass
class Stats:
    finished: int
    started: int
    minutes: int
    charts: dict[str, Chart] = field(default_factory=dict)
    shifts: list[Shift] = field(default_factory=list)

    @property
    def completion_percent(self) -> int | None:
        return round(100 * self.finished / self.started) if self.started else None

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


def viewing_minutes(profile: Profile) -> tuple[list[tuple[datetime, float]], int]:
    """(time, minutes watched) per watch event on titles the profile may see, and how many
    distinct titles it started."""
    events = WatchEvent.objects.filter(
        profile=profile, title__maturity_level__lte=profile.effective_ceiling
    ).order_by("created_at", "id")
    last: dict[int, int] = {}
    watched = []
    for title_id, position, at in events.values_list("title_id", "position_seconds", "created_at"):
        moved = position - last.get(title_id, 0)
        last[title_id] = position
        if moved > 0:
            watched.append((at, moved / 60))
    return watched, len(last)


def stats_for(profile: Profile, *, history: History | None = None, now=None) -> Stats:
    history = history or history_for(profile)
    now = now or timezone.now()
    watched, started = viewing_minutes(profile)
    titles = history.finished_titles()
    stats = Stats(len(titles), started, round(sum(m for _, m in watched)))
    stats.charts = _favourites(history) | _time_charts(watched, now) | _ratings(profile)
    stats.shifts = _shifts(history, now)
    return stats


def _top(counter: Counter, name=lambda key: key) -> list[tuple[str, float]]:
    return [(name(key), count) for key, count in counter.most_common(TOP)]


def _favourites(history: History) -> dict[str, Chart]:
    titles = history.finished_titles()
    genres = Counter(g for t in titles for g in t.genres)
    decades = Counter(f"{t.decade}s" for t in titles if t.decade)
    languages = Counter(t.language for t in titles if t.language)
    return {
        "genres": bar_chart(
            "genres", "Favourite genres (finished titles)",
            _top(genres, lambda slug: history.genre_names.get(slug, slug)), slot=72,
        ),
        "decades": bar_chart("decades", "Favourite decades (finished titles)", _top(decades),
                             slot=56),
        "languages": bar_chart("languages", "Favourite languages (finished titles)",
                               _top(languages, language_name), slot=72),
    }  # fmt: skip


def _time_charts(watched: list[tuple[datetime, float]], now: datetime) -> dict[str, Chart]:
    this_monday = timezone.localdate(now) - timedelta(days=timezone.localdate(now).weekday())
    weeks = [this_monday - timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]
    per_week: dict = defaultdict(float)
    weekday: dict = defaultdict(float)
    hour: dict = defaultdict(float)
    for at, minutes in watched:
        local = timezone.localtime(at)
        per_week[local.date() - timedelta(days=local.weekday())] += minutes
        weekday[local.weekday()] += minutes
        hour[local.hour] += minutes
    return {
        "weeks": bar_chart(
            "weeks", f"Viewing time per week (last {WEEKS} weeks)",
            [(w.strftime("%d %b"), round(per_week[w])) for w in weeks], unit="min",
            label_every=2, slot=44,
        ),
        "weekdays": bar_chart("weekdays", "Viewing time by weekday",
                              [(d, round(weekday[i])) for i, d in enumerate(WEEKDAYS)],
                              unit="min", slot=44),
        "hours": bar_chart("hours", "Viewing time by hour of day",
                           [(f"{h:02d}", round(hour[h])) for h in range(24)], unit="min",
                           label_every=3, slot=22),
    }  # fmt: skip


def _ratings(profile: Profile) -> dict[str, Chart]:
    counts = dict(
        Rating.objects.filter(profile=profile, title__maturity_level__lte=profile.effective_ceiling)
        .values_list("value")
        .annotate(n=Count("id"))
    )
    steps = [n / 2 for n in range(1, 11)]
    items = [(f"{s:g}★", counts.get(_decimal_key(counts, s), 0)) for s in steps]
    return {"ratings": bar_chart("ratings", "Your ratings", items, slot=40)}


def _decimal_key(counts: dict, stars: float):
    return next((key for key in counts if float(key) == stars), None)


def _shifts(history: History, now: datetime) -> list[Shift]:
    """Genres whose share of finished titles moved most between before and the last 90 days."""
    cut = now - timedelta(days=SHIFT_DAYS)
    first_finish: dict[int, datetime] = {}
    for finish in history.finishes:
        first_finish.setdefault(finish.title_id, finish.at)
    before = [history.titles[pk] for pk, at in first_finish.items() if at < cut]
    recent = [history.titles[pk] for pk, at in first_finish.items() if at >= cut]
    if len(before) < 3 or len(recent) < 3:
        return []

    def shares(titles) -> Counter:
        counts = Counter(g for t in titles for g in t.genres)
        return Counter({g: round(100 * n / len(titles)) for g, n in counts.items()})

    old, new = shares(before), shares(recent)
    rows = [Shift(history.genre_names.get(g, g), old[g], new[g]) for g in set(old) | set(new)]
    rows = [r for r in rows if abs(r.change) >= 5]
    return sorted(rows, key=lambda r: (-abs(r.change), r.genre))[:5]
