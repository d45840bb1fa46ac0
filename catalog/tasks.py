"""Background work of the catalogue, for a task queue (django.tasks)."""

from django.tasks import task


@task
def tmdb_sync_task() -> str:
    """The nightly TMDB sync as a task; returns its summary line."""
    from catalog.importers.tmdb.gateway import TMDBGateway
    from catalog.importers.tmdb.sync import tmdb_sync

    gateway = TMDBGateway()
    try:
        return tmdb_sync(gateway=gateway).summary()
    finally:
        gateway.close()
