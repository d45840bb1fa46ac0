"""Reads of the catalogue. Every list a viewer sees goes through `titles_for_profile`."""

from django.db.models import QuerySet
from django.utils import timezone

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


def popular_titles(*, profile: Profile, kind: str | None = None, limit: int = 20) -> list[Title]:
    titles = titles_for_profile(profile)
    if kind:
        titles = titles.filter(kind=kind)
    return list(titles_for_tiles(titles.order_by("-popularity", "title"))[:limit])


def new_releases(*, profile: Profile, limit: int = 20) -> list[Title]:
    cutoff = timezone.now().year - 3
    titles = titles_for_profile(profile).filter(year__gte=cutoff).order_by("-year", "-popularity")
    return list(titles_for_tiles(titles)[:limit])


def genre_titles(*, profile: Profile, genre_slug: str, limit: int = 20) -> list[Title]:
    titles = titles_for_profile(profile).filter(genres__slug=genre_slug).order_by("-popularity")
    return list(titles_for_tiles(titles)[:limit])


def title_detail(*, slug: str) -> Title | None:
    return (
        Title.objects.filter(slug=slug)
        .prefetch_related("genres", "keywords", "credits__person")
        .first()
    )
