"""Title statistics from viewers' activity: vote count, vote average and popularity."""

from collections.abc import Iterable

from django.db import connection

from catalog.models import Title
from profiles.models import Feedback, Rating, WatchEvent

__all__ = ["title_stats_refresh"]


def title_stats_refresh(title_ids: Iterable[int] | None = None) -> None:
    """Recompute vote count, vote average (0-10) and popularity from recorded activity.

    Popularity counts the distinct profiles that rated, gave feedback on or watched a title.
    """
    titles = Title.objects.all()
    if title_ids is not None:
        titles = titles.filter(pk__in=list(title_ids))
    table = connection.ops.quote_name(Title._meta.db_table)
    rating = connection.ops.quote_name(Rating._meta.db_table)
    feedback = connection.ops.quote_name(Feedback._meta.db_table)
    watch = connection.ops.quote_name(WatchEvent._meta.db_table)
    # One UPDATE with correlated subqueries: set-based, the same SQL on SQLite and PostgreSQL.
    # Table names come from the models, quoted; no user input reaches the text.
    sql = f"""
        UPDATE {table} SET
          vote_count = (SELECT COUNT(*) FROM {rating} r WHERE r.title_id = {table}.id),
          vote_average = COALESCE((SELECT ROUND(CAST(AVG(r.value) * 2 AS NUMERIC), 2)
                                   FROM {rating} r WHERE r.title_id = {table}.id), 0),
          popularity = (SELECT COUNT(*) FROM (
                SELECT profile_id FROM {rating} WHERE title_id = {table}.id
                UNION SELECT profile_id FROM {feedback} WHERE title_id = {table}.id
                UNION SELECT profile_id FROM {watch} WHERE title_id = {table}.id) p)
    """  # nosec B608
    if title_ids is not None:
        ids = list(titles.values_list("pk", flat=True))
        if not ids:
            return
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                where = f" WHERE id IN ({', '.join(['%s'] * len(chunk))})"
                cursor.execute(sql + where, chunk)
        return
    with connection.cursor() as cursor:
        cursor.execute(sql)
