"""Rails versions: one number per profile and one for everyone.

A rendered fragment is stored under the versions it was rendered from, so moving a version makes
every fragment built before it unreachable. Only `recommender.changes.rails_changed` moves them,
after the transaction that changed the data has committed.

A profile's version is a column of its row (`Profile.rails_version`), read with the profile
that every page loads anyway, so a cache outage or eviction can never lose a bump. Everyone's
version (title changes: rare) lives in the cache; a missing one is created afresh, so it never
matches a fragment stored before it went missing.
"""

import time
from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import F

from profiles.models import Profile

EVERYONE_KEY = "railsver:everyone"


def versions_bump(profile_ids: Iterable[int] = (), *, everyone: bool = False) -> None:
    """New versions, now. Callers run this on commit (see `rails_changed`)."""
    ids = list(profile_ids)
    if ids:
        Profile.objects.filter(pk__in=ids).update(rails_version=F("rails_version") + 1)
    if everyone:
        cache.set(EVERYONE_KEY, time.time_ns(), None)


def versions_read(profile: Profile) -> tuple[int, int]:
    """(the profile's version, everyone's version)."""
    everyone = cache.get(EVERYONE_KEY)
    if everyone is None:
        cache.add(EVERYONE_KEY, time.time_ns(), None)
        everyone = cache.get(EVERYONE_KEY, 0)
    return profile.rails_version, everyone
