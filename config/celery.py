"""The Celery application whose workers run Marquee's django.tasks (TASKS_BACKEND=celery).

    celery -A config worker --concurrency 2 --loglevel INFO

Tasks are not registered with Celery one by one: `config.task_queue.CeleryBackend` sends every
django task as one generic message, `marquee.run_django_task`, that names the task by its module
path, and the worker imports that task and runs it. A new `@task` anywhere in the project thus
runs on a worker with nothing to register, and only workers and the backend import Celery.
Settings come from Django's, prefixed CELERY_ (config/settings.py).
"""

import os

from celery import Celery
from django.tasks import Task, TaskContext, TaskResult, TaskResultStatus
from django.utils import timezone
from django.utils.module_loading import import_string

from config.threads import one_thread_per_process

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
one_thread_per_process()  # a worker process, before Django's apps import numpy

RUN_DJANGO_TASK = "marquee.run_django_task"

app = Celery("marquee")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name=RUN_DJANGO_TASK, bind=True)
def run_django_task(self, module_path: str, args: list, kwargs: dict) -> None:
    """Run the django task at `module_path`; an exception fails the Celery task (logged)."""
    task_run(module_path, args, kwargs, result_id=self.request.id, worker=self.request.hostname)


def task_run(module_path: str, args: list, kwargs: dict, *, result_id: str, worker: str):
    """On the worker: import the django task named by `module_path` and run it."""
    task = import_string(module_path)
    if not isinstance(task, Task):
        raise TypeError(f"{module_path} is not a django task")
    if not task.takes_context:
        return task.call(*args, **kwargs)
    now = timezone.now()
    result = TaskResult(
        task=task, id=result_id, status=TaskResultStatus.RUNNING, enqueued_at=None,
        started_at=now, last_attempted_at=now, finished_at=None, args=args, kwargs=kwargs,
        backend=task.backend, errors=[], worker_ids=[worker],
    )  # fmt: skip
    return task.call(TaskContext(task_result=result), *args, **kwargs)
