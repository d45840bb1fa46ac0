"""Precomputed rails. The database rows are the durable copy; pages read them through the cache."""

from django.db import models

from profiles.models import Profile


class CachedRecommendations(models.Model):
    """One rail for one profile (or, with no profile, a rail shared by everyone such as Trending).

    Lists are parallel: title_ids[i] has scores[i], confidence[i] (0..1) and reasons[i]. A rail
    keeps more candidates than a page shows, so that it can refill at once when a viewer rejects
    a title.
    """

    profile = models.ForeignKey(
        Profile,
        on_delete=models.CASCADE,
        related_name="cached_recommendations",
        null=True,
        blank=True,
    )
    rail_key = models.CharField(max_length=80)
    heading = models.CharField(max_length=160)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the home page")
    title_ids = models.JSONField(default=list)
    scores = models.JSONField(default=list)
    confidence = models.JSONField(default=list)
    reasons = models.JSONField(default=list)
    engine_version = models.CharField(max_length=40, blank=True)
    variant = models.CharField(max_length=40, blank=True, help_text="A/B experiment variant")
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "cached recommendations"
        ordering = ["profile", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "rail_key"],
                condition=models.Q(profile__isnull=False),
                name="cached_rail_unique_per_profile",
            ),
            models.UniqueConstraint(
                fields=["rail_key"],
                condition=models.Q(profile__isnull=True),
                name="cached_rail_unique_shared",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rail_key} for {self.profile_id or 'everyone'}"


class RecomputeLock(models.Model):
    """Held by a running recompute_recs (one row per shard) so a second run refuses to start."""

    name = models.CharField(max_length=40, unique=True)
    owner = models.CharField(max_length=200)
    acquired_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} held by {self.owner}"
