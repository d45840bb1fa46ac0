"""Who may use the curator studio: signed-in staff holding `curator.use_studio`, which the
`curator` group grants (superusers hold every permission). Anyone else signed in gets 403."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

PERMISSION = "curator.use_studio"


def is_curator(user) -> bool:
    return user.is_authenticated and user.is_staff and user.has_perm(PERMISSION)


def curator_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_curator(request.user):
            raise PermissionDenied("The curator studio is for curators.")
        return view(request, *args, **kwargs)

    return wrapper
