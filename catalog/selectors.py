"""Reads of the catalogue. Every list a viewer sees goes through `titles_visible` (for a
profile, `profiles.selectors.titles_for_profile`); the catalogue knows ceilings, not profiles."""

from django.db.models import QuerySet

from catalog.models import Title


def titles_visible(*, ceiling: int) -> QuerySet[Title]:
    """Titles at or below this maturity ceiling."""
    return Title.objects.filter(maturity_level__lte=ceiling)


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
