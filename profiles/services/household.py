"""Writes for household accounts and their profiles: creation, PIN lock, preferences, and the
guards against guessing passwords and PINs."""

import hashlib
import math

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from catalog.models import MAX_MATURITY, Genre
from profiles.models import (
    KIDS_DEFAULT_CEILING,
    Account,
    PreferenceWeights,
    Profile,
    SavedList,
)
from profiles.throttle import attempt_take, attempts_clear
from recommender.changes import rails_changed

MAX_PROFILES = 5
MY_LIST = "My List"


@transaction.atomic
def profile_create(
    *, household: Account, name: str, kind: str = Profile.Kind.ADULT,
    avatar_colour: str = "#e50914", avatar: str = "smile", language: str = "en",
    maturity_ceiling: int | None = None,
) -> Profile:  # fmt: skip
    # Lock the household row so two concurrent requests cannot both add a sixth profile.
    Account.objects.select_for_update().filter(pk=household.pk).first()
    if household.profiles.count() >= MAX_PROFILES:
        raise ValidationError(f"A household can have at most {MAX_PROFILES} profiles.")
    if maturity_ceiling is None:
        maturity_ceiling = KIDS_DEFAULT_CEILING if kind == Profile.Kind.KIDS else MAX_MATURITY
    if household.profiles.filter(name__iexact=name.strip()).exists():
        raise ValidationError(NAME_TAKEN)
    try:
        with transaction.atomic():
            profile = Profile.objects.create(
                household=household, name=name.strip(), kind=kind, avatar_colour=avatar_colour,
                avatar=avatar, language=language, maturity_ceiling=maturity_ceiling,
            )  # fmt: skip
    except IntegrityError:  # the same name created at the same moment
        raise ValidationError(NAME_TAKEN) from None
    PreferenceWeights.objects.create(profile=profile)
    SavedList.objects.create(profile=profile, name=MY_LIST)
    return profile


def preferences_for(profile: Profile) -> PreferenceWeights:
    preferences, _ = PreferenceWeights.objects.get_or_create(profile=profile)
    return preferences


def pin_set(*, profile: Profile, pin: str) -> None:
    if profile.is_kids:
        raise ValidationError("Kids profiles cannot have a PIN lock.")
    if len(pin) != 4 or not pin.isdigit():
        raise ValidationError("A PIN is exactly four digits.")
    profile.pin_hash = make_password(pin)
    profile.save(update_fields=["pin_hash"])


def pin_clear(*, profile: Profile) -> None:
    profile.pin_hash = ""
    profile.save(update_fields=["pin_hash"])


def pin_matches(*, profile: Profile, pin: str) -> bool:
    return bool(profile.pin_hash) and check_password(pin, profile.pin_hash)


# Accounts, profile management, PIN unlock and preferences.

KIDS_MAX_CEILING = 10
GUESS_WINDOW_SECONDS = 15 * 60
PIN_FAILURES_PER_PROFILE = 5
RESET_MAILS_PER_EMAIL_PER_HOUR = 3
SIGNUPS_PER_IP_PER_HOUR = 5  # each costs a password hash; a household signs up once


NAME_TAKEN = "Another profile in this household already has that name."


class TooManyAttempts(Exception):
    """Guessing a password or a PIN hit its limit; views answer 429 with this message."""


def _email_digest(email: str) -> str:
    # Hashed so that any address makes a safe cache key and none is stored in clear.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def account_create(*, email: str, password: str) -> Account:
    if Account.objects.filter(email__iexact=email.strip()).exists():
        raise ValidationError("An account with this e-mail address already exists.")
    try:
        with transaction.atomic():
            return Account.objects.create_user(email=email.strip(), password=password)
    except IntegrityError:  # signed up twice at the same moment
        raise ValidationError("An account with this e-mail address already exists.") from None


def signup_allowed(*, ip: str) -> bool:
    """At most a few sign-ups an hour from one address (each costs a password hash)."""
    return attempt_take(f"signup:{ip}", limit=SIGNUPS_PER_IP_PER_HOUR, window_seconds=60 * 60)


def password_reset_mail_allowed(*, email: str) -> bool:
    """At most a few reset mails per address an hour, so the form cannot flood an inbox."""
    key = f"reset:{_email_digest(email)}"
    return attempt_take(key, limit=RESET_MAILS_PER_EMAIL_PER_HOUR, window_seconds=60 * 60)


def pin_change_allowed(*, profile: Profile, current_pin: str = "", password: str = "") -> bool:
    """Whether a PIN change or removal on this profile is proven: by its current PIN or by the
    account password. Another adult of the household must not take over a locked profile.
    Wrong proofs count against the profile's PIN limit, like wrong unlocks."""
    if not profile.is_locked:
        return True
    key = f"pin:{profile.pk}"
    if not attempt_take(key, limit=PIN_FAILURES_PER_PROFILE, window_seconds=GUESS_WINDOW_SECONDS):
        raise TooManyAttempts("Too many wrong PINs for this profile. Try again in 15 minutes.")
    if (current_pin and pin_matches(profile=profile, pin=current_pin)) or (
        password and profile.household.check_password(password)
    ):
        attempts_clear(key)
        return True
    return False


