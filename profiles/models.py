"""Households, their profiles, and what each profile tells us about its taste.

The signal models here start with what the demo community and the MovieLens import record
(ratings, feedback, watch events); the profiles issue adds the rest of the viewer's signals.
"""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower

from catalog.models import MAX_MATURITY, Title

KIDS_DEFAULT_CEILING = 7


class Accounts(BaseUserManager):
    """Accounts log in by e-mail address; there is no username."""

    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields) -> "Account":
        if not email:
            raise ValueError("An account needs an e-mail address.")
        account = self.model(email=self.normalize_email(email).lower(), **fields)
        account.set_password(password)
        account.save(using=self._db)
        return account

    def create_user(self, email: str, password: str | None = None, **fields) -> "Account":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "Account":
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class Account(AbstractUser):
    """A household's login. It owns up to five profiles."""

    username = None
    email = models.EmailField("e-mail address", unique=True)
    # Simulated community members (demo data, MovieLens users): they give the recommender
    # signal but can never log in.
    is_synthetic = models.BooleanField(default=False, db_index=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = Accounts()

    def __str__(self) -> str:
        return self.email


class Avatar(models.TextChoices):
    SMILE = "smile", "Smile"
    CAT = "cat", "Cat"
    ROBOT = "robot", "Robot"
    GHOST = "ghost", "Ghost"
    POPCORN = "popcorn", "Popcorn"
    OWL = "owl", "Owl"


class Profile(models.Model):
    class Kind(models.TextChoices):
        ADULT = "adult", "Adult"
        KIDS = "kids", "Kids"

    household = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="profiles")
    name = models.CharField(max_length=40)
    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.ADULT)
    maturity_ceiling = models.PositiveSmallIntegerField(default=MAX_MATURITY)
    avatar_colour = models.CharField(max_length=7, default="#e50914")
    # One of the avatars drawn in templates/components/icons.svg (no emoji: they show as empty
    # boxes on machines without a colour-emoji font).
    avatar = models.CharField(max_length=12, choices=Avatar.choices, default=Avatar.SMILE)
    language = models.CharField(max_length=8, default="en")
    movielens_user_id = models.PositiveIntegerField(unique=True, null=True, blank=True)
    # A hashed 4-digit PIN (adult profiles only); empty means unlocked.
    pin_hash = models.CharField(max_length=128, blank=True)
    # Onboarding: the last step completed (0 = not started); finished or skipped sets the time.
    onboarding_step = models.PositiveSmallIntegerField(default=0)
    onboarded_at = models.DateTimeField(null=True, blank=True)
    onboarding_skipped = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Moved on by recommender.versions (after every commit that changes what the profile sees)
    # and keyed into its rendered rails; kept here so that no cache outage can lose a bump.
    rails_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["household", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(maturity_ceiling__lte=MAX_MATURITY),
                name="profile_ceiling_in_scale",
            ),
            # Two concurrent creates passed the form's check; the database has the last word.
            models.UniqueConstraint(
                "household", Lower("name"), name="profile_name_once_per_household"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # A profile loaded before a rails change must not write its older rails_version back.
        saved = not self._state.adding and self.pk is not None
        if saved and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "rails_version"
            ]
        super().save(*args, **kwargs)

    @property
    def is_kids(self) -> bool:
        return self.kind == self.Kind.KIDS

    @property
    def effective_ceiling(self) -> int:
        """The maturity ceiling after the sensitivity setting (which can only lower it)."""
        try:
            return min(self.maturity_ceiling, self.preferences.sensitivity)
        except PreferenceWeights.DoesNotExist:
            return self.maturity_ceiling

    @property
    def genre_weights(self) -> dict[str, float]:
        """Its stated genre weights (slug -> -1..+1); none before it has preferences."""
        try:
            return self.preferences.genre_weights or {}
        except PreferenceWeights.DoesNotExist:
            return {}

    @property
    def is_locked(self) -> bool:
        return bool(self.pin_hash)

    @property
    def needs_onboarding(self) -> bool:
        return self.onboarded_at is None


