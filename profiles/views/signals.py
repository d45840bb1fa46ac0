"""Viewer signals on a title: feedback, rating, My List, watching. Each answers htmx with the
updated fragment and a plain POST with a redirect back, so everything works without JavaScript."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from catalog.search import SearchError, SearchFilters
from profiles.access import title_for_profile
from profiles.decorators import profile_required
from profiles.models import Feedback, SavedSearch, WatchEvent
from profiles.selectors import my_list_titles, title_state
from profiles.services import (
    feedback_set,
    my_list_add,
    my_list_move,
    my_list_remove,
    rating_set,
    saved_search_add,
    watch_event_record,
)
from profiles.taste import feedback_weight
from recommender.pages import tiles_render, versions_bump, with_csrf_token
from recommender.rails import FOR_YOU, page_rails, rails_showing, rails_stocked
from recommender.services import recommendations_refresh


def _answer(request, title, *, fragment: str = "components/title_actions.html", refresh=True):
    """Update the profile's rails now, then answer: the changed rails out-of-band for a tile,
    the fragment for htmx elsewhere, a redirect back for a plain form."""
    from_rail = request.htmx and request.POST.get("context") == "rail"
    showing = rails_showing(request.profile, title) if from_rail else set()
    if refresh:
        recommendations_refresh(profile=request.profile)
    else:
        versions_bump(request.profile.pk)  # the stored rails stand; the pages show the change
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = title.get_absolute_url()
    if from_rail:
        # Back come the rails that showed the title (it leaves or changes in them) and For You
        # (re-ranked around this visit); the others change on the next page load.
        _, rails = page_rails(request.profile, only=showing | {FOR_YOU})
        tiles_render(rails, target)
        context = {"rails": rails, "title": title, "page_path": target}
        html = render_to_string("recommender/rails_oob.html", context, request=request)
        return HttpResponse(with_csrf_token(request, html))
    if request.htmx:
        state = title_state(profile=request.profile, title=title)
        return render(request, fragment, {"title": title, "state": state})
    return redirect(target)


def _bad(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


@require_POST
@profile_required
def feedback(request, slug: str):
    title = title_for_profile(request.profile, slug)
    value = request.POST.get("value", "")
    before = Feedback.objects.filter(profile=request.profile, title=title).first()
    try:
        feedback_set(profile=request.profile, title=title, value=value)
    except ValidationError as error:
        return _bad(error.messages[0])
    # A first thumbs down or "not interested" changes no weight: pages drop the title as they
    # read the stored rails, which are recomputed only once rejections have thinned them out.
    taste_changed = feedback_weight(before.value if before else "") != feedback_weight(value)
    return _answer(request, title, refresh=taste_changed or not rails_stocked(request.profile))


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
    versions_bump(request.profile.pk)  # the My List rail shows the new order
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
    refresh = event == WatchEvent.Event.COMPLETE  # progress does not change the taste profile
    return _answer(request, title, fragment="profiles/player.html#progress", refresh=refresh)


@require_POST
@profile_required
def search_save(request):
    query_string = request.POST.get("query_string", "").lstrip("?")
    try:
        filters = SearchFilters.from_params(QueryDict(query_string))
    except SearchError as error:
        return _bad(str(error))
    if filters.is_empty:
        return _bad("Search for something before saving it.")
    name = request.POST.get("name") or filters.query or "My search"
    saved_search_add(profile=request.profile, name=name, query_string=filters.querystring())
    return redirect(f"{reverse('recommender:search')}?{filters.querystring()}")


@require_POST
@profile_required
def search_forget(request, search_id: int):
    deleted, _ = SavedSearch.objects.filter(pk=search_id, profile=request.profile).delete()
    if not deleted:
        raise Http404("No such saved search on this profile.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("recommender:search")
    return redirect(target)
