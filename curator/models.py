"""What curators decide: pins, collections, hero overrides, experiments, and the audit log.

Scheduled things (pins, collections, hero overrides) are live from `starts_at` (empty: at once)
until `ends_at` (empty: for good), for an audience. Titles are kept as ids of real titles; the
kids ceiling is applied when a page reads them, never when a curator saves them, so an R title
in a collection is simply left out for a kids profile.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from catalog.models import Title
from profiles.models import Profile


class Audience(models.TextChoices):
    ALL = "all", "Everyone"
    ADULTS = "adults", "Adult profiles"
    KIDS = "kids", "Kids profiles"


def audience_of(profile: Profile) -> str:
    return Audience.KIDS if profile.is_kids else Audience.ADULTS


class Scheduled(models.Model):
    audience = models.CharField(max_length=6, choices=Audience.choices, default=Audience.ALL)
    starts_at = models.DateTimeField(null=True, blank=True, help_text="Empty: from now on")
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Empty: no end")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @staticmethod
    def live_filter(now, audience: str) -> Q:
        """Rows live at `now` for an audience ("adults" or "kids")."""
        return (
            (Q(starts_at__isnull=True) | Q(starts_at__lte=now))
            & (Q(ends_at__isnull=True) | Q(ends_at__gt=now))
            & Q(audience__in=[Audience.ALL, audience])
        )

    def status(self, now) -> str:
        if self.starts_at and self.starts_at > now:
            return "scheduled"
        if self.ends_at and self.ends_at <= now:
            return "ended"
        return "live"


class Pin(Scheduled):
    """A title pinned into a named rail (for-you, trending, new, a genre or collection rail) at
    a position (1 is the first tile)."""

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="pins")
    rail_key = models.SlugField(max_length=60)
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["rail_key", "position", "id"]

    def __str__(self) -> str:
        return f"{self.title} in {self.rail_key} at {self.position}"


class Collection(Scheduled):
    """A curated rail on the home page, at `position` among the rails (1 is the first)."""

    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=3)
    titles = models.ManyToManyField(Title, through="CollectionItem", related_name="collections")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def rail_key(self) -> str:
        return f"collection-{self.pk}"


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["collection", "order"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "title"], name="collection_title_once")
        ]

    def __str__(self) -> str:
        return f"{self.title_id} at {self.order}"


class HeroOverride(Scheduled):
    """The home page's hero for an audience while live (the newest live one wins)."""

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="hero_overrides")
    message = models.CharField(max_length=160, blank=True, help_text="Shown as the hero's reason")

    class Meta:
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return f"hero {self.title} for {self.audience}"


class Experiment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft"
        RUNNING = "running"
        STOPPED = "stopped"
        SHIPPED = "shipped"

    name = models.CharField(max_length=120)
    salt = models.CharField(max_length=32, help_text="Hashed with the household id")
    rail_keys = models.JSONField(default=list, help_text="Rails whose ranking the variants set")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    started_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    winner = models.ForeignKey(
        "Variant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    offline_report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_locked(self) -> bool:
        """Settings are fixed once the experiment has started."""
        return self.status != self.Status.DRAFT


class Variant(models.Model):
    """A ranking configuration for the experiment's rails."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="variants")
    name = models.SlugField(max_length=40)
    is_control = models.BooleanField(default=False)
    weight = models.PositiveSmallIntegerField(default=50, help_text="Share of new households")
    algorithm = models.CharField(max_length=20, default="engine")
    diversity = models.FloatField(null=True, blank=True, help_text="Empty: the profile's own")
    popularity_weight = models.FloatField(default=0.0)
    session_lift = models.BooleanField(default=True)

    class Meta:
        ordering = ["experiment", "-is_control", "id"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "name"], name="variant_name_once")
        ]

    def __str__(self) -> str:
        return f"{self.experiment_id}:{self.name}"

    @property
    def label(self) -> str:
        """What stored rails carry in their `variant` column."""
        return f"x{self.experiment_id}:{self.name}"

    def config(self) -> dict:
        return {
            "label": self.label,
            "algorithm": self.algorithm,
            "diversity": self.diversity,
            "popularity_weight": self.popularity_weight,
            "session_lift": self.session_lift,
            "rail_keys": list(self.experiment.rail_keys),
        }


class Assignment(models.Model):
    """A household's variant, written the first time it is exposed; never moved afterwards."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="assignments")
    household = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="assignments")
    bucket = models.PositiveIntegerField()
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["experiment", "household"], name="assignment_once_per_household"
            )
        ]

    def __str__(self) -> str:
        return f"household {self.household_id} in {self.variant}"


class ExperimentEvent(models.Model):
    """An impression (a rail of the experiment rendered with tiles) or a click (a tile followed
    from it). Downstream outcomes are read from the viewers' own signals (selectors)."""

    class Kind(models.TextChoices):
        IMPRESSION = "impression"
        CLICK = "click"

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="events")
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="events")
    household = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    rail_key = models.CharField(max_length=60, blank=True)
    title_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["experiment", "kind", "variant"], name="experiment_event_kind"),
            models.Index(
                fields=["experiment", "household", "title_id"], name="experiment_event_title"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.rail_key} ({self.variant})"


class AuditEntry(models.Model):
    """One curator change: who, when, what, and the object before and after."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField(null=True)
    summary = models.CharField(max_length=300)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        permissions = [("use_studio", "Can use the curator studio")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type}"
