"""Badge and challenge evaluation after a viewing signal, as a background task.

`progress_changed` is called by the signal services inside their transaction; on commit it
enqueues `progress_evaluate` (in-process with the default immediate backend, on a Celery worker
with TASKS_BACKEND=celery), as recommender.changes does for re-scoring.
"""

import logging

from django.db import transaction
from django.tasks import task

from profiles.models import Profile

log = logging.getLogger(__name__)


def progress_changed(*, profile_id: int) -> None:
    transaction.on_commit(lambda: progress_evaluate.enqueue(profile_ids=[profile_id]))


@task
def progress_evaluate(*, profile_ids: list[int]) -> int:
    """Award badges and recount challenges for these profiles; returns how many were done.
    A profile that fails is logged and skipped (the next signal or the backfill retries)."""
    from profiles.gamification.services import badges_award, challenges_evaluate
    from profiles.viewing_history import history_for

    done = 0
    for profile in Profile.objects.filter(pk__in=profile_ids).select_related("preferences"):
        try:
            with transaction.atomic():
                history = history_for(profile)
                badges_award(profile=profile, history=history)
                challenges_evaluate(profile=profile, history=history)
            done += 1
        except Exception:
            log.exception("progress_evaluate: profile %s failed", profile.pk)
    return done
