"""The badges: 24 rules that reward breadth and discovery, never volume.

Each rule measures a profile's progress from its viewing facts (finished watches, ratings) and
is earned when the progress reaches the target. No rule counts hours or repeats: a title counts
once however often it is watched. Reads only; `services.badges_award` writes the awards.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from django.db.models import Count
from django.utils import timezone

from catalog.models import KIDS_CERTIFICATIONS, Credit, Kind
from catalog.selectors import titles_visible
from profiles.viewing_history import History, TitleFacts, history_for, rated_genres


class Facts:
    """What the rules measure. The finished titles are read up front; the facts that need more
    queries are read on first use, so badges already earned cost nothing (`badges_award`
    measures only the rest)."""

    def __init__(self, profile, *, history: History, now: datetime):
        self.profile = profile
        self.history = history
        self.titles: list[TitleFacts] = history.finished_titles()  # finished, each once
        self.now = now

    @cached_property
    def rated_genres(self) -> set[str]:
        return rated_genres(self.profile)

    @cached_property
    def director_films(self) -> dict[int, int]:
        """Director of a finished title -> their visible titles in the catalogue."""
        directors = {d for t in self.titles for d in t.directors}
        if not directors:
            return {}
        films = (
            Credit.objects.filter(
                role=Credit.Role.DIRECTOR, person_id__in=directors, title__in=self._visible
            )
            .values("person_id")
            .annotate(films=Count("title_id", distinct=True))
        )
        return {row["person_id"]: row["films"] for row in films}

    @cached_property
    def median_votes(self) -> float:
        """The median visible title's vote count, read by the database (not every count)."""
        count = self._visible.count()
        if not count:
            return 0
        return self._visible.order_by("vote_count").values_list("vote_count", flat=True)[count // 2]

    @property
    def _visible(self):
        return titles_visible(ceiling=self.profile.effective_ceiling)


@dataclass(frozen=True)
class Badge:
    code: str
    name: str
    description: str
    target: int
    measure: Callable[[Facts], int]
    audience: str = "all"  # "all", "kids" (kids profiles only) or "adults"


def _distinct(facts: Facts, key) -> int:
    return len({value for t in facts.titles for value in key(t) if value is not None})


def _count(facts: Facts, test) -> int:
    return sum(1 for t in facts.titles if test(t))


def _foreign(facts: Facts) -> int:
    home = facts.history.profile.language or "en"
    return _count(facts, lambda t: bool(t.language) and t.language != home)


def _filmography(facts: Facts) -> int:
    """Titles of the director whose catalogue films (three or more) the profile has seen most
    of; the target is that director's whole filmography, so progress is the share in thirds."""
    seen = Counter(d for t in facts.titles for d in t.directors)
    best = 0
    for director, count in seen.items():
        total = facts.director_films.get(director, 0)
        if total >= 3:
            best = max(best, 3 if count >= total else min(2, 3 * count // total))
    return best


def _director_fan(facts: Facts) -> int:
    seen = Counter(d for t in facts.titles for d in t.directors)
    return max(seen.values(), default=0)


def _hidden_gems(facts: Facts) -> int:
    return _count(facts, lambda t: t.vote_count < facts.median_votes)


def _genres_in_a_week(facts: Facts) -> int:
    """Most distinct genres finished within any seven days."""
    finishes = facts.history.finishes
    best = 0
    for i, first in enumerate(finishes):
        window = [f for f in finishes[i:] if f.at - first.at < timedelta(days=7)]
        genres = {g for f in window for g in facts.history.titles[f.title_id].genres}
        best = max(best, len(genres))
    return best


def _every_length(facts: Facts) -> int:
    short = any(t.runtime and t.runtime < 90 and t.kind == Kind.MOVIE for t in facts.titles)
    long = any(t.runtime and t.runtime > 150 for t in facts.titles)
    return int(short) + int(long)


def _old_and_new(facts: Facts) -> int:
    year = facts.now.year
    old = any(t.year and t.year < 1980 for t in facts.titles)
    new = any(t.year and t.year >= year - 5 for t in facts.titles)
    return int(old) + int(new)


def _kids_classics(facts: Facts) -> int:
    return _count(
        facts, lambda t: t.certification in KIDS_CERTIFICATIONS and bool(t.year) and t.year < 2000
    )


def _films_and_series(facts: Facts) -> int:
    films = _count(facts, lambda t: t.kind == Kind.MOVIE)
    series = _count(facts, lambda t: t.kind == Kind.SERIES)
    return min(films, 3) + min(series, 3)


BADGES: list[Badge] = [
    Badge("decades-3", "Time hopper", "Finish titles from 3 different decades.", 3,
          lambda f: _distinct(f, lambda t: [t.decade])),
    Badge("decades-6", "Decade collector", "Finish titles from 6 different decades.", 6,
          lambda f: _distinct(f, lambda t: [t.decade])),
    Badge("before-1970", "Time traveller", "Finish a title from before 1970.", 1,
          lambda f: _count(f, lambda t: bool(t.year) and t.year < 1970)),
    Badge("before-1950", "Golden age", "Finish a title from before 1950.", 1,
          lambda f: _count(f, lambda t: bool(t.year) and t.year < 1950)),
    Badge("old-and-new", "Then and now", "Finish a title from before 1980 and one from the "
          "last five years.", 2, _old_and_new),
    Badge("genres-5", "Genre sampler", "Finish titles in 5 different genres.", 5,
          lambda f: _distinct(f, lambda t: t.genres)),
    Badge("genres-10", "Genre explorer", "Finish titles in 10 different genres.", 10,
          lambda f: _distinct(f, lambda t: t.genres)),
    Badge("genres-week", "Genre hopper", "Finish titles in 4 different genres within 7 days.",
          4, _genres_in_a_week),
    Badge("first-foreign", "Subtitles on", "Finish your first title in another language than "
          "your profile's.", 1, _foreign),
    Badge("languages-3", "Polyglot", "Finish titles in 3 different languages.", 3,
          lambda f: _distinct(f, lambda t: [t.language or None])),
    Badge("languages-5", "World cinema", "Finish titles in 5 different languages.", 5,
          lambda f: _distinct(f, lambda t: [t.language or None])),
    Badge("foreign-5", "Border crosser", "Finish 5 titles in another language than your "
          "profile's.", 5, _foreign),
    Badge("director-3", "Auteur fan", "Finish 3 titles by the same director.", 3, _director_fan),
    Badge("filmography", "Completist", "Finish every film in the catalogue by one director "
          "(who has at least three).", 3, _filmography),
    Badge("series-1", "Binge complete", "Finish a series.", 1,
          lambda f: _count(f, lambda t: t.kind == Kind.SERIES)),
    Badge("films-and-series", "Both screens", "Finish 3 films and 3 series.", 6,
          _films_and_series),
    Badge("hidden-gem", "Hidden gem", "Finish a title fewer people have voted on than most.", 1,
          _hidden_gems),
    Badge("hidden-gems-5", "Gem hunter", "Finish 5 of those less-voted titles.", 5, _hidden_gems),
    Badge("acclaimed", "Critics' choice", "Finish a title rated 8 or more by the community.", 1,
          lambda f: _count(f, lambda t: t.vote_average >= 8 and t.vote_count >= 5)),
    Badge("every-length", "Short and long", "Finish a film under 90 minutes and a title over "
          "150 minutes.", 2, _every_length),
    Badge("new-release", "Fresh off the press", "Finish a title from this year or last.", 1,
          lambda f: _count(f, lambda t: bool(t.year) and t.year >= f.now.year - 1)),
    Badge("critic-genres", "Well-rounded critic", "Rate titles in 5 different genres.", 5,
          lambda f: len(f.rated_genres)),
    Badge("kids-classics", "Kids classic", "Finish 3 family classics from before 2000.", 3,
          _kids_classics, audience="kids"),
    Badge("kids-genres", "Little explorer", "Finish titles in 3 different genres.", 3,
          lambda f: _distinct(f, lambda t: t.genres), audience="kids"),
]  # fmt: skip
BY_CODE = {badge.code: badge for badge in BADGES}


def badges_for(profile) -> list[Badge]:
    """The badges this profile can earn (kids-only ones on kids profiles only)."""
    audience = "kids" if profile.is_kids else "adults"
    return [b for b in BADGES if b.audience in ("all", audience)]


def facts_for(profile, *, now: datetime | None = None, history: History | None = None) -> Facts:
    return Facts(profile, history=history or history_for(profile), now=now or timezone.now())


@dataclass(frozen=True)
class BadgeProgress:
    badge: Badge
    progress: int
    earned_at: datetime | None

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.progress / self.badge.target))


def badge_progress(profile, *, facts: Facts | None = None) -> list[BadgeProgress]:
    """Every badge this profile can earn, with its progress and the date it was earned."""
    facts = facts or facts_for(profile)
    earned = dict(profile.badges.values_list("badge", "earned_at"))
    rows = [
        BadgeProgress(b, min(b.measure(facts), b.target), earned.get(b.code))
        for b in badges_for(profile)
    ]
    return sorted(rows, key=lambda r: (r.earned_at is None, -r.percent, r.badge.name))
