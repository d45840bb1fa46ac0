"""With the cache hung (SIGSTOP) or dead, every page answers from the database, and a thumbs
down still leaves the home page at once (its version lives on the profile row)."""

import os
import signal

import pytest
from django.core.management import call_command
from django.test import override_settings

from config.redis_cache import breaker_reset
from profiles.tests.sessions import login_as
from recommender.pages import page_rails

pytestmark = pytest.mark.django_db


CACHE = {
    "BACKEND": "config.redis_cache.BreakerRedisCache",
    "OPTIONS": {
        "IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25,
        "BREAKER_SECONDS": 30,
    },
}  # fmt: skip


@pytest.mark.parametrize("fault", ["hung", "dead"])
def test_pages_answer_from_the_database_while_redis_is_down(
    client, community, private_redis, fault
):
    server, url = private_redis
    with override_settings(
        CACHES={"default": CACHE | {"LOCATION": url}},
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
    ):
        call_command("recompute_recs", verbosity=0)
        fan = community["viewers"][1]
        login_as(client, fan)
        target = page_rails(fan)[0].title  # the hero
        assert f"/title/{target.slug}/" in client.get("/").content.decode()  # now cached
        if fault == "hung":
            os.kill(server.pid, signal.SIGSTOP)
        else:
            server.kill()
            server.wait()
        for path in ["/", "/rails/for-you/", target.get_absolute_url(), "/search/?q=scifi"]:
            assert client.get(path).status_code == 200, path
        down = client.post(f"/title/{target.slug}/feedback/", {"value": "down"})
        assert down.status_code == 302
        assert f"/title/{target.slug}/" not in client.get("/").content.decode()
        if fault == "hung":  # Redis comes back with the page cached before the thumbs down
            os.kill(server.pid, signal.SIGCONT)
            breaker_reset()
            assert f"/title/{target.slug}/" not in client.get("/").content.decode()
