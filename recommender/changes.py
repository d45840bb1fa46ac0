"""The one invalidation point of the rails pipeline.

Every write that can change what a profile sees calls `rails_changed` inside its transaction:
signals, preferences, a change of ceiling or kind, a profile deletion, a title's certification
or metadata (`catalog.services.titles_update`, through the `titles_changed` signal), a
recompute, and later curator pins, collections and experiments. Nothing else invalidates
anything; docs/rails.md lists the writers.

On commit it (1) re-scores the profiles' stored rails when their taste changed, as a task
(`rails_rescore`: by default in-process after the response has been sent, so the signal's
answer shows the instant patch; on a worker with a queue backend), and (2) bumps their
rails versions, so that the next page renders from the new data. Before the commit nothing
happens: a reader in between renders the old data under the old version, which the bump retires.
"""

import logging
from collections.abc import Iterable

from django.db import transaction
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task

from profiles.models import Profile
from recommender.services import recommendations_refresh
from recommender.versions import versions_bump

log = logging.getLogger(__name__)


def rails_changed(
    *,
    profiles: Iterable[int] = (),
    everyone: bool = False,
    rescore: bool = False,
    answer_shows_rescore: bool = False,
) -> None:
    """What these profiles (or everyone) see has changed; `rescore` when their taste did.

    A request's re-score runs after its response by default (the answer shows the instant
    patch); `answer_shows_rescore` runs it first, for an answer made of the new rails
    (onboarding's first home page, a preferences preview). With Celery both go to a worker."""
    profile_ids = sorted({int(pk) for pk in profiles})

    def apply() -> None:
        if rescore and profile_ids:
            task = rails_rescore
            if answer_shows_rescore:
                task = rails_rescore.using(backend=DEFAULT_TASK_BACKEND_ALIAS)
            task.enqueue(profile_ids=profile_ids)
        versions_bump(profile_ids, everyone=everyone)

    transaction.on_commit(apply)


def catalogue_changed(sender, *, title_ids=None, **kwargs) -> None:
    """Titles changed (`catalog.signals.titles_changed`, sent on commit): everyone's pages."""
    rails_changed(everyone=True)


@task(backend="background")  # after the response when a request enqueues it
def rails_rescore(*, profile_ids: list[int]) -> int:
    """Recompute these profiles' stored rails from their current signals; returns how many.
    A profile that fails is logged and skipped (its old rails stay)."""
    done = 0
    for profile in Profile.objects.filter(pk__in=profile_ids).select_related("preferences"):
        try:
            with transaction.atomic():
                recommendations_refresh(profile=profile)
                rails_changed(profiles=[profile.pk])
            done += 1
        except Exception:
            log.exception("rails_rescore: profile %s failed; its old rails stay", profile.pk)
    return done
