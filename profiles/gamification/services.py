"""Every gamification write: awarding badges, joining challenges and counting them, the streak
freeze, and the community board choice.

Awarding and counting are idempotent (run them again and nothing changes), so the same code
serves a signal, a retry and the `award_badges` backfill. After a viewing signal commits they
run as one background task (`progress_evaluate`, tasks.py).
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from profiles.gamification.badges import BY_CODE, badges_for, facts_for
from profiles.gamification.challenges import current_week, entry_progress, offers_for
from profiles.models import (
    BadgeAward,
    ChallengeEntry,
    CommunityBoardMember,
    Profile,
    StreakFreeze,
)
from profiles.viewing_history import History, history_for


def badges_award(*, profile: Profile, history: History | None = None) -> list[BadgeAward]:
    """Award every badge whose rule the profile now meets; returns the new awards only."""
    facts = facts_for(profile, history=history)
    have = set(profile.badges.values_list("badge", flat=True))
    now = timezone.now()
    earned = [
        BadgeAward(profile=profile, badge=b.code, earned_at=now)
        for b in badges_for(profile)
        if b.code not in have and b.measure(facts) >= b.target
    ]
    # ignore_conflicts: a concurrent evaluation that awarded the same badge wins, once.
    BadgeAward.objects.bulk_create(earned, ignore_conflicts=True)
    return earned


def badges_announce(*, profile: Profile) -> list:
    """The badges earned since the last toast (marked as shown), as their rules."""
    with transaction.atomic():
        fresh = list(
            profile.badges.select_for_update().filter(announced=False).values_list("pk", "badge")
        )
        BadgeAward.objects.filter(pk__in=[pk for pk, _ in fresh]).update(announced=True)
    return [BY_CODE[code] for _, code in fresh if code in BY_CODE]


def challenge_join(*, profile: Profile, code: str, history: History | None = None):
    """Opt into one of this week's offers (joining twice keeps the first entry)."""
    week = current_week()
    offers = {o.code: o for o in offers_for(profile, week, history or history_for(profile))}
    if code not in offers:
        raise ValidationError("That is not one of this week's challenges.")
    offer = offers[code]
    entry, _ = ChallengeEntry.objects.get_or_create(
        profile=profile, week=week, code=code,
        defaults={"label": offer.label, "params": offer.params, "target": offer.target,
                  "joined_at": timezone.now()},
    )  # fmt: skip
    return entry


def challenges_evaluate(*, profile: Profile, history: History | None = None) -> int:
    """Recount the open challenges of this week and last; returns how many were completed."""
    since = current_week() - timedelta(days=7)
    entries = list(profile.challenges.filter(week__gte=since, completed_at__isnull=True))
    if not entries:
        return 0
    history = history or history_for(profile)
    now, done = timezone.now(), 0
    for entry in entries:
        progress = entry_progress(entry, history)
        if progress == entry.progress:
            continue
        entry.progress = progress
        if progress >= entry.target:
            entry.completed_at, done = now, done + 1
        entry.save(update_fields=["progress", "completed_at"])
    return done


def streak_freeze(*, profile: Profile, week: date) -> StreakFreeze:
    """Keep the streak through `week` (this week or last) without a completed challenge."""
    this_week = current_week()
    if week not in (this_week, this_week - timedelta(days=7)):
        raise ValidationError("Only this week or last week can be frozen.")
    if profile.challenges.filter(week=week, completed_at__isnull=False).exists():
        raise ValidationError("That week already has a completed challenge.")
    month = week.replace(day=1)
    if StreakFreeze.objects.filter(profile=profile, month=month).exists():
        raise ValidationError("The freeze for that month is already used.")
    try:
        with transaction.atomic():
            return StreakFreeze.objects.create(
                profile=profile, week=week, month=month, created_at=timezone.now()
            )
    except IntegrityError:  # a concurrent request used it first: the constraint decides
        raise ValidationError("The freeze for that month is already used.") from None


def community_board_set(*, profile: Profile, joined: bool) -> None:
    """Appear on the community leaderboard, or leave it. Kids profiles never appear there."""
    if joined and profile.is_kids:
        raise ValidationError("Kids profiles only appear on their own household's board.")
    if joined:
        CommunityBoardMember.objects.get_or_create(
            profile=profile, defaults={"joined_at": timezone.now()}
        )
    else:
        CommunityBoardMember.objects.filter(profile=profile).delete()
