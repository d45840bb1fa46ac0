"""Reads for the onboarding wizard: genres to pick, the title grid, the quick-rate selection.

Every list goes through `profiles.selectors.titles_for_profile`, so a kids profile never sees a
title above its ceiling. Writes live in `profiles.services` (`onboarding_*`).
"""

from dataclasses import dataclass

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Ln
from django.utils import timezone

from catalog.models import Genre, Kind, Title
from catalog.search import titles_matching
from catalog.selectors import titles_for_tiles
from profiles.models import Feedback, Profile, Rating
from profiles.selectors import titles_for_profile

# `Profile.onboarding_step` is the last step completed.
STEP_GENRES, STEP_TITLES, STEP_RATE, STEP_DONE = 1, 2, 3, 4
STEP_NAMES = {
    STEP_GENRES: "Genres",
    STEP_TITLES: "Titles you liked",
    STEP_RATE: "Quick rate",
    STEP_DONE: "Done",
}

MIN_GENRES, MAX_GENRES = 3, 5
# A genre weight at or above this is a favourite; onboarding picks get exactly this weight.
FAVOURITE_GENRE_WEIGHT = 0.8
MIN_PICKS = 5  # of each kind (5 movies and 5 series), or all of a kind when it has fewer

# "Recent" widens from the last 3 years until the window holds enough titles to fill the grid
# (a catalogue of older films still shows its newest ones first); past the widest, all years.
RECENT_WINDOWS = (3, 5, 10, 15, 25)
MIN_RECENT_TITLES = 24
GRID_SIZE = 36

QUICK_RATE_COUNT = 10
# Fewer community ratings than this say little about whether a title splits opinion.
MIN_RATINGS_FOR_SPLIT = 5
FAVOURITE_GENRE_BOOST = 1.5


def onboarding_genres(*, profile: Profile) -> QuerySet[Genre]:
    """Genres with at least one title this profile may see."""
    visible = titles_for_profile(profile).filter(genres=OuterRef("pk"))
    return Genre.objects.filter(Exists(visible)).order_by("name")


def favourite_genre_slugs(*, profile: Profile) -> list[str]:
    weights = profile.genre_weights
    return sorted(slug for slug, weight in weights.items() if is_favourite_weight(weight))


def is_favourite_weight(weight) -> bool:
    return isinstance(weight, int | float) and weight >= FAVOURITE_GENRE_WEIGHT


def picked_count(*, profile: Profile) -> int:
    """Titles picked on the "titles you liked" step: the visible ones with a thumbs up."""
    return sum(picked_by_kind(profile=profile).values())


def picked_by_kind(*, profile: Profile) -> dict[str, int]:
    """Picks per kind ("movie", "series"), every kind present."""
    rows = (
        Feedback.objects.filter(
            profile=profile,
            value=Feedback.Value.THUMBS_UP,
            title__in=titles_for_profile(profile).values("pk"),
        )
        .values("title__kind")
        .annotate(n=Count("pk"))
        .values_list("title__kind", "n")
    )
    return dict.fromkeys(Kind.values, 0) | dict(rows)