class PreferenceWeights(models.Model):
    """What a profile told us it likes; the ranking reads these as multipliers and filters."""

    class Runtime(models.TextChoices):
        SHORT = "short", "Short (under 100 min)"
        ANY = "any", "Any length"
        LONG = "long", "Long (over 130 min)"

    class Sensitivity(models.IntegerChoices):
        # The effective ceiling is the lower of the profile's ceiling and this.
        OFF = 18, "No extra filtering"
        TEEN = 14, "Nothing above TV-14 / PG-13"
        FAMILY = 10, "Family (up to TV-PG)"
        YOUNG = 7, "Young viewers (up to PG / TV-Y7)"

    profile = models.OneToOneField(Profile, on_delete=models.CASCADE, related_name="preferences")
    genre_weights = models.JSONField(default=dict, blank=True, help_text="genre slug -> -1..+1")
    runtime = models.CharField(max_length=5, choices=Runtime.choices, default=Runtime.ANY)
    runtime_min = models.PositiveSmallIntegerField(null=True, blank=True)
    runtime_max = models.PositiveSmallIntegerField(null=True, blank=True)
    languages = models.JSONField(default=list, blank=True, help_text="ISO 639-1 codes preferred")
    sensitivity = models.PositiveSmallIntegerField(
        choices=Sensitivity.choices, default=Sensitivity.OFF
    )
    novelty = models.FloatField(default=0.3, help_text="0 = familiar favourites, 1 = surprise me")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "preference weights"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(novelty__gte=0, novelty__lte=1), name="preferences_novelty_0_1"
            ),
        ]

    def __str__(self) -> str:
        return f"Preferences of {self.profile}"


class Rating(models.Model):
    """A star rating, 0.5 to 5 in half steps; one current value per profile and title."""

    # The unique (profile, title) and the (title, created_at) indexes serve these lookups, so
    # the foreign keys need no index of their own (fewer writes on a 25-million-row import).
    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="ratings", db_index=False
    )
    title = models.ForeignKey(
        Title, on_delete=models.CASCADE, related_name="ratings", db_index=False
    )
    value = models.DecimalField(max_digits=2, decimal_places=1)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "title"], name="rating_one_per_title"),
            models.CheckConstraint(
                condition=models.Q(value__gte=0.5, value__lte=5), name="rating_half_to_five"
            ),
        ]
        indexes = [models.Index(fields=["title", "created_at"], name="rating_title_time")]

    def __str__(self) -> str:
        return f"{self.profile_id} rated {self.title_id}: {self.value}"


class Feedback(models.Model):
    class Value(models.TextChoices):
        THUMBS_UP = "up", "Thumbs up"
        THUMBS_DOWN = "down", "Thumbs down"
        LOVE = "love", "Love"
        NOT_INTERESTED = "not_interested", "Not interested"
        SEEN = "seen", "Seen it"  # kept for history and old forms; now the `seen` flag

    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="feedback", db_index=False
    )
    title = models.ForeignKey(
        Title, on_delete=models.CASCADE, related_name="feedback", db_index=False
    )
    # The opinion (thumbs up/down, love, not interested), or "" when there is none.
    value = models.CharField(max_length=14, choices=Value.choices, blank=True)
    # "Seen it" (watched elsewhere) is a fact beside the opinion: loving a title and having
    # seen it are not exclusive, so one never clears the other.
    seen = models.BooleanField(default=False)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name_plural = "feedback"
        constraints = [
            models.UniqueConstraint(fields=["profile", "title"], name="feedback_one_per_title")
        ]
        indexes = [models.Index(fields=["title", "created_at"], name="feedback_title_time")]

    def __str__(self) -> str:
        return f"{self.profile_id} on {self.title_id}: {self.value}"


