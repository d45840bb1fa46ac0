"""What a profile has earned and joined. Imported into profiles.models (the app's models)."""

from django.db import models


class BadgeAward(models.Model):
    """A badge a profile earned; once per badge (the rules in badges.py name them by code)."""

    profile = models.ForeignKey("profiles.Profile", on_delete=models.CASCADE, related_name="badges")
    badge = models.CharField(max_length=40)
    earned_at = models.DateTimeField()
    announced = models.BooleanField(default=False, help_text="Its toast has been shown")

    class Meta:
        ordering = ["-earned_at", "badge"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "badge"], name="badge_once_per_profile")
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} earned {self.badge}"


class ChallengeEntry(models.Model):
    """A weekly challenge a profile opted into, with its progress (challenges.py counts it)."""

    profile = models.ForeignKey(
        "profiles.Profile", on_delete=models.CASCADE, related_name="challenges"
    )
    week = models.DateField(help_text="The Monday the challenge week starts on")
    code = models.CharField(max_length=40)
    label = models.CharField(max_length=120)
    params = models.JSONField(default=dict, blank=True)
    target = models.PositiveSmallIntegerField()
    progress = models.PositiveSmallIntegerField(default=0)
    joined_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-week", "code"]
        verbose_name_plural = "challenge entries"
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "week", "code"], name="challenge_once_per_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.week} {self.code}: {self.progress}/{self.target}"

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.progress / self.target)) if self.target else 0


class StreakFreeze(models.Model):
    """A week kept in the challenge streak without a completed challenge: one a month."""

    profile = models.ForeignKey(
        "profiles.Profile", on_delete=models.CASCADE, related_name="streak_freezes"
    )
    week = models.DateField()
    month = models.DateField(help_text="First day of the month of `week`")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "month"], name="freeze_once_per_month"),
            models.UniqueConstraint(fields=["profile", "week"], name="freeze_once_per_week"),
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} froze {self.week}"


class CommunityBoardMember(models.Model):
    """A profile that chose to appear on the community leaderboard (the default is not to)."""

    profile = models.OneToOneField(
        "profiles.Profile", on_delete=models.CASCADE, related_name="community_board"
    )
    joined_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.profile_id} on the community board"
