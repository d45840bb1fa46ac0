"""Concurrent clicks against a live, threaded server on PostgreSQL: parallel identical signals,
parallel My List adds, two first visits at once, and recompute_recs while a viewer rates titles.
Nothing may answer 500, the recompute must complete, My List positions stay 0..n-1.

SQLite serialises every write and the test server there answers one request at a time, so these
run on PostgreSQL only (`.ci/run` runs the suite on both)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client

from profiles.models import SavedListItem
from profiles.tests.factories import ProfileFactory
from profiles.tests.sessions import login_as
from recommender.models import CachedRecommendations

pytestmark = pytest.mark.django_db(transaction=True)
CSRF_TOKEN = "concurrencytest0123456789abcdefg"  # 32 characters, as Django's own secrets


@pytest.fixture
def server(live_server, community):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (SQLite serialises all writes)")
    # Each request thread closes its connection, so the test database can be dropped after.
    connections.settings["default"]["CONN_MAX_AGE"] = 0
    call_command("recompute_recs", verbosity=0)
    return live_server


def browser_for(profile) -> requests.Session:
    """A requests session signed in as this profile, with a CSRF cookie and header."""
    client = Client()
    login_as(client, profile)
    session = requests.Session()
    session.cookies.set(
        settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
    )
    session.cookies.set(settings.CSRF_COOKIE_NAME, CSRF_TOKEN)
    session.headers.update({"X-CSRFToken": CSRF_TOKEN, "HX-Request": "true"})
    return session


def in_parallel(calls) -> list[int]:
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return [response.status_code for response in pool.map(lambda call: call(), calls)]


def test_eight_identical_signals_at_once_all_succeed(server, community):
    fan = community["viewers"][1]
    browser = browser_for(fan)
    title = community["titles"]["scifi"][9]
    url = f"{server.url}/title/{title.slug}/feedback/"
    data = {"value": "up", "context": "rail", "next": "/"}
    statuses = in_parallel([lambda: browser.post(url, data=data, timeout=60)] * 8)
    assert statuses == [200] * 8
    assert title.feedback.filter(profile=fan).count() == 1
    keys = list(
        CachedRecommendations.objects.filter(profile=fan).values_list("rail_key", flat=True)
    )
    assert keys and len(keys) == len(set(keys))  # one rail set


def test_eight_my_list_adds_at_once_get_contiguous_positions(server, community):
    fan = community["viewers"][0]
    browser = browser_for(fan)
    titles = community["titles"]["scifi"][:8]
    calls = [
        (lambda t=t: browser.post(
            f"{server.url}/title/{t.slug}/my-list/", data={"action": "add"}, timeout=60
        ))
        for t in titles
    ]  # fmt: skip
    assert in_parallel(calls) == [200] * 8
    positions = sorted(
        SavedListItem.objects.filter(saved_list__profile=fan).values_list("position", flat=True)
    )
    assert positions == list(range(8))


def test_two_first_visits_at_once_store_one_rail_set(server, community):
    newcomer = ProfileFactory()
    browser = browser_for(newcomer)
    statuses = in_parallel([lambda: browser.get(f"{server.url}/", timeout=60)] * 2)
    assert statuses == [200, 200]
    keys = list(
        CachedRecommendations.objects.filter(profile=newcomer).values_list("rail_key", flat=True)
    )
    assert keys and len(keys) == len(set(keys))


def test_recompute_completes_while_a_viewer_rates_titles(server, community):
    fan = community["viewers"][1]
    browser = browser_for(fan)
    titles = community["titles"]["scifi"] + community["titles"]["family"]
    outcome: dict = {}

    def recompute():
        try:
            call_command("recompute_recs", verbosity=0)
            outcome["done"] = True
        except Exception as error:  # reported by the assertion below
            outcome["error"] = error
        finally:
            connections.close_all()

    worker = threading.Thread(target=recompute)
    worker.start()
    statuses, n = [], 0
    while worker.is_alive() or n < 10:
        title = titles[n % len(titles)]
        stars = 1 + n % 5
        response = browser.post(
            f"{server.url}/title/{title.slug}/rate/", data={"stars": stars}, timeout=60
        )
        statuses.append(response.status_code)
        n += 1
    worker.join()
    assert outcome == {"done": True}
    assert set(statuses) == {200}, statuses
    assert CachedRecommendations.objects.filter(profile=fan, rail_key="for-you").count() == 1
