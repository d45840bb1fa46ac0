"""Precomputed rails. The database rows are the durable copy; pages read them through the cache."""

from django.db import models

from profiles.models import Profile


class CachedRecommendations(models.Model):
    """One rail for one profile (or, with no profile, a rail shared by everyone such as Trending).

    Lists are parallel: title_ids[i] has scores[i], confidence[i] (0..1), reasons[i] and
    reason_title_ids[i]. A rail keeps more candidates than a page shows, so that it can refill at
    once when a viewer rejects a title.

    No title's name is stored: a text that names a title keeps its id (`source_title_id` for a
    heading such as "Because you watched", `reason_title_ids[i]` for a reason such as "Because
    you liked") and the name is added when the page is read, only if the profile may see that
    title then. So a stored rail never outgrows its columns and never leaks a hidden title.
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
    source_title_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The title the heading names (because-you-watched)"
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the home page")
    title_ids = models.JSONField(default=list)
    scores = models.JSONField(default=list)
    confidence = models.JSONField(default=list)
    reasons = models.JSONField(default=list)
    reason_title_ids = models.JSONField(default=list)
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
