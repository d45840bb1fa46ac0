"""The default "background" task backend (config/task_queue.py): a task enqueued while a request
is answered runs after its response has been sent; outside a request it runs at once."""

import logging

import pytest
from django.http import HttpResponse
from django.tasks import TaskResultStatus, task
from django.test import RequestFactory

from catalog.tests.factories import TitleFactory
from config.task_queue import (
    TasksAfterResponseMiddleware,
    after_response_pending,
    after_response_wait,
)
from profiles.models import Feedback
from profiles.tests.factories import ProfileFactory
from profiles.tests.sessions import login_as
from profiles.views import signals
from recommender.changes import rails_changed
from recommender.models import CachedRecommendations

# Closing a response sends request_finished, whose receivers touch the database connection.
pytestmark = pytest.mark.django_db
calls: list[str] = []


@task(backend="background")
def remember(*, value: str) -> str:
    calls.append(value)
    return value


@task(backend="background")
def fail() -> None:
    raise RuntimeError("the task broke")


@pytest.fixture(autouse=True)
def fresh_calls():
    calls.clear()


def _view(enqueue):
    def view(request):
        enqueue()
        return HttpResponse(f"answered with {list(calls)}")

    return view


def test_outside_a_request_the_task_runs_at_once():
    result = remember.enqueue(value="now")
    assert calls == ["now"] and result.status == TaskResultStatus.SUCCESSFUL


def test_a_task_enqueued_by_a_request_runs_when_the_response_is_closed():
    results = []
    middleware = TasksAfterResponseMiddleware(
        _view(lambda: results.append(remember.enqueue(value="later")))
    )
    response = middleware(RequestFactory().get("/"))
    assert response.content == b"answered with []"  # the answer did not wait for it
    assert calls == [] and results[0].status == TaskResultStatus.READY
    response.close()  # what the WSGI server does once the body has been sent
    assert calls == ["later"] and results[0].status == TaskResultStatus.SUCCESSFUL
    assert remember.enqueue(value="after") and calls == ["later", "after"]  # request over


def test_a_failing_task_is_logged_and_the_others_still_run(caplog):
    def enqueue():
        fail.enqueue()
        remember.enqueue(value="second")

    response = TasksAfterResponseMiddleware(_view(enqueue))(RequestFactory().get("/"))
    with caplog.at_level(logging.ERROR, logger="config.task_queue"):
        response.close()
    assert calls == ["second"]
    assert "config.tests.test_tasks_after_response.fail failed" in caplog.text
    assert "the task broke" in caplog.text


def test_waiting_for_the_tasks_after_responses_ends_when_they_have_run():
    """What a live-server test waits for before its database is emptied (conftest.py)."""
    response = TasksAfterResponseMiddleware(_view(lambda: remember.enqueue(value="later")))(
        RequestFactory().get("/")
    )
    before = after_response_pending() - 1  # others a test harness never closed may count
    assert after_response_wait(timeout=0.01, at_most=before) is False  # its task not run yet
    response.close()
    assert after_response_wait(timeout=0.01, at_most=before) is True and calls == ["later"]
    failing = TasksAfterResponseMiddleware(_view(fail.enqueue))(RequestFactory().get("/"))
    assert after_response_pending() == before + 1
    failing.close()
    assert after_response_wait(timeout=0.01, at_most=before) is True  # a failed one is done


def _stored(profile) -> set[int]:
    return set(CachedRecommendations.objects.filter(profile=profile).values_list("pk", flat=True))


def test_a_thumbs_up_answers_before_the_rescore_which_then_replaces_the_rails(client, monkeypatch):
    """The signal's answer shows the instant patch; the stored rails are re-scored right after
    it (Django's test client closes the response as a server does)."""
    profile = ProfileFactory()
    login_as(client, profile)
    TitleFactory.create_batch(5)
    title = TitleFactory()
    assert client.get("/").status_code == 200  # the profile's rails are stored
    before = _stored(profile)
    during_answer = []
    answer = signals._answer

    def watched(request, *args, **kwargs):
        during_answer.append(_stored(profile))
        return answer(request, *args, **kwargs)

    monkeypatch.setattr(signals, "_answer", watched)
    response = client.post(f"/title/{title.slug}/feedback/", {"value": "up"})
    assert response.status_code == 302
    assert Feedback.objects.get(profile=profile, title=title).value == "up"
    assert before and during_answer == [before]  # not re-scored while answering
    after = _stored(profile)
    assert after and not after & before  # stored again once the response was closed


def test_a_rescore_the_answer_shows_runs_before_the_response(client):
    """Onboarding's finish and a preferences preview answer with the new rails."""
    profile = ProfileFactory()
    login_as(client, profile)
    TitleFactory.create_batch(5)
    assert client.get("/").status_code == 200
    before = _stored(profile)
    during_answer = []

    def view(request):
        rails_changed(profiles=[profile.pk], rescore=True, answer_shows_rescore=True)
        during_answer.append(_stored(profile))
        return HttpResponse("ok")

    response = TasksAfterResponseMiddleware(view)(RequestFactory().get("/"))
    assert during_answer[0] and not during_answer[0] & before  # re-scored before answering
    response.close()
