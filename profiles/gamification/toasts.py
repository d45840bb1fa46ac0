"""The "badge earned" toast: badges awarded since the last toast, added out of band to an htmx
answer (templates/profiles/dashboard/_toasts.html swaps into base.html's #toasts)."""

from django.contrib import messages
from django.http import HttpResponse
from django.template.loader import render_to_string

from profiles.gamification.services import badges_announce


def with_badge_toasts(request, response: HttpResponse) -> HttpResponse:
    """Announce fresh badges: a toast on an htmx answer, a message on a plain one's next page.
    With a queue backend the evaluation may finish later; the next signal's answer shows it."""
    if response.status_code >= 400 or getattr(response, "streaming", False):
        return response
    fresh = badges_announce(profile=request.profile)
    if not fresh:
        return response
    if request.htmx and response.status_code == 200:
        response.content += render_to_string(
            "profiles/dashboard/_toasts.html", {"toasts": fresh}, request=request
        ).encode()
    else:
        for badge in fresh:
            messages.success(request, f"Badge earned: {badge.name} — {badge.description}")
    return response
