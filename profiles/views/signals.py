"""Viewer signals on a title: feedback, rating, My List, watching. Each answers htmx with the
updated fragment and a plain POST with a redirect back, so everything works without JavaScript."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from catalog.forms import form_rejected, plain_bad_request
from catalog.models import Kind
from profiles.access import title_for_profile
from profiles.decorators import profile_required
from profiles.forms import (
    FeedbackForm,
    MyListForm,
    RatingForm,
    ReorderForm,
    SavedSearchForm,
    WatchForm,
)
from profiles.gamification.toasts import with_badge_toasts
from profiles.models import SavedSearch, WatchEvent
from profiles.redirects import safe_local_path
from profiles.selectors import my_list_titles, title_state
from profiles.services import (
    feedback_set,
    my_list_add,
    my_list_move,
    my_list_remove,
    rating_set,
    saved_search_add,
    seen_set,
    watch_event_record,
)
from recommender.kind_pages import kind_rails
from recommender.pages import page_rails, rails_showing_title, tiles_draw, with_csrf_token
from recommender.rails import FOR_YOU, TRENDING


def _rails_before(request, title) -> set[str]:
    """For a tile action: the rails that show the title before the change (they get it back
    re-rendered). Read before the service writes."""
    if request.htmx and request.POST.get("context") == "rail":
        return rails_showing_title(request.profile, title)
    return set()


def _answer(request, title, showing: set[str], *, fragment="components/title_actions.html"):
    """Answer a signal the service has recorded (and re-scored): for a tile, the hero and the
    rails that showed the title out-of-band; the fragment for htmx elsewhere; a redirect back
    for a plain form."""
    target = safe_local_path(request, request.POST.get("next"), title.get_absolute_url())
    kind = request.POST.get("kind") if showing or request.POST.get("context") == "rail" else ""
    if request.htmx and kind in Kind.values:  # a tile on the Movies or Series page: all its rails
        hero, rails = kind_rails(request.profile, kind, whole=False)
        hero = tiles_draw(request.profile, rails, page_path=target, kind=kind, hero=hero)
        context = {"hero": hero, "rails": rails, "title": title, "page_path": target, "kind": kind}
        html = render_to_string("recommender/rails_oob.html", context, request=request)
        return HttpResponse(with_csrf_token(request, html))
    if showing:
        # For You is re-ranked around this visit and feeds the hero (Trending when it is empty).
        hero, rails = page_rails(request.profile, only=showing | {FOR_YOU, TRENDING}, whole=False)
        hero = tiles_draw(request.profile, rails, page_path=target, hero=hero)
        context = {"hero": hero, "rails": rails, "title": title, "page_path": target}
        html = render_to_string("recommender/rails_oob.html", context, request=request)
        return HttpResponse(with_csrf_token(request, html))
    if request.htmx:
        state = title_state(profile=request.profile, title=title)
        return render(request, fragment, {"title": title, "state": state})
    return HttpResponseRedirect(target)


@require_POST
@profile_required
def feedback(request, slug: str):
    title = title_for_profile(request.profile, slug)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return form_rejected(form)
    showing = _rails_before(request, title)
    if form.cleaned_data["seen"]:
        seen_set(profile=request.profile, title=title, seen=form.cleaned_data["seen"] == "1")
    else:
        feedback_set(profile=request.profile, title=title, value=form.cleaned_data["value"])
    return _answer(request, title, showing)


@require_POST
@profile_required
def rate(request, slug: str):
    title = title_for_profile(request.profile, slug)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return form_rejected(form)
    showing = _rails_before(request, title)
    rating_set(profile=request.profile, title=title, stars=form.cleaned_data["stars"])
    return with_badge_toasts(request, _answer(request, title, showing))


@require_POST
@profile_required
def my_list_toggle(request, slug: str):
    title = title_for_profile(request.profile, slug)
    form = MyListForm(request.POST)
    if not form.is_valid():
        return form_rejected(form)
    showing = _rails_before(request, title)
    change = my_list_add if form.cleaned_data["action"] == "add" else my_list_remove
    change(profile=request.profile, title=title, page=form.cleaned_data["page"])
    return _answer(request, title, showing)


@require_GET
@profile_required
def my_list(request):
    titles = list(my_list_titles(profile=request.profile))
    return render(request, "profiles/my_list.html", {"titles": titles})


@require_POST
@profile_required
def my_list_reorder(request, slug: str):
    title = title_for_profile(request.profile, slug)
    form = ReorderForm(request.POST)
    if not form.is_valid():
        return form_rejected(form)
    try:
        my_list_move(
            profile=request.profile, title=title, to_position=form.cleaned_data["position"]
        )
    except ValidationError as error:
        return plain_bad_request(error.messages[0])
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
    form = WatchForm(request.POST)
    if not form.is_valid():
        return form_rejected(form)
    duration, event = title.playback_seconds, form.cleaned_data["event"]
    position = duration if event == WatchEvent.Event.COMPLETE else form.cleaned_data["position"]
    try:
        watch_event_record(
            profile=request.profile, title=title, event=event, position=position, duration=duration
        )
    except ValidationError as error:
        return plain_bad_request(error.messages[0])
    response = _answer(request, title, set(), fragment="profiles/player.html#progress")
    return with_badge_toasts(request, response)


@require_POST
@profile_required
def search_save(request):
    form = SavedSearchForm(request.POST)
    if not form.is_valid():
        return form_rejected(form)
    filters = form.cleaned_data["query_string"]
    name = form.cleaned_data["name"] or filters.query or "My search"
    saved_search_add(profile=request.profile, name=name, query_string=filters.querystring())
    return redirect(f"{reverse('recommender:search')}?{filters.querystring()}")


@require_POST
@profile_required
def search_forget(request, search_id: int):
    deleted, _ = SavedSearch.objects.filter(pk=search_id, profile=request.profile).delete()
    if not deleted:
        raise Http404("No such saved search on this profile.")
    target = safe_local_path(request, request.POST.get("next"), reverse("recommender:search"))
    return HttpResponseRedirect(target)
