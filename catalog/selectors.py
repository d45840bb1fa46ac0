"""Reads of the catalogue. Every list a viewer sees goes through `titles_for_profile`."""

from django.db.models import QuerySet

from catalog.models import Title
from profiles.models import Profile


def titles_for_profile(profile: Profile) -> QuerySet[Title]:
    """Titles this profile may see: at or below its effective maturity ceiling."""
    return Title.objects.filter(maturity_level__lte=profile.effective_ceiling)


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
