"""Sign up, sign in (rate-limited against guessing) and the password-reset pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from profiles.forms import LoginForm, PasswordResetRequestForm, SignupForm
from profiles.redirects import safe_local_path
from profiles.services import account_create, signup_allowed
from profiles.throttle import client_ip


def _next_url(request) -> str:
    """Where to go after signing in: a safe `next` from the form or query, else the picker."""
    candidate = request.POST.get("next") or request.GET.get("next")
    return safe_local_path(request, candidate, resolve_url(settings.LOGIN_REDIRECT_URL))


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("password1", "password2")
@never_cache
def signup(request):
    if request.user.is_authenticated:
        return redirect("profiles:picker")
    form = SignupForm(request.POST if request.method == "POST" else None)
    if form.is_bound and not signup_allowed(ip=client_ip(request)):
        response = render(
            request,
            "registration/signup.html",
            {"form": SignupForm(), "throttled": True},
            status=429,
        )
        response["Retry-After"] = "3600"
        return response
    if form.is_bound and form.is_valid():
        try:
            account = account_create(
                email=form.cleaned_data["email"], password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            auth_login(request, account, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome to Marquee! Add a profile for everyone who watches.")
            return redirect("profiles:picker")
    status = 400 if form.errors else 200
    return render(request, "registration/signup.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("password")
@never_cache
def login(request):
    next_url = _next_url(request)
    if request.user.is_authenticated:
        return HttpResponseRedirect(next_url)
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        auth_login(request, form.get_user())
        return HttpResponseRedirect(next_url)
    status = 400 if form.errors else 200
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "registration/login.html", context, status=status)


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in (site or admin): the sign-in page, 429."""
    context = {
        "form": LoginForm(request),
        "locked_out": True,
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    response = render(request, "registration/login.html", context, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


# Django's password-reset views, with our templates and a form that limits the mails sent.
password_reset = auth_views.PasswordResetView.as_view(
    form_class=PasswordResetRequestForm,
    template_name="registration/password_reset_form.html",
    email_template_name="registration/password_reset_email.html",
    subject_template_name="registration/password_reset_subject.txt",
    success_url=reverse_lazy("password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="registration/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="registration/password_reset_confirm.html",
    success_url=reverse_lazy("password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="registration/password_reset_complete.html"
)
