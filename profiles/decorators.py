from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from profiles.access import current_profile


def profile_required(view):
    """Log in, then pick a profile; the view receives it as `request.profile`."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        profile = current_profile(request)
        if profile is None:
            return redirect("profiles:picker")
        request.profile = profile
        return view(request, *args, **kwargs)

    return wrapper
