"""Reads of the catalogue. Every list a viewer sees goes through `titles_visible` (for a
profile, `profiles.selectors.titles_for_profile`); the catalogue knows ceilings, not profiles."""

import json
from collections.abc import Collection
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from catalog.models import Title


def titles_visible(*, ceiling: int) -> QuerySet[Title]:
    """Titles at or below this maturity ceiling."""
    return Title.objects.filter(maturity_level__lte=ceiling)


def names_visible(title_ids: Collection[int], *, ceiling: int) -> dict[int, tuple[str, int | None]]:
    """pk -> (name, year) of those of these titles at or below the ceiling.

    Every page with rails reads the names of its hundred-odd titles. As a queryset, its `IN`
    list changed length from page to page, so Django compiled it anew and psycopg sent each id
    as a parameter of its own (0.65 ms on PostgreSQL). Here the ids are one parameter: an array
    on PostgreSQL, a JSON list read as a table on SQLite (0.16 ms). Table names come from the
    model, the values are parameters."""
    ids = sorted({int(pk) for pk in title_ids})
    if not ids:
        return {}
    if connection.vendor == "postgresql":
        among, listed = "id = ANY(%s)", ids
    else:
        among, listed = "id IN (SELECT value FROM json_each(%s))", json.dumps(ids)
    table = connection.ops.quote_name(Title._meta.db_table)
    sql = f"SELECT id, title, year FROM {table} WHERE maturity_level <= %s AND {among}"  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, [ceiling, listed])
        return {pk: (name, year) for pk, name, year in cursor.fetchall()}


def titles_in_genres(title_ids: Collection[int], genre_slugs: Collection[str]) -> set[int]:
    """Those of these titles in any of these genres (no query when either is empty)."""
    if not title_ids or not genre_slugs:
        return set()
    tagged = Title.genres.through.objects.filter(
        title_id__in=sorted(title_ids), genre__slug__in=sorted(genre_slugs)
    )
    return set(tagged.values_list("title_id", flat=True))


@dataclass(frozen=True)
class Audience:
    """Whom a list of titles is for: their maturity ceiling, and the titles they turned away
    (for a profile, `profiles.selectors.search_audience`). Search asks it in two ways: the
    database filters a whole catalogue (`titles`), Python a few hundred known titles (`sees`)."""

    ceiling: int
    rejected: frozenset[int] = frozenset()

    def titles(self) -> QuerySet[Title]:
        return titles_visible(ceiling=self.ceiling).exclude(pk__in=sorted(self.rejected))

    def sees(self, pk: int, maturity_level: int) -> bool:
        return maturity_level <= self.ceiling and pk not in self.rejected


def titles_for_tiles(queryset: QuerySet[Title]) -> QuerySet[Title]:
    # Tiles show genres (poster colours, captions); fetch them in one query.
    return queryset.only(
        "pk",
        "slug",
        "title",
        "year",
        "kind",
        "poster_url",
        "backdrop_url",
        "overview",
        "certification",
        "popularity",
        "runtime",
    ).prefetch_related("genres")


def title_detail(*, slug: str) -> Title | None:
    return (
        Title.objects.filter(slug=slug)
        .prefetch_related("genres", "keywords", "credits__person")
        .first()
    )
