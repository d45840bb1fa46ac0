"""A django.tasks backend that runs tasks on Celery workers over the Redis broker.

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

from django.tasks import TaskResult, TaskResultStatus
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.backends.immediate import ImmediateBackend
from django.tasks.signals import task_enqueued
from django.utils import timezone
from django.utils.json import normalize_json

from config.breaker import Breaker

_breaker = Breaker(
    "task broker unreachable (%s); running tasks in-process for %s s", logging.getLogger(__name__)
)


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
        result = TaskResult(
            task=task, id=sent.id, status=TaskResultStatus.READY, enqueued_at=timezone.now(),
            started_at=None, last_attempted_at=None, finished_at=None, args=args,
            kwargs=kwargs, backend=self.alias, errors=[], worker_ids=[],
        )  # fmt: skip
        task_enqueued.send(type(self), task_result=result)
        return result


def broker_breaker_reset() -> None:
    """Try the broker again at the next enqueue (tests)."""
    _breaker.reset()
