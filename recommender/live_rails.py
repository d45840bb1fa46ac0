"""The live rails: Continue Watching, My List and New releases, read on every page with rails.

They are never stored: each page reads them from the profile's own rows, so a title started,
saved or released shows at once. `recommender.rails` filters them like every other rail.
"""

from django.db import connection
from django.utils import timezone

from catalog.models import Title
from catalog.selectors import titles_visible
from config.prepared import Prepared
from profiles.models import Profile, WatchEvent

RAIL_SIZE = 20  # the titles a rail shows at a time


def continue_watching_ids(profile: Profile, *, limit: int = RAIL_SIZE) -> dict[int, int]:
    """title id -> percent watched, for titles started and not finished, most recent first.

    Every home page reads it, so it is written in SQL (a window function: each title's latest
    event, in one pass over the profile's events), which saves the ORM compiling a query of
    three correlated subqueries on each request (about 1.9 of its 2.3 ms). The same SQL on
    SQLite and PostgreSQL; the table name comes from the model, the values are parameters."""
    table = connection.ops.quote_name(WatchEvent._meta.db_table)
    sql = f"""
        SELECT title_id, position_seconds, duration_seconds FROM (
          SELECT title_id, event, position_seconds, duration_seconds, created_at, id,
                 ROW_NUMBER() OVER (PARTITION BY title_id ORDER BY created_at DESC, id DESC) AS n
          FROM {table} WHERE profile_id = %s
        ) latest
        WHERE n = 1 AND event <> %s
        ORDER BY created_at DESC, id DESC
        LIMIT %s
    """  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, [profile.pk, WatchEvent.Event.COMPLETE.value, limit])
        rows = cursor.fetchall()
    return {
        title: round(100 * position / duration) if duration else 0
        for title, position, duration in rows
    }


NEW_RELEASES = 60

# Read by every page with rails (home, title pages): compiled once (config/prepared.py).
_new_releases = Prepared(
    lambda ceiling, since: (
        titles_visible(ceiling=ceiling)
        .filter(year__gte=since)
        .order_by("-year", "-release_date", "-popularity")
        .values_list("pk", flat=True)[:NEW_RELEASES]
    ),
    ceiling=int,
    since=int,
)
_my_list = Prepared(
    lambda profile: (
        Title.objects.filter(saved_items__saved_list__profile=profile)
        .order_by("saved_items__position", "-saved_items__added_at")
        .values_list("pk", flat=True)[:RAIL_SIZE]
    ),
    profile=int,
)


def new_release_ids(profile: Profile) -> list[int]:
    """Titles of the last two years the profile may see, newest first."""
    since = timezone.now().year - 2
    return _new_releases.all(ceiling=profile.effective_ceiling, since=since)


def my_list_ids(profile: Profile) -> list[int]:
    """The first page of the profile's My List, in its order."""
    return _my_list.all(profile=profile.pk)
