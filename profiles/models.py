"""Households, their profiles, and what each profile tells us about its taste.

The signal models here start with what the demo community and the MovieLens import record
(ratings, feedback, watch events); the profiles issue adds the rest of the viewer's signals.
"""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models

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


class Profile(models.Model):
    class Kind(models.TextChoices):
        ADULT = "adult", "Adult"
        KIDS = "kids", "Kids"

    household = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="profiles")
    name = models.CharField(max_length=40)
    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.ADULT)
    maturity_ceiling = models.PositiveSmallIntegerField(default=MAX_MATURITY)
    avatar_colour = models.CharField(max_length=7, default="#e50914")
    avatar_emoji = models.CharField(max_length=8, blank=True)
    language = models.CharField(max_length=8, default="en")
    movielens_user_id = models.PositiveIntegerField(unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["household", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(maturity_ceiling__lte=MAX_MATURITY),
                name="profile_ceiling_in_scale",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_kids(self) -> bool:
        return self.kind == self.Kind.KIDS


class Rating(models.Model):
    """A star rating, 0.5 to 5 in half steps; one current value per profile and title."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="ratings")
    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="ratings")
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
        SEEN = "seen", "Seen it"

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="feedback")
    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="feedback")
    value = models.CharField(max_length=14, choices=Value.choices)
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

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="watch_events")
    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="watch_events")
    event = models.CharField(max_length=8, choices=Event.choices)
    position_seconds = models.PositiveIntegerField(default=0)
    duration_seconds = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["profile", "-created_at"], name="watch_profile_recent"),
            models.Index(fields=["title", "created_at"], name="watch_title_time"),
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.event} {self.title_id} at {self.position_seconds}s"