class WatchEvent(models.Model):
    class Event(models.TextChoices):
        START = "start", "Started"
        PROGRESS = "progress", "Progress"
        COMPLETE = "complete", "Completed"

    profile = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="watch_events", db_index=False
    )
    title = models.ForeignKey(
        Title, on_delete=models.CASCADE, related_name="watch_events", db_index=False
    )
    event = models.CharField(max_length=8, choices=Event.choices)
    position_seconds = models.PositiveIntegerField(default=0)
    duration_seconds = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(db_index=True)
    # Set when the event came from an API client (POST /api/v1/events/): a re-sent event is
    # recognised by it and stored once.
    client_id = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["profile", "-created_at"], name="watch_profile_recent"),
            models.Index(fields=["title", "created_at"], name="watch_title_time"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="watch_client_event_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.event} {self.title_id} at {self.position_seconds}s"


class FeedbackHistory(models.Model):
    """Every feedback a profile gave, changes of mind included; Feedback keeps the current one."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="feedback_history")
    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="+")
    value = models.CharField(
        max_length=14, choices=[*Feedback.Value.choices, ("unseen", "Not seen")], blank=True
    )
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name_plural = "feedback history"
        indexes = [
            models.Index(fields=["profile", "title", "created_at"], name="feedback_hist_lookup")
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} on {self.title_id}: {self.value or 'cleared'}"


class SavedList(models.Model):
    """A profile's list of titles to watch; every profile has one "My List"."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="saved_lists")
    name = models.CharField(max_length=60, default="My List")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "name"], name="saved_list_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} of {self.profile}"


class SavedListItem(models.Model):
    saved_list = models.ForeignKey(SavedList, on_delete=models.CASCADE, related_name="items")
    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="saved_items")
    position = models.PositiveIntegerField(default=0)
    added_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["position", "-added_at"]
        constraints = [
            models.UniqueConstraint(fields=["saved_list", "title"], name="saved_item_once_per_list")
        ]

    def __str__(self) -> str:
        return f"{self.title_id} at {self.position}"


class Interaction(models.Model):
    """A lighter signal with its context: where it happened, which rail, which position."""

    class Kind(models.TextChoices):
        CLICK = "click", "Click"
        VIEW_DETAIL = "view_detail", "Viewed detail page"
        SEARCH = "search", "Search"
        IMPRESSION = "impression", "Rail impression"
        RECOMMENDATION_CLICK = "recommendation_click", "Recommendation click"
        WATCHLIST_ADD = "watchlist_add", "Added to My List"
        WATCHLIST_REMOVE = "watchlist_remove", "Removed from My List"
        RATE = "rate", "Rated"

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="interactions")
    title = models.ForeignKey(
        Title, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    page = models.CharField(max_length=40, blank=True)
    rail_key = models.CharField(max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(null=True, blank=True)
    query = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(db_index=True)
    # Set when the event came from an API client (POST /api/v1/events/): a re-sent event is
    # recognised by it and stored once.
    client_id = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["profile", "-created_at"], name="interaction_profile_recent"),
            models.Index(fields=["kind", "created_at"], name="interaction_kind_time"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="interaction_client_event_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.kind} {self.title_id or self.query}"


class SavedSearch(models.Model):
    """A search a profile wants to come back to, shown as a chip on the search page."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(max_length=80)
    query_string = models.CharField(max_length=500, help_text="The search URL's query string")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "query_string"], name="saved_search_once")
        ]

    def __str__(self) -> str:
        return self.name


class GuessCounter(models.Model):
    """Attempts counted under one key (a profile's PIN, an IP's sign-ups, an address's reset
    mails) since its window started. Kept in the database so a limit holds across web
    processes and through a Redis outage; see profiles/throttle.py."""

    key = models.CharField(max_length=100, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_started = models.DateTimeField(db_index=True)  # stale rows are pruned by it

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


# Gamification's models live with its code (profiles/gamification/); Django finds them here.
from profiles.gamification.models import (  # noqa: E402, F401
    BadgeAward,
    ChallengeEntry,
    CommunityBoardMember,
    StreakFreeze,
)
