"""Writes for the onboarding wizard; its reads and step numbers live in `profiles.onboarding`."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from catalog.models import Title
from profiles.models import (
    Feedback,
    PreferenceWeights,
    Profile,
)
from profiles.onboarding import STEP_DONE, STEP_TITLES, pick_progress
from profiles.services.household import preferences_for
from profiles.services.signals import feedback_set
from recommender.changes import rails_changed


def onboarding_step_complete(*, profile: Profile, step: int) -> None:
    """Record that `step` is done; going back to an earlier step never loses later progress."""
    if profile.onboarding_step < step:
        profile.onboarding_step = step
        profile.save(update_fields=["onboarding_step"])


@transaction.atomic
def onboarding_genres_save(*, profile: Profile, genre_slugs: list[str]) -> PreferenceWeights:
    """Make 3-5 genres the profile's favourites; weights it set for other genres stay."""
    from profiles import onboarding

    slugs = list(dict.fromkeys(genre_slugs))
    low, high = onboarding.MIN_GENRES, onboarding.MAX_GENRES
    if not low <= len(slugs) <= high:
        raise ValidationError(f"Pick {low} to {high} genres (you picked {len(slugs)}).")
    known = onboarding.onboarding_genres(profile=profile).filter(slug__in=slugs)
    if set(known.values_list("slug", flat=True)) != set(slugs):
        raise ValidationError("Pick genres from the list.")
    preferences = preferences_for(profile)
    # Earlier favourites that were not picked again stop being favourites.
    weights = {
        slug: weight
        for slug, weight in preferences.genre_weights.items()
        if not onboarding.is_favourite_weight(weight)
    }
    weights.update(dict.fromkeys(slugs, onboarding.FAVOURITE_GENRE_WEIGHT))
    preferences.genre_weights = weights
    preferences.save(update_fields=["genre_weights", "updated_at"])
    onboarding_step_complete(profile=profile, step=onboarding.STEP_GENRES)
    return preferences


def onboarding_title_pick(*, profile: Profile, title: Title, picked: bool) -> None:
    """A pick on the "titles you liked" step is a thumbs up; un-picking clears it."""
    value = Feedback.Value.THUMBS_UP if picked else ""
    # The rails are scored once, when onboarding finishes, not after every pick.
    feedback_set(profile=profile, title=title, value=value, rescore=False)


def onboarding_titles_complete(*, profile: Profile) -> None:
    progress = pick_progress(profile=profile)
    if not any(kind.needed for kind in progress):
        raise ValidationError("There is nothing to pick yet: the catalogue is empty.")
    if not all(kind.done for kind in progress):
        asked = " and ".join(f"{kind.needed} {kind.label}" for kind in progress if kind.needed)
        got = " and ".join(f"{kind.picked} {kind.label}" for kind in progress if kind.needed)
        raise ValidationError(f"Pick at least {asked} you liked (you picked {got}).")
    onboarding_step_complete(profile=profile, step=STEP_TITLES)


@transaction.atomic
def onboarding_finish(*, profile: Profile) -> None:
    """Done: the first rails are scored from the answers at once (before the home page)."""
    profile.onboarding_step = max(profile.onboarding_step, STEP_DONE)
    profile.onboarded_at = timezone.now()
    profile.onboarding_skipped = False
    profile.save(update_fields=["onboarding_step", "onboarded_at", "onboarding_skipped"])
    rails_changed(profiles=[profile.pk], rescore=True, answer_shows_rescore=True)


def onboarding_skip(*, profile: Profile) -> None:
    """Skip for now: the home page falls back to popular titles until there are signals."""
    profile.onboarding_skipped = True
    # The model's contract: finishing or skipping sets the time, so nobody is asked again.
    profile.onboarded_at = profile.onboarded_at or timezone.now()
    profile.save(update_fields=["onboarding_skipped", "onboarded_at"])
