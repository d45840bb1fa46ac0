import pytest

from catalog.tests.tmdb_fake.server import FAKE_KEY, FakeTMDB


@pytest.fixture
def fake_tmdb(settings):
    """A fake TMDB on loopback, with settings pointing at it and fast retries."""
    server = FakeTMDB()
    settings.TMDB_API_KEY = FAKE_KEY
    settings.TMDB_BASE_URL = server.start()
    settings.TMDB_RATE_LIMIT = 200
    settings.TMDB_TIMEOUT = 2
    settings.TMDB_MAX_RETRIES = 3
    settings.TMDB_BACKOFF = 0.05
    yield server
    server.stop()
