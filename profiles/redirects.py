"""Where to send a viewer next: a `next` parameter is followed only when it is a local path."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_local_path(request: HttpRequest, candidate: str | None, default: str) -> str:
    """`candidate` if it is a path on this site ("/search/?q=x"), else `default`.

    Relative names ("foo", "-1") and other hosts are refused; `redirect()` would try to reverse
    a bare name as a URL pattern and fail with a 500.
    """
    candidate = (candidate or "").strip()
    if (
        candidate.startswith("/")
        and not candidate.startswith(("//", "/\\"))
        and not any(ord(c) < 32 for c in candidate)
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return default
