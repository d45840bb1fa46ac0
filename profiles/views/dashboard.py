"""Your Marquee: the dashboard (stats, taste profile, preference sliders with a live For You
preview) and the year in review. Every page is the chosen profile's own (the session's, checked
against the household in profiles.access)."""

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from catalog.models import Genre
from profiles.access import current_profile
from profiles.dashboard.stats import stats_for
from profiles.dashboard.taste_profile import taste_profile
from profiles.dashboard.year_review import MIN_FINISHED, year_review
from profiles.decorators import profile_required
from profiles.forms import PreferencesForm
from profiles.gamification.badges import BY_CODE, badges_for
from profiles.gamification.challenges import current_week, streak
from profiles.services import preferences_for, preferences_update
from profiles.viewing_history import history_for
from recommender.pages import rail_fragment
from recommender.rails import FOR_YOU


def _form(profile, data=None) -> PreferencesForm:
    return PreferencesForm(
        data, preferences=preferences_for(profile), may_relax=not profile.is_kids
    )


def _slider(name: str, label: str, value, error: str = "") -> dict:
    """What the slider partial shows: plain values, not a bound form field (a page of 20
    rendered form fields cost more than the dashboard's queries)."""
    return {"name": name, "label": label, "value": f"{float(value or 0):g}", "error": error}


def _sliders(profile) -> list[dict]:
    # The profile comes with its preferences (profiles.access); a profile without any has none.
    weights = profile.genre_weights
    return [
        _slider(f"genre-{slug}", name, weights.get(slug, 0))
        for slug, name in Genre.objects.order_by("name").values_list("slug", "name")
    ]


@require_GET
@cache_control(private=True)
@profile_required
def dashboard(request):
    profile = request.profile
    history = history_for(profile)
    earned = [
        (BY_CODE[code], at)
        for code, at in profile.badges.values_list("badge", "earned_at")
        if code in BY_CODE
    ]
    context = {
        "stats": stats_for(profile, history=history),
        "taste": taste_profile(profile),
        "sliders": _sliders(profile),
        "preferences_url": reverse("dashboard:preferences"),
        "badges_earned": earned,
        "badges_total": len(badges_for(profile)),
        "open_challenges": profile.challenges.filter(week=current_week()),
        "streak": streak(profile),
        "this_year": timezone.localdate().year,
    }
    return render(request, "profiles/dashboard/dashboard.html", context)


@require_POST
@profile_required
def preferences(request):
    """A slider moved (htmx: save it, answer the slider and the For You preview out of band),
    or the whole slider form without JavaScript (save all, back to the dashboard)."""
    profile = request.profile
    form = _form(profile, request.POST)
    if not request.htmx:
        form.is_valid()  # only the genre sliders are on this form; the other fields keep theirs
        if wrong := [name for name in form.genre_names if name in form.errors]:
            return HttpResponseBadRequest(form.errors[wrong[0]][0])
        weights = {n.removeprefix("genre-"): form.cleaned_data[n] or 0.0 for n in form.genre_names}
        preferences_update(profile=profile, genre_weights=weights)
        messages.success(request, "Preferences saved.")
        return redirect("dashboard:home")
    name = request.htmx.trigger_name or ""
    if name not in form.slider_names:
        return HttpResponseBadRequest("Unknown slider.")
    change = form.slider_change(name)
    if change is not None:
        preferences_update(profile=profile, **change)
    value = form.cleaned_data[name] if change is not None else request.POST.get(name)
    error = " ".join(form.errors.get(name, []))
    try:
        slider = _slider(name, form.fields[name].label, value, error)
    except ValueError:  # not a number: show 0 beside the message
        slider = _slider(name, form.fields[name].label, 0, error)
    context = {
        "slider": slider,
        "saved": change is not None,
        "preferences_url": reverse("dashboard:preferences"),
    }
    html = render_to_string("profiles/dashboard/dashboard.html#slider", context, request=request)
    if change is not None:
        # Read again: the preferences and the rails version moved on with the save.
        request.profile = current_profile(request)
        preview = rail_fragment(request, FOR_YOU) or ""
        html += f'<div id="preview-rail" hx-swap-oob="innerHTML">{preview}</div>'
    return HttpResponse(html, status=200 if change is not None else 400)


@require_GET
@cache_control(private=True)
@profile_required
def preview(request):
    """The For You rail as the profile's preferences now shape it (loaded by the dashboard)."""
    html = rail_fragment(request, FOR_YOU)
    return HttpResponse(html or '<p class="muted">No recommendations yet.</p>')


@require_GET
@cache_control(private=True)
@profile_required
def year(request, year: int):
    if not 1900 <= year <= timezone.localdate().year:
        raise Http404("No year in review for that year.")
    review = year_review(request.profile, year)
    context = {"review": review, "min_finished": MIN_FINISHED}
    return render(request, "profiles/dashboard/year.html", context)
