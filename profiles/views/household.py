"""Who's watching?, PIN unlock, and managing the household's profiles and their preferences."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from profiles.access import SESSION_KEY, current_profile, profile_choose, profile_for_request
from profiles.forms import PinForm, PinProofForm, PreferencesForm, ProfileForm, UnlockForm
from profiles.models import Profile
from profiles.services import (
    GUESS_WINDOW_SECONDS,
    MAX_PROFILES,
    TooManyAttempts,
    pin_change_allowed,
    pin_clear,
    pin_set,
    pin_unlock,
    preferences_for,
    preferences_update,
    profile_create,
    profile_delete,
    profile_update,
)


def adult_profile_required(view):
    """Managing profiles is for an adult profile, or for a household creating its first one.

    Everybody else (a kids profile, or nobody chosen yet) gets a friendly 403 page.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.profile = acting = current_profile(request)
        first_profile = acting is None and not request.user.profiles.exists()
        if not first_profile and (acting is None or acting.is_kids):
            return render(request, "profiles/forbidden.html", {"acting": acting}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _after_choosing(profile: Profile):
    if profile.needs_onboarding and not profile.onboarding_skipped:
        try:
            return redirect(reverse("onboarding:start"))
        except NoReverseMatch:  # onboarding not installed: home shows popular titles
            pass
    return redirect("recommender:home")


@require_GET
@login_required
def picker(request):
    request.profile = acting = current_profile(request)
    profiles = list(request.user.profiles.all())
    may_manage = (acting is not None and not acting.is_kids) or not profiles
    context = {
        "profiles": profiles,
        "managing": bool(may_manage and profiles and request.GET.get("manage") == "1"),
        "may_manage": may_manage,
        "may_add": may_manage and len(profiles) < MAX_PROFILES,
    }
    return render(request, "profiles/picker.html", context)


@require_POST
@login_required
def choose(request, profile_id: int):
    profile = profile_for_request(request, profile_id)
    if profile.is_locked:
        return redirect("profiles:unlock", profile.pk)
    profile_choose(request, profile)
    return _after_choosing(profile)


@require_http_methods(["GET", "POST"])
@login_required
def unlock(request, profile_id: int):
    profile = profile_for_request(request, profile_id)
    if not profile.is_locked:
        return redirect("profiles:picker")
    form = UnlockForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound and form.is_valid():
        try:
            if pin_unlock(profile=profile, pin=form.cleaned_data["pin"]):
                profile_choose(request, profile)
                return _after_choosing(profile)
            form.add_error("pin", "That PIN is not right.")
        except TooManyAttempts as error:
            form.add_error(None, str(error))
            status = 429
    if form.errors:
        status = max(status, 400)
    context = {"form": form, "target": profile}
    response = render(request, "profiles/unlock.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(GUESS_WINDOW_SECONDS)
    return response


@require_http_methods(["GET", "POST"])
@login_required
@adult_profile_required
def new(request):
    form = ProfileForm(request.POST if request.method == "POST" else None, household=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            profile = profile_create(household=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{profile.name}'s profile is ready.")
            return redirect("profiles:picker")
    status = 400 if form.errors else 200
    return render(request, "profiles/profile_form.html", {"form": form}, status=status)


def _edit_page(
    request, target: Profile, *, form=None, pin_form=None, pin_error="", status: int = 200
):
    context = {
        "pin_error": pin_error,
        "target": target,
        "form": form or ProfileForm(household=request.user, profile=target),
        "pin_form": pin_form or PinForm(target=target),
    }
    return render(request, "profiles/profile_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@adult_profile_required
def edit(request, profile_id: int):
    target = profile_for_request(request, profile_id)
    if request.method == "GET":
        return _edit_page(request, target)
    form = ProfileForm(request.POST, household=request.user, profile=target)
    if form.is_valid():
        try:
            profile_update(profile=target, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved {target.name}'s profile.")
            return redirect("profiles:edit", target.pk)
    return _edit_page(request, target, form=form, status=400)


def _pin_proven(form, target: Profile) -> int | None:
    """None when the form proves the right to change the PIN, else the status to answer."""
    try:
        if pin_change_allowed(
            profile=target,
            current_pin=form.cleaned_data.get("current_pin") or "",
            password=form.cleaned_data.get("password") or "",
        ):
            return None
    except TooManyAttempts as error:
        form.add_error(None, str(error))
        return 429
    form.add_error(None, "Enter this profile's current PIN or the account password.")
    return 403


@require_POST
@login_required
@adult_profile_required
def pin_change(request, profile_id: int):
    target = profile_for_request(request, profile_id)
    pin_form = PinForm(request.POST, target=target)
    status = 400
    if pin_form.is_valid():
        status = _pin_proven(pin_form, target)
        if status is None:
            try:
                pin_set(profile=target, pin=pin_form.cleaned_data["pin"])
            except ValidationError as error:
                pin_form.add_error(None, error)
                status = 400
            else:
                messages.success(request, f"{target.name}'s profile is now locked with a PIN.")
                return redirect("profiles:edit", target.pk)
    return _edit_page(request, target, pin_form=pin_form, status=status)


@require_POST
@login_required
@adult_profile_required
def pin_remove(request, profile_id: int):
    target = profile_for_request(request, profile_id)
    proof = PinProofForm(request.POST)
    status = _pin_proven(proof, target) if proof.is_valid() else 400
    if status is not None:
        error = " ".join(proof.non_field_errors()) or "A PIN is exactly four digits."
        return _edit_page(request, target, pin_error=error, status=status)
    pin_clear(profile=target)
    messages.success(request, f"{target.name}'s profile no longer asks for a PIN.")
    return redirect("profiles:edit", target.pk)


@require_http_methods(["GET", "POST"])
@login_required
@adult_profile_required
def delete(request, profile_id: int):
    target = profile_for_request(request, profile_id)
    error = None
    if request.method == "POST":
        try:
            profile_delete(profile=target)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            if request.session.get(SESSION_KEY) == profile_id:
                del request.session[SESSION_KEY]
            messages.success(request, f"Deleted {target.name}'s profile.")
            return redirect("profiles:picker")
    context = {"target": target, "error": error}
    return render(request, "profiles/delete.html", context, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request, profile_id: int):
    target = profile_for_request(request, profile_id)
    request.profile = acting = current_profile(request)
    if acting is None or (acting.is_kids and acting.pk != target.pk):
        return render(request, "profiles/forbidden.html", {"acting": acting}, status=403)
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        preferences=preferences_for(target),
        may_relax=not acting.is_kids,
    )
    context = {"target": target, "form": form}
    if request.method == "POST" and request.htmx:
        return _slider_save(request, form, context)
    if request.method == "POST" and form.is_valid():
        preferences_update(profile=target, **form.changes())
        messages.success(request, "Preferences saved.")
        return redirect("profiles:preferences", target.pk)
    status = 400 if form.errors else 200
    return render(request, "profiles/preferences.html", context, status=status)


def _slider_save(request, form: PreferencesForm, context: dict):
    """An htmx slider change: save that one slider and answer its fragment."""
    name = request.htmx.trigger_name or ""
    if name not in form.slider_names:
        return HttpResponseBadRequest("Unknown slider.")
    change = form.slider_change(name)
    if change is not None:
        preferences_update(profile=context["target"], **change)
    context |= {"field": form[name], "saved": change is not None}
    status = 200 if change is not None else 400
    return render(request, "profiles/preferences.html#slider", context, status=status)
