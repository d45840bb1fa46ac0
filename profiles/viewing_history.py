"""Reads of what a profile watched and finished, the facts badges, challenges, the dashboard
and the year in review are computed from.

A watch counts as finished when it reached 80% of the runtime (a "complete" event always
does). Only titles the profile may see now (its effective ceiling) are read: nothing above a
kids profile's ceiling is counted or named anywhere these facts go.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F

from catalog.models import Credit, Title
from profiles.models import Profile, Rating, WatchEvent

FINISHED_SHARE = 0.8


@dataclass(frozen=True)
class TitleFacts:
    id: int
    name: str
    slug: str
    kind: str
    year: int | None
    language: str
    runtime: int | None
    certification: str
    vote_count: int
    vote_average: float
    genres: tuple[str, ...] = ()
    directors: tuple[int, ...] = ()

    @property
    def decade(self) -> int | None:
        return None if self.year is None else self.year // 10 * 10


@dataclass(frozen=True)
class Finish:
    title_id: int
    at: datetime


@dataclass
class History:
    """A profile's finished watches (oldest first) and the facts of every title they name."""

    profile: Profile
    finishes: list[Finish]
    titles: dict[int, TitleFacts]
    genre_names: dict[str, str] = field(default_factory=dict)

    def finished_ids(self, *, before: datetime | None = None) -> set[int]:
        return {f.title_id for f in self.finishes if before is None or f.at < before}

    def finished_titles(self) -> list[TitleFacts]:
        """Each finished title once, in the order first finished."""
        seen: dict[int, TitleFacts] = {}
        for finish in self.finishes:
            seen.setdefault(finish.title_id, self.titles[finish.title_id])
        return list(seen.values())


def finished_watches(profile: Profile, *, since: datetime | None = None, until=None):
    """Finished watch events of this profile on titles it may see, as (title_id, at) rows."""
    rows = WatchEvent.objects.filter(
        profile=profile,
        duration_seconds__gt=0,
        position_seconds__gte=F("duration_seconds") * FINISHED_SHARE,
        title__maturity_level__lte=profile.effective_ceiling,
    )
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    if until is not None:
        rows = rows.filter(created_at__lt=until)
    return rows.order_by("created_at", "id").values_list("title_id", "created_at")


def title_facts(title_ids) -> tuple[dict[int, TitleFacts], dict[str, str]]:
    """Facts of these titles (three queries), and genre slug -> name for those they have."""
    ids = list(set(title_ids))
    genres: dict[int, list[str]] = defaultdict(list)
    genre_names: dict[str, str] = {}
    through = Title.genres.through.objects.filter(title_id__in=ids)
    for title_id, slug, name in through.values_list("title_id", "genre__slug", "genre__name"):
        genres[title_id].append(slug)
        genre_names[slug] = name
    directors: dict[int, list[int]] = defaultdict(list)
    credits = Credit.objects.filter(title_id__in=ids, role=Credit.Role.DIRECTOR)
    for title_id, person_id in credits.values_list("title_id", "person_id"):
        directors[title_id].append(person_id)
    fields = (
        "id", "title", "slug", "kind", "year", "original_language", "runtime", "certification",
        "vote_count", "vote_average",
    )  # fmt: skip
    facts = {
        row[0]: TitleFacts(
            *row[:5],
            row[5] or "",
            *row[6:],
            genres=tuple(sorted(genres[row[0]])),
            directors=tuple(sorted(directors[row[0]])),
        )
        for row in Title.objects.filter(pk__in=ids).values_list(*fields)
    }
    return facts, genre_names


def history_for(profile: Profile) -> History:
    finishes = [Finish(title_id, at) for title_id, at in finished_watches(profile)]
    titles, genre_names = title_facts(f.title_id for f in finishes)
    return History(profile=profile, finishes=finishes, titles=titles, genre_names=genre_names)


def rated_genres(profile: Profile) -> set[str]:
    """Genres of the visible titles this profile rated."""
    ratings = Rating.objects.filter(
        profile=profile, title__maturity_level__lte=profile.effective_ceiling
    )
    return set(
        ratings.filter(title__genres__isnull=False).values_list("title__genres__slug", flat=True)
    )
