"""The Celery task backend (config/task_queue.py) without a worker: what it publishes, the
worker-side runner, and a broker that cannot be reached (the task runs in-process, and the
broker is skipped for a while). test_celery_worker.py runs a real worker."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.tasks import TaskResultStatus, task
from kombu.exceptions import OperationalError

from config import task_queue
from config.celery import RUN_DJANGO_TASK, app, task_run

ROOT = Path(__file__).resolve().parents[2]
calls: list[int] = []


@task
def record(*, value: int) -> int:
    calls.append(value)
    return value * 2


@pytest.fixture
def celery_backend(settings, monkeypatch):
    """TASKS on the Celery backend, with Celery's publishing replaced by `sent`."""
    settings.TASKS = {
        "default": {
            "BACKEND": "config.task_queue.CeleryBackend",
            "OPTIONS": {"BROKER_DOWN_SECONDS": 60},
        }
    }
    calls.clear()
    task_queue.broker_breaker_reset()
    sent = []

    class Sent:
        id = "celery-id-1"

    def send_task(name, **options):
        sent.append((name, options))
        return Sent()

    monkeypatch.setattr(app, "send_task", send_task)
    yield sent
    task_queue.broker_breaker_reset()


def test_enqueue_publishes_one_generic_message_naming_the_task(celery_backend):
    result = record.enqueue(value=3)
    assert result.status == TaskResultStatus.READY and result.id == "celery-id-1"
    assert celery_backend == [
        (
            RUN_DJANGO_TASK,
            {
                "args": ["config.tests.test_task_queue.record", [], {"value": 3}],
                "queue": "default",
                "eta": None,
            },
        )
    ]
    assert calls == []  # the worker's job


def test_the_worker_runs_the_task_named_by_its_module_path():
    calls.clear()
    value = task_run(
        "config.tests.test_task_queue.record", [], {"value": 4}, result_id="x", worker="w"
    )
    assert value == 8 and calls == [4]
    with pytest.raises(TypeError, match="not a django task"):
        task_run("os.getcwd", [], {}, result_id="x", worker="w")


def test_an_unreachable_broker_runs_the_task_here_and_is_skipped_for_a_while(
    celery_backend, monkeypatch
):
    attempts = []

    def broker_down(name, **options):
        attempts.append(name)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(app, "send_task", broker_down)
    first = record.enqueue(value=1)
    second = record.enqueue(value=2)
    assert first.status == second.status == TaskResultStatus.SUCCESSFUL
    assert first.return_value == 2 and calls == [1, 2]
    assert len(attempts) == 1  # the second did not wait on the broker
    task_queue.broker_breaker_reset()
    record.enqueue(value=3)
    assert len(attempts) == 2


def test_the_celery_backend_needs_a_broker():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")
    }
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings", "TASKS_BACKEND": "celery"}
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode != 0
    assert "TASKS_BACKEND=celery needs CELERY_BROKER_URL or REDIS_URL" in done.stderr


HUNG_BROKER = """
import json, time
import django
django.setup()
from config.tests.test_task_queue import calls, record
timings = []
for value in (1, 2):
    started = time.monotonic()
    result = record.enqueue(value=value)
    timings.append([round(time.monotonic() - started, 2), result.status])
print(json.dumps({"timings": timings, "calls": calls}))
"""


def test_a_hung_broker_costs_one_short_timeout_then_tasks_run_here(private_redis, tmp_path):
    """The broker stopped with SIGSTOP (the port accepts, nothing answers): the first enqueue
    waits out the short socket timeout and runs the task here; the next one does not wait."""
    server, url = private_redis
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MARQUEE_VAR_DIR": str(tmp_path),
        "TASKS_BACKEND": "celery",
        "CELERY_BROKER_URL": url,
    }
    os.kill(server.pid, signal.SIGSTOP)
    done = subprocess.run(
        [sys.executable, "-c", HUNG_BROKER], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    (first, first_status), (second, second_status) = report["timings"]
    assert first_status == second_status == "SUCCESSFUL" and report["calls"] == [1, 2]
    assert first <= 4.0  # 1 s to connect, 2 s for an answer, at most
    assert second < 0.5
    assert "task broker unreachable" in done.stderr
