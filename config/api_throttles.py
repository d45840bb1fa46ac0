"""The JSON API's throttle (REST_FRAMEWORK's DEFAULT_THROTTLE_CLASSES). Its own module:
DRF imports it while its views module loads, so it may import nothing that imports them."""

from rest_framework.throttling import ScopedRateThrottle

from profiles.throttle import client_ip


class ScopedThrottle(ScopedRateThrottle):
    """A view's `throttle_scope` (auth, events, refresh), or `default`; counted in the default
    cache (Redis in production, so every web process shares the counts). Signed-in clients are
    counted per account, anonymous ones per client IP as the sign-in limits count them."""

    def allow_request(self, request, view):
        if not getattr(view, "throttle_scope", None):
            view.throttle_scope = "default"
        return super().allow_request(request, view)

    def get_ident(self, request) -> str:
        return client_ip(request) or "unknown"
