"""Background work on a real Celery worker over Redis (TASKS_BACKEND=celery): recompute_recs
publishes the model and queues the batches, a worker process (`celery -A config worker`) scores
them with that version, and then re-scores a profile after a signal. Real processes against a
database of the test's own, and a Redis database of its own (14) on the loopback Redis; skipped
when no Redis answers there."""

import json
import os
import signal
import socket
import subprocess
import sys

import pytest

from recommender.tests.processes import ROOT, manage, site_environment

BROKER = "redis://127.0.0.1:6379/14"
WAIT_FOR_RAILS = """
import json, time
from recommender.artifacts import current_version
from recommender.models import CachedRecommendations
from recommender.recompute import profiles_to_recompute
wanted = set(profiles_to_recompute(profile_id=None, active_since=None, shard=(0, 1)))
version = current_version()
deadline = time.monotonic() + 25
while True:
    done = set(CachedRecommendations.objects.filter(
        profile_id__in=wanted, engine_version=version).values_list("profile_id", flat=True))
    if done == wanted or time.monotonic() > deadline:
        break
    time.sleep(0.2)
from django.test import Client
health = Client().get("/health/?format=json", HTTP_HOST="127.0.0.1").json()
print(json.dumps({"version": version, "wanted": sorted(wanted), "done": sorted(done),
                  "health": health}))
"""

# A thumbs up after the night: the re-score runs on the worker, not in this process.
RESCORE_ON_THE_WORKER = """
import json, time
from catalog.models import Title
from profiles.demo_household import DEMO_EMAIL
from profiles.models import Account
from profiles.services import feedback_set
from recommender import changes
from recommender.models import CachedRecommendations
ran_here = []
real_refresh = changes.recommendations_refresh
changes.recommendations_refresh = lambda **kw: ran_here.append(1) or real_refresh(**kw)
profile = Account.objects.get(email=DEMO_EMAIL).profiles.order_by("pk").first()
rails = CachedRecommendations.objects.filter(profile=profile, rail_key="for-you")
before = rails.get().computed_at
title = Title.objects.exclude(pk__in=rails.get().title_ids).order_by("-popularity").first()
feedback_set(profile=profile, title=title, value="up")
deadline = time.monotonic() + 15
while rails.get().computed_at == before and time.monotonic() < deadline:
    time.sleep(0.1)
print(json.dumps({"ran_here": bool(ran_here), "rescored": rails.get().computed_at != before}))
"""


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.fixture
def broker():
    if not redis_reachable():
        pytest.skip("no Redis on 127.0.0.1:6379 for the Celery broker")
    import redis

    client = redis.Redis.from_url(BROKER)
    client.flushdb()  # nothing queued by an earlier, interrupted run
    yield BROKER
    client.flushdb()
    client.close()


@pytest.fixture
def worker_log(tmp_path):
    return tmp_path / "worker.log"


@pytest.mark.django_db
def test_a_celery_worker_runs_the_nightly_fan_out(tmp_path, broker, worker_log):
    with site_environment(tmp_path) as (env, _):
        env |= {"TASKS_BACKEND": "celery", "CELERY_BROKER_URL": broker}
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_demo", "--members", "40", "-v0")
        with open(worker_log, "w") as log:
            worker = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
                 "--without-mingle", "--without-gossip", "--without-heartbeat",
                 "--hostname", "test-worker@%h", "--loglevel", "INFO"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            run = manage(env, "recompute_recs", "-v1")
            # One process (Django starts in seconds): wait for the night, then a signal.
            after = manage(env, "shell", "-v0", "-c", WAIT_FOR_RAILS + RESCORE_ON_THE_WORKER)
            state, rescore = (json.loads(line) for line in after.stdout.splitlines()[-2:])
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(worker.pid, signal.SIGKILL)
                worker.wait()
    output = worker_log.read_text()
    assert "profiles queued for the task workers" in run.stdout, run.stdout
    assert state["wanted"] and state["done"] == state["wanted"], output
    assert "marquee.run_django_task" in output and "succeeded" in output, output
    celery_check = [v for k, v in state["health"].items() if "Ping" in k]
    assert celery_check == ["OK"], state["health"]
    assert rescore == {"ran_here": False, "rescored": True}, after.stderr + output
    assert output.count("succeeded in") == 2, output  # the night's one batch, then the re-score
