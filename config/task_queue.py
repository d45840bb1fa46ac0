"""The project's django.tasks backends: Celery workers over the Redis broker, and, without
Celery, in-process after the response.

`AfterResponseBackend` (the "background" alias when TASKS_BACKEND=immediate) runs a task in this
process, as Django's immediate backend does, except that a task enqueued while a request is
being answered waits until that response has been sent: `TasksAfterResponseMiddleware` runs it
when the server closes the response. The viewer gets the answer without waiting for the work
(a signal's re-score); the worker process does it before taking the next request.

The Celery backend:

Selected by TASKS_BACKEND=celery (config/settings.py). `enqueue` publishes one generic Celery
message naming the task by its module path with its JSON arguments; the worker
(`celery -A config worker`, config/celery.py) imports the task and calls it. Results are not
kept (the tasks write theirs to the database), so `get_result` is not supported.

When the broker cannot be reached the task runs in this process instead, as the immediate
backend would, and for OPTIONS["BROKER_DOWN_SECONDS"] (REDIS_BREAKER_SECONDS) after that failure
the process does not try the broker again: a dead or hung Redis costs one short timeout, never
a lost re-score or a 500.
"""

import logging
import threading
from contextvars import ContextVar
from functools import partial

from django.tasks import TaskResult, TaskResultStatus
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.backends.immediate import ImmediateBackend
from django.tasks.signals import task_enqueued
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.json import normalize_json

from config.breaker import Breaker

log = logging.getLogger(__name__)
_breaker = Breaker("task broker unreachable (%s); running tasks in-process for %s s", log)


class CeleryBackend(BaseTaskBackend):
    supports_defer = True  # run_after becomes Celery's eta

    def __init__(self, alias, params):
        super().__init__(alias, params)
        self._inline = ImmediateBackend(alias, params)

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        if _breaker.is_open() and task.run_after is None:
            return self._inline.enqueue(task, args, kwargs)
        from kombu.exceptions import OperationalError

        from config.celery import RUN_DJANGO_TASK, app

        args, kwargs = normalize_json(list(args)), normalize_json(dict(kwargs))
        try:
            sent = app.send_task(
                RUN_DJANGO_TASK,
                args=[task.module_path, args, kwargs],
                queue=task.queue_name,
                eta=task.run_after,
            )
        except (OperationalError, OSError) as error:
            if task.run_after is not None:
                raise
            _breaker.trip(error, self.options.get("BROKER_DOWN_SECONDS", 5))
            return self._inline.enqueue(task, args, kwargs)
        result = _result_ready(task, sent.id, args, kwargs, self.alias, enqueued=True)
        task_enqueued.send(type(self), task_result=result)
        return result


def _result_ready(task, result_id, args, kwargs, alias, *, enqueued: bool) -> TaskResult:
    return TaskResult(
        task=task, id=result_id, status=TaskResultStatus.READY,
        enqueued_at=timezone.now() if enqueued else None, started_at=None,
        last_attempted_at=None, finished_at=None, args=args, kwargs=kwargs, backend=alias,
        errors=[], worker_ids=[],
    )  # fmt: skip


# The tasks enqueued while this request is answered, or None outside a request.
_after_response: ContextVar[list | None] = ContextVar("tasks_after_response", default=None)


class AfterResponseBackend(ImmediateBackend):
    """In this process, after the response of the request that enqueued the task (module doc);
    at once outside a request (commands, the shell, a Celery-less worker)."""

    def enqueue(self, task, args, kwargs):
        pending = _after_response.get()
        if pending is None:
            return super().enqueue(task, args, kwargs)
        self.validate_task(task)
        result_id = get_random_string(32)
        result = _result_ready(task, result_id, args, kwargs, self.alias, enqueued=False)
        pending.append((self, result))
        return result


class TasksAfterResponseMiddleware:
    """Collects the tasks an `AfterResponseBackend` is given during the request and runs them
    when the server closes the response, after sending it (before `request_finished`, so the
    request's database connection is still the one they use). Each task's failure is kept in
    its result and logged, as the immediate backend keeps it; it never reaches the viewer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pending: list = []
        token = _after_response.set(pending)
        try:
            response = self.get_response(request)
        finally:
            _after_response.reset(token)
        if pending:
            with _in_flight:
                _in_flight.count += 1
            # Django's own hook for work at close (FileResponse closes its file there).
            response._resource_closers.append(partial(_tasks_run, pending))
        return response


# How many answered responses still have tasks to run (counted before the response is sent).
_in_flight = threading.Condition()
_in_flight.count = 0


def _tasks_run(pending: list) -> None:
    try:
        for backend, result in pending:
            backend._execute_task(result)
            if result.errors:
                log.error("task %s failed after the response:\n%s", result.task.module_path,
                          result.errors[-1].traceback)  # fmt: skip
    finally:
        with _in_flight:
            _in_flight.count -= 1
            _in_flight.notify_all()


def after_response_pending() -> int:
    """How many answered responses still have tasks to run (a response never closed, as a
    test harness may leave one, stays counted)."""
    with _in_flight:
        return _in_flight.count


def after_response_wait(timeout: float, *, at_most: int = 0) -> bool:
    """Wait until at most `at_most` answered responses still have tasks to run; False if more
    still do after `timeout` seconds. A live-server test's client has its answer before the
    server has run them, so the test waits here before its database is emptied."""
    with _in_flight:
        return _in_flight.wait_for(lambda: _in_flight.count <= at_most, timeout)


def broker_breaker_reset() -> None:
    """Try the broker again at the next enqueue (tests)."""
    _breaker.reset()
