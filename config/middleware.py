"""Request checks that hold for every view, before any of them runs."""

from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(query_dict) -> bool:
    return any(
        "\x00" in key or any("\x00" in v for v in values) for key, values in query_dict.lists()
    )


def bad_request(request, message: str) -> HttpResponse:
    """The styled 400 page, naming what was wrong; under /api/, the API's error shape."""
    if request.path.startswith("/api/"):
        return JsonResponse({"error": "invalid", "detail": message}, status=400)
    return HttpResponseBadRequest(render_to_string("400.html", {"message": message}, request))


class RejectNulBytesMiddleware:
    """A NUL character in a query parameter or form field is a 400 everywhere.

    PostgreSQL refuses NUL in text, so one such character reaching a query is a 500; no field in
    Marquee has a use for it, and Django's forms reject it too (ProhibitNullCharactersValidator).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET) or "\x00" in request.path:
            return bad_request(request, "Text may not contain NUL characters.")
        is_form = request.method == "POST" and request.content_type in FORM_CONTENT_TYPES
        if is_form and _has_nul(request.POST):
            return bad_request(request, "Text may not contain NUL characters.")
        return self.get_response(request)
