"""What the database needs after a bulk write."""

from django.db import connection


def planner_statistics_refresh() -> None:
    """ANALYZE: after a bulk import the query planner has no statistics for the new rows until
    autovacuum's next pass (never, where autovacuum is off), and on PostgreSQL it then plans
    a lookup of a few hundred titles by id as a scan of the whole table. Run after the
    import's transaction has committed; it samples each table, so it takes seconds even at
    ml-25m's size."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
