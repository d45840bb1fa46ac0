"""The onboarding wizard: genres → titles you liked → quick rate → first recommendations.

Every view acts on the session's profile (`request.profile`), so no profile id is in any URL.
Each step works as plain forms and links; htmx swaps only the part that changed.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from catalog.forms import form_rejected
from catalog.models import Kind
from catalog.selectors import titles_for_tiles
from profiles.decorators import profile_required
from profiles.forms import OnboardingGridForm, PickForm, RatingForm
from profiles.onboarding import (
    MAX_GENRES,
    MIN_GENRES,
    MIN_PICKS,
    STEP_DONE,
    STEP_GENRES,
    STEP_NAMES,
    STEP_RATE,
    STEP_TITLES,
    favourite_genre_slugs,
    onboarding_genres,
    onboarding_summary,
    onboarding_title_grid,
    pick_progress,
    quick_rate_cards,
    quick_rate_cards_for,
)
from profiles.selectors import titles_for_profile
from profiles.services import (
    onboarding_finish,
    onboarding_genres_save,
    onboarding_skip,
    onboarding_step_complete,
    onboarding_title_pick,
    onboarding_titles_complete,
    rating_set,
)

STEP_URLS = {
    STEP_GENRES: "onboarding:genres",
    STEP_TITLES: "onboarding:titles",
    STEP_RATE: "onboarding:rate",
    STEP_DONE: "onboarding:done",
}
KIND_TABS = [(Kind.MOVIE, "Movies"), (Kind.SERIES, "Series")]  # 5 of each, on two tabs
# (posted value, what the button shows, what a screen reader says) for ½ to 5 stars.
STAR_CHOICES = [
    (
        f"{n / 2:.1f}",
        f"{n // 2 or ''}{'½' if n % 2 else ''}",
        f"{n / 2:g} star{'' if n == 2 else 's'}",
    )
    for n in range(1, 11)
]
# Titles skipped on the quick-rate step, per profile; a skip is no signal, so it lives in the
# session only.
SKIPPED_KEY = "onboarding_skipped_titles:{profile_id}"


def _step_context(step: int, **context) -> dict:
    return {
        "step": step,
        "steps": list(STEP_NAMES.items()),
        "step_count": len(STEP_NAMES),
    } | context


def _unreached(profile, step: int):
    """A redirect to where the profile is, when the steps before `step` are not done yet."""
    if profile.onboarding_step < step - 1:
        return redirect("onboarding:start")
    return None


def _is_fragment(request) -> bool:
    # A history restore asks for the whole page even though it comes from htmx.
    return bool(request.htmx) and not request.htmx.history_restore_request


@require_GET
@profile_required
def start(request):
    """Send the profile to its first incomplete step (a finished one starts over)."""
    return redirect(STEP_URLS.get(request.profile.onboarding_step + 1, "onboarding:genres"))


def _genres_page(request, *, selected, error: str = "", status: int = 200):
    context = _step_context(
        STEP_GENRES, genres=onboarding_genres(profile=request.profile), selected=set(selected),
        min_genres=MIN_GENRES, max_genres=MAX_GENRES, error=error,
    )  # fmt: skip
    return render(request, "profiles/onboarding/genres.html", context, status=status)


@require_GET
@profile_required
def genres(request):
    return _genres_page(request, selected=favourite_genre_slugs(profile=request.profile))


@require_POST
@profile_required
def genres_save(request):
    slugs = request.POST.getlist("genres")
    try:
        onboarding_genres_save(profile=request.profile, genre_slugs=slugs)
    except ValidationError as error:
        return _genres_page(request, selected=slugs, error=error.messages[0], status=400)
    return redirect("onboarding:titles")


def _grid_url(kind: str, query: str) -> str:
    params = urlencode([(name, value) for name, value in (("kind", kind), ("q", query)) if value])
    return reverse("onboarding:titles") + (f"?{params}" if params else "")


def _titles_context(request, *, kind: str = "", query: str = "", error: str = "") -> dict:
    profile = request.profile
    kind = kind or Kind.MOVIE  # the grid always shows one tab; Movies first
    tabs = [(label, _grid_url(value, query), value == kind) for value, label in KIND_TABS]
    return _step_context(
        STEP_TITLES, kind=kind, q=query, kind_tabs=tabs, error=error, min_picks=MIN_PICKS,
        titles=onboarding_title_grid(profile=profile, kind=kind, query=query),
        progress=(progress := pick_progress(profile=profile)),
        ready=all(part.done for part in progress),
    )  # fmt: skip


@require_GET
@vary_on_headers("HX-Request")
@profile_required
def titles(request):
    if back := _unreached(request.profile, STEP_TITLES):
        return back
    form = OnboardingGridForm(request.GET)
    if not form.is_valid():
        return form_rejected(form)
    template = "profiles/onboarding/titles.html"
    if _is_fragment(request):
        template += "#grid"
    context = _titles_context(request, kind=form.cleaned_data["kind"], query=form.cleaned_data["q"])
    return render(request, template, context)


@require_POST
@profile_required
def title_pick(request, title_id: int):
    profile = request.profile
    title = get_object_or_404(titles_for_tiles(titles_for_profile(profile)), pk=title_id)
    form = PickForm(request.POST)
    if not form.is_valid():
        return form_rejected(form)
    picked, kind, query = (form.cleaned_data[name] for name in ("picked", "kind", "q"))
    onboarding_title_pick(profile=profile, title=title, picked=picked)
    if not _is_fragment(request):
        return redirect(f"{_grid_url(kind, query)}#pick-{title.pk}")
    title.picked = picked
    context = {"title": title, "kind": kind or Kind.MOVIE, "q": query, "oob": True,
               "progress": (progress := pick_progress(profile=profile)),
               "ready": all(part.done for part in progress)}  # fmt: skip
    return render(request, "profiles/onboarding/titles.html#picked", context)


@require_POST
@profile_required
def titles_next(request):
    if back := _unreached(request.profile, STEP_TITLES):
        return back
    try:
        onboarding_titles_complete(profile=request.profile)
    except ValidationError as error:
        context = _titles_context(request, error=error.messages[0])
        return render(request, "profiles/onboarding/titles.html", context, status=400)
    return redirect("onboarding:rate")


def _skipped_ids(request) -> set[int]:
    return set(request.session.get(SKIPPED_KEY.format(profile_id=request.profile.pk), []))


def _skipped_save(request, skipped: set[int] | None) -> None:
    key = SKIPPED_KEY.format(profile_id=request.profile.pk)
    if skipped is None:
        request.session.pop(key, None)
    else:
        request.session[key] = sorted(skipped)


def _rate_page(request, *, error: str = "", status: int = 200):
    cards = quick_rate_cards(profile=request.profile, skipped_ids=_skipped_ids(request))
    context = _step_context(STEP_RATE, cards=cards, star_choices=STAR_CHOICES, error=error)
    return render(request, "profiles/onboarding/rate.html", context, status=status)


@require_GET
@profile_required
def rate(request):
    if back := _unreached(request.profile, STEP_RATE):
        return back
    return _rate_page(request)


@require_POST
@profile_required
def rate_save(request, title_id: int):
    """Rate one quick-rate title (0.5-5 stars), or skip it."""
    profile = request.profile
    title = get_object_or_404(titles_for_tiles(titles_for_profile(profile)), pk=title_id)
    skipped, error = _skipped_ids(request), ""
    if "skip" in request.POST:
        skipped.add(title.pk)
    else:
        form = RatingForm(request.POST)
        if form.is_valid():
            rating_set(
                profile=profile, title=title, stars=form.cleaned_data["stars"], rescore=False
            )
            skipped.discard(title.pk)
        else:
            error = "Choose from ½ to 5 stars."
    _skipped_save(request, skipped)
    status = 400 if error else 200
    if not _is_fragment(request):
        if error:
            return _rate_page(request, error=error, status=status)
        return redirect(f"{reverse('onboarding:rate')}#rate-{title.pk}")
    [card] = quick_rate_cards_for(profile=profile, titles=[title], skipped_ids=skipped)
    context = {"card": card, "star_choices": STAR_CHOICES, "card_error": error}
    return render(request, "profiles/onboarding/rate.html#card", context, status=status)


@require_POST
@profile_required
def rate_next(request):
    if back := _unreached(request.profile, STEP_RATE):
        return back
    onboarding_step_complete(profile=request.profile, step=STEP_RATE)
    return redirect("onboarding:done")


@require_GET
@profile_required
def done(request):
    if back := _unreached(request.profile, STEP_DONE):
        return back
    context = _step_context(STEP_DONE, **onboarding_summary(profile=request.profile))
    return render(request, "profiles/onboarding/done.html", context)


@require_POST
@profile_required
def finish(request):
    """Mark the profile onboarded and compute its first recommendations, then go home."""
    profile = request.profile
    if back := _unreached(profile, STEP_DONE):
        return back
    onboarding_finish(profile=profile)  # scores the first rails, in this request
    _skipped_save(request, None)
    return redirect("recommender:home")


@require_POST
@profile_required
def skip(request):
    """Skip for now: home shows popular titles in the favourite genres until it has signals."""
    onboarding_skip(profile=request.profile)
    _skipped_save(request, None)
    return redirect("recommender:home")
