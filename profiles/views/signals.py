"""Viewer signals on a title: feedback, rating, My List, watching. Each answers htmx with the
updated fragment and a plain POST with a redirect back, so everything works without JavaScript."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from profiles.access import title_for_profile
from profiles.decorators import profile_required
from profiles.models import WatchEvent
from profiles.selectors import my_list_titles, title_state
from profiles.services import (
    feedback_set,
    my_list_add,
    my_list_move,
    my_list_remove,
    rating_set,
    watch_event_record,
)


def _answer(request, title, *, fragment: str = "components/title_actions.html") -> HttpResponse:
    if request.htmx:
        state = title_state(profile=request.profile, title=title)
        return render(request, fragment, {"title": title, "state": state})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = title.get_absolute_url()
    return redirect(target)


def _bad(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


@require_POST
@profile_required
def feedback(request, slug: str):
    title = title_for_profile(request.profile, slug)
    try:
        feedback_set(profile=request.profile, title=title, value=request.POST.get("value", ""))
    except ValidationError as error:
        return _bad(error.messages[0])
    return _answer(request, title)


@require_POST
@profile_required
def rate(request, slug: str):
    title = title_for_profile(request.profile, slug)
    try:
        rating_set(profile=request.profile, title=title, stars=float(request.POST.get("stars", "")))
    except (ValueError, ValidationError):
        return _bad("A rating is 0.5 to 5 stars in half steps.")
    return _answer(request, title)


@require_POST
@profile_required
def my_list_toggle(request, slug: str):
    title = title_for_profile(request.profile, slug)
    action = request.POST.get("action")
    if action == "add":
        my_list_add(profile=request.profile, title=title, page=request.POST.get("page", ""))
    elif action == "remove":
        my_list_remove(profile=request.profile, title=title, page=request.POST.get("page", ""))
    else:
        return _bad("action must be add or remove.")
    return _answer(request, title)


@require_GET
@profile_required
def my_list(request):
    titles = list(my_list_titles(profile=request.profile))
    return render(request, "profiles/my_list.html", {"titles": titles})


@require_POST
@profile_required
def my_list_reorder(request, slug: str):
    title = title_for_profile(request.profile, slug)
    try:
        my_list_move(
            profile=request.profile, title=title, to_position=int(request.POST["position"])
        )
    except (KeyError, ValueError):
        return _bad("position must be a whole number.")
    except ValidationError as error:
        return _bad(error.messages[0])
    if request.htmx:
        titles = list(my_list_titles(profile=request.profile))
        return render(request, "profiles/my_list.html#list", {"titles": titles})
    return redirect("signals:my_list")


@require_GET
@profile_required
def player(request, slug: str):
    title = title_for_profile(request.profile, slug)
    state = title_state(profile=request.profile, title=title)
    return render(request, "profiles/player.html", {"title": title, "state": state})


@require_POST
@profile_required
def watch(request, slug: str):
    title = title_for_profile(request.profile, slug)
    duration = title.playback_seconds
    event = request.POST.get("event", WatchEvent.Event.PROGRESS)
    try:
        position = (
            duration
            if event == WatchEvent.Event.COMPLETE
            else int(request.POST.get("position", ""))
        )
        watch_event_record(
            profile=request.profile, title=title, event=event, position=position, duration=duration
        )
    except ValueError:
        return _bad("position must be a whole number of seconds.")
    except ValidationError as error:
        return _bad(error.messages[0])
    return _answer(request, title, fragment="profiles/player.html#progress")