def picks_needed(*, profile: Profile) -> dict[str, int]:
    """How many picks of each kind the step asks for: MIN_PICKS, or every title of a kind the
    profile may see when there are fewer (a MovieLens catalogue has no series at all)."""
    rows = (
        titles_for_profile(profile).values("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )
    available = dict(rows)
    return {kind: min(MIN_PICKS, available.get(kind, 0)) for kind in Kind.values}


@dataclass(frozen=True)
class PickProgress:
    kind: str
    label: str  # "movies", "series"
    picked: int
    needed: int

    @property
    def done(self) -> bool:
        return self.picked >= self.needed


def pick_progress(*, profile: Profile) -> list[PickProgress]:
    picked, needed = picked_by_kind(profile=profile), picks_needed(profile=profile)
    labels = {Kind.MOVIE: "movies", Kind.SERIES: "series"}
    return [PickProgress(kind, labels[kind], picked[kind], needed[kind]) for kind in Kind.values]


def _picked(profile: Profile) -> Exists:
    return Exists(
        Feedback.objects.filter(
            profile=profile, title=OuterRef("pk"), value=Feedback.Value.THUMBS_UP
        )
    )


def _in_genres(slugs: list[str], *, title_ref: str = "pk") -> Exists:
    return Exists(
        Title.genres.through.objects.filter(title_id=OuterRef(title_ref), genre__slug__in=slugs)
    )


def onboarding_title_grid(
    *, profile: Profile, kind: str = "", query: str = "", limit: int = GRID_SIZE
) -> list[Title]:
    """The "titles you liked" grid; each title carries `picked` (thumbs up already given).

    Without a search: the most popular titles of the past few years (the window widens until
    it fills the grid; all years when even the widest holds too few), the profile's picks first
    so a returning profile sees them, then titles in its favourite genres. A search looks
    through the whole visible catalogue.
    """
    titles = titles_for_profile(profile)
    if kind:
        titles = titles.filter(kind=kind)
    picked = _picked(profile)
    order = ["-favourite", "-popularity", "title"]
    if query:  # the search page's matching and order: typos, accents, word order, people
        return titles_matching(titles_for_tiles(titles.annotate(picked=picked)), query, limit=limit)
    else:
        for years in RECENT_WINDOWS:
            cutoff = timezone.now().year - years
            if titles.filter(year__gte=cutoff)[:MIN_RECENT_TITLES].count() >= MIN_RECENT_TITLES:
                titles = titles.filter(Q(year__gte=cutoff) | Q(picked))
                break
        order.insert(0, "-picked")
    favourites = favourite_genre_slugs(profile=profile)
    titles = titles.annotate(picked=picked, favourite=_in_genres(favourites)).order_by(*order)
    return list(titles_for_tiles(titles)[:limit])


@dataclass(frozen=True)
class QuickRateCard:
    title: Title
    stars: str  # the profile's current rating as "4.5", or ""
    skipped: bool


def quick_rate_titles(*, profile: Profile, limit: int = QUICK_RATE_COUNT) -> list[Title]:
    """Titles whose rating teaches the recommender the most about this profile.

    Those are popular titles that split opinion: the variance of community ratings (among
    titles with enough ratings) times log(1 + number of ratings), boosted in the profile's
    favourite genres. Titles the profile already gave feedback on (its picks) are left out; its
    own ratings do not count, so the list stays put while it rates. When too few titles have
    enough ratings, the most popular remaining titles fill the list.
    """
    favourites = favourite_genre_slugs(profile=profile)
    visible = titles_for_profile(profile)
    with_feedback = Feedback.objects.filter(profile=profile).values("title_id")
    stars = Cast("value", FloatField())
    stats = (
        Rating.objects.filter(title__in=visible.values("pk"))
        .exclude(profile=profile)
        .exclude(title__in=with_feedback)
        .values("title")
        .annotate(n=Count("pk"), mean=Avg(stars), mean_square=Avg(stars * stars))
        .filter(n__gte=MIN_RATINGS_FOR_SPLIT)
        .annotate(
            score=(F("mean_square") - F("mean") * F("mean"))
            * Ln(Cast(F("n"), FloatField()) + Value(1.0))
            * Case(
                When(_in_genres(favourites, title_ref="title"), then=Value(FAVOURITE_GENRE_BOOST)),
                default=Value(1.0),
                output_field=FloatField(),
            )
        )
        .order_by("-score", "title")
        .values_list("title", flat=True)
    )
    ids = list(stats[:limit])
    by_id = titles_for_tiles(Title.objects.filter(pk__in=ids)).in_bulk()
    chosen = [by_id[pk] for pk in ids if pk in by_id]
    if len(chosen) < limit:
        fill = (
            visible.exclude(pk__in=with_feedback)
            .exclude(pk__in=ids)
            .annotate(favourite=_in_genres(favourites))
            .order_by("-favourite", "-popularity", "title")
        )
        chosen += list(titles_for_tiles(fill)[: limit - len(chosen)])
    return chosen


def quick_rate_cards(*, profile: Profile, skipped_ids: set[int]) -> list[QuickRateCard]:
    titles = quick_rate_titles(profile=profile)
    return quick_rate_cards_for(profile=profile, titles=titles, skipped_ids=skipped_ids)


def quick_rate_cards_for(
    *, profile: Profile, titles: list[Title], skipped_ids: set[int]
) -> list[QuickRateCard]:
    ratings = dict(
        Rating.objects.filter(profile=profile, title__in=[t.pk for t in titles]).values_list(
            "title_id", "value"
        )
    )
    return [
        QuickRateCard(
            title=title,
            stars=f"{ratings[title.pk]:.1f}" if title.pk in ratings else "",
            skipped=title.pk in skipped_ids and title.pk not in ratings,
        )
        for title in titles
    ]


def onboarding_summary(*, profile: Profile) -> dict:
    """What the wizard learned, for the last step."""
    favourites = favourite_genre_slugs(profile=profile)
    return {
        "genres": list(Genre.objects.filter(slug__in=favourites).values_list("name", flat=True)),
        "picked_count": picked_count(profile=profile),
        "rated_count": Rating.objects.filter(profile=profile).count(),
    }
