"""Reads of the catalogue. Every list a viewer sees goes through `titles_visible` (for a
profile, `profiles.selectors.titles_for_profile`); the catalogue knows ceilings, not profiles."""

from dataclasses import dataclass

from django.db.models import QuerySet

from catalog.models import Title


def titles_visible(*, ceiling: int) -> QuerySet[Title]:
    """Titles at or below this maturity ceiling."""
    return Title.objects.filter(maturity_level__lte=ceiling)


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