def pin_unlock(*, profile: Profile, pin: str) -> bool:
    """Whether the PIN opens the profile; wrong guesses are limited per profile."""
    if not profile.is_locked:
        return True
    key = f"pin:{profile.pk}"
    # The attempt is counted before the PIN is checked, so parallel guesses cannot all slip
    # past one reading of the count; the right PIN then forgives the count.
    if not attempt_take(key, limit=PIN_FAILURES_PER_PROFILE, window_seconds=GUESS_WINDOW_SECONDS):
        raise TooManyAttempts("Too many wrong PINs for this profile. Try again in 15 minutes.")
    if pin_matches(profile=profile, pin=pin):
        attempts_clear(key)
        return True
    return False


def _is_last_adult(profile: Profile) -> bool:
    others = Profile.objects.filter(household_id=profile.household_id, kind=Profile.Kind.ADULT)
    return not profile.is_kids and not others.exclude(pk=profile.pk).exists()


@transaction.atomic
def profile_update(
    *, profile: Profile, name: str, kind: str, maturity_ceiling: int, avatar_colour: str,
    avatar: str = "smile", language: str = "en",
) -> Profile:  # fmt: skip
    # Lock the household so two edits cannot together leave it without an adult.
    Account.objects.select_for_update().filter(pk=profile.household_id).first()
    if kind == Profile.Kind.KIDS and maturity_ceiling > KIDS_MAX_CEILING:
        raise ValidationError(f"A kids profile's ceiling can be at most {KIDS_MAX_CEILING}.")
    if not 0 <= maturity_ceiling <= MAX_MATURITY:
        raise ValidationError("That maturity ceiling is not on the scale.")
    if kind == Profile.Kind.KIDS and _is_last_adult(profile):
        raise ValidationError("A household keeps at least one adult profile.")
    ceiling_before = profile.effective_ceiling
    profile.name, profile.kind, profile.maturity_ceiling = name.strip(), kind, maturity_ceiling
    profile.avatar_colour, profile.avatar = avatar_colour, avatar
    profile.language = language
    if profile.is_kids:
        profile.pin_hash = ""  # kids profiles are never locked
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:  # renamed to a name another profile took at the same moment
        raise ValidationError(NAME_TAKEN) from None
    # A new ceiling or kind changes which titles the rails may hold and name: score them again.
    rails_changed(profiles=[profile.pk], rescore=profile.effective_ceiling != ceiling_before)
    return profile


@transaction.atomic
def profile_delete(*, profile: Profile) -> None:
    Account.objects.select_for_update().filter(pk=profile.household_id).first()
    if _is_last_adult(profile):
        raise ValidationError("A household keeps at least one adult profile.")
    rails_changed(profiles=[profile.pk])
    profile.delete()


def _check_weight(weight: float, *, low: float, high: float, what: str) -> float:
    if not math.isfinite(weight) or not low <= weight <= high:
        raise ValidationError(f"{what} must lie between {low:g} and {high:g}.")
    return round(weight, 2)


@transaction.atomic
def preferences_update(
    *, profile: Profile, genre_weights: dict[str, float] | None = None, runtime: str | None = None,
    runtime_range: tuple[int | None, int | None] | None = None, languages: list[str] | None = None,
    sensitivity: int | None = None, novelty: float | None = None,
) -> PreferenceWeights:  # fmt: skip
    """Change what is given (None keeps the current value).

    Genre weights merge into the saved ones and a weight of 0 removes the genre.
    """
    preferences = PreferenceWeights.objects.select_for_update().get_or_create(profile=profile)[0]
    if genre_weights:
        known = set(Genre.objects.filter(slug__in=genre_weights).values_list("slug", flat=True))
        if unknown := sorted(set(genre_weights) - known):
            raise ValidationError(f"Unknown genre {unknown[0]!r}.")
        weights = dict(preferences.genre_weights)
        for slug, weight in genre_weights.items():
            weights[slug] = _check_weight(weight, low=-1, high=1, what="A genre weight")
            if weights[slug] == 0:
                del weights[slug]
        preferences.genre_weights = weights
    if runtime is not None:
        if runtime not in PreferenceWeights.Runtime.values:
            raise ValidationError(f"Unknown runtime preference {runtime!r}.")
        preferences.runtime = runtime
    if runtime_range is not None:
        low, high = runtime_range
        if (low is not None and low < 1) or (high is not None and high < 1):
            raise ValidationError("Runtimes are whole minutes above zero.")
        if low is not None and high is not None and low > high:
            raise ValidationError("The shortest runtime cannot be longer than the longest.")
        preferences.runtime_min, preferences.runtime_max = low, high
    if languages is not None:
        if any(len(code) != 2 or not code.isalpha() or not code.islower() for code in languages):
            raise ValidationError("Languages are two-letter ISO 639-1 codes such as 'en'.")
        preferences.languages = sorted(set(languages))
    if sensitivity is not None:
        if sensitivity not in PreferenceWeights.Sensitivity.values:
            raise ValidationError("Unknown sensitivity setting.")
        preferences.sensitivity = sensitivity
    if novelty is not None:
        preferences.novelty = _check_weight(novelty, low=0, high=1, what="Novelty")
    preferences.save()
    # The ranking reads the preferences; the dashboard's answer previews the new For You.
    rails_changed(profiles=[profile.pk], rescore=True, answer_shows_rescore=True)
    return preferences
