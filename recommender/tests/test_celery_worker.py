"""The nightly fan-out on a real Celery worker over Redis (TASKS_BACKEND=celery): recompute_recs
publishes the model and queues the batches; a worker process (`celery -A config worker`) scores
them with that version. Real processes against a database of the test's own, and a Redis
database of its own (14) on the loopback Redis; skipped when no Redis answers there."""

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
            state = json.loads(
                manage(env, "shell", "-v0", "-c", WAIT_FOR_RAILS).stdout.splitlines()[-1]
            )
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
