import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (Redis db in CI, local memory otherwise)."""
    cache.clear()
    yield
    cache.clear()
