"""Rails versions: one number per profile and one for everyone, kept in the cache.

A rendered fragment is stored under the versions it was rendered from, so bumping a version
makes every fragment built before it unreachable. Only `recommender.changes.rails_changed` and
the rails pipeline's own store (`recommender.services.rails_store`) bump them, and always after
the transaction that changed the data has committed.
"""

import time
from collections.abc import Iterable

from django.core.cache import cache

EVERYONE = "everyone"


def version_key(profile_id: int | str) -> str:
    return f"railsver:{profile_id}"


def versions_bump(profile_ids: Iterable[int] = (), *, everyone: bool = False) -> None:
    """New versions, now. Callers run this on commit (see `rails_changed`)."""
    now = time.time_ns()
    keys = [version_key(pk) for pk in profile_ids]
    if everyone:
        keys.append(version_key(EVERYONE))
    if keys:
        cache.set_many(dict.fromkeys(keys, now), None)


def versions_read(profile_id: int) -> tuple[int, int]:
    """(the profile's version, everyone's version). A missing version (a cache that was
    emptied or evicted it) is created afresh, so it can never match a fragment stored before."""
    keys = [version_key(profile_id), version_key(EVERYONE)]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, time.time_ns(), None)
            found[key] = cache.get(key, 0)
    return found[keys[0]], found[keys[1]]
