"""Personal page cache: a viewer's home page served again without running the view, for as long
as everything it was rendered from is unchanged.

A page is stored under the viewer's session and CSRF cookies, together with *stamps*: the
session's own data as the session cache holds it (so a sign-out, an expired session or a switch
of profile misses), and version numbers that are bumped whenever the account, the profile, its
preferences or its rails change (`recommender.pages.versions_bump`, the receivers below). A hit
costs one cache round trip and no database query; anything unexpected falls through to the view.

It only runs when sessions live in the shared cache (`cached_db` with Redis), because then the
session check itself is a cache read; with database sessions every request goes to the view.
"""

import hashlib
import re
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.auth import SESSION_KEY as USER_SESSION_KEY
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.utils.cache import patch_cache_control
from django.utils.module_loading import import_string

from profiles.access import SESSION_KEY as PROFILE_SESSION_KEY
from recommender.pages import HTML_SECONDS, version_key, versions_bump
from recommender.rails import SHARED

# The pages whose views are decorated with page_cacheable: home and the rail fragments.
CACHED_PATHS = re.compile(r"/(rails/[-\w]+/)?")
CACHE_SESSION_ENGINES = (
    "django.contrib.sessions.backends.cache",
    "django.contrib.sessions.backends.cached_db",
)
NOT_REPLAYED = frozenset({"set-cookie", "content-length"})
LOOKUP_ENVIRON = "marquee.page_cache"
STAMP_KEYS_KEPT = 10_000  # per process; forgotten all at once when full
NOT_LOOKED_UP = object()


def account_version_key(account_id: int | str) -> str:
    return f"acctver:{account_id}"


def page_cacheable(view):
    """Mark a view's 200 responses as storable by PersonalPageCacheMiddleware."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True)
        response.page_cacheable = True
        return response

    return wrapper


@dataclass
class Lookup:
    """What a cacheable request found: its page key, the session's data, the current stamps
    and the stored entry (None when nothing is stored)."""

    page_key: str
    session: dict
    stamps: tuple
    entry: dict | None

    @property
    def hit(self) -> bool:
        if self.entry is None:
            return False
        return self.entry["session"] == self.session and self.entry["stamps"] == self.stamps


class PageCache:
    def __init__(self):
        self.enabled = (
            settings.SESSION_ENGINE in CACHE_SESSION_ENGINES
            and settings.SESSION_CACHE_ALIAS == DEFAULT_CACHE_ALIAS
        )
        self.cache = caches[DEFAULT_CACHE_ALIAS]
        self.session_store = import_string(settings.SESSION_ENGINE + ".SessionStore")
        self.stamp_keys_seen: dict[str, list[str]] = {}  # page key -> its stamps' keys

    def lookup(
        self, *, method: str, path: str, query: str, htmx: bool, cookies: dict, secure: bool
    ) -> Lookup | None:
        """None when the request is not one the cache serves (or the session is not usable)."""
        if not self.enabled or method != "GET" or query or not CACHED_PATHS.fullmatch(path):
            return None
        if "messages" in cookies or (settings.SECURE_SSL_REDIRECT and not secure):
            return None  # messages to show; or the security middleware redirects it
        session_key = cookies.get(settings.SESSION_COOKIE_NAME)
        csrf_cookie = cookies.get(settings.CSRF_COOKIE_NAME)
        if not session_key or not csrf_cookie:
            return None
        digest = hashlib.sha256(f"{session_key}\0{csrf_cookie}".encode()).hexdigest()
        page_key = f"page:{digest}:{'hx' if htmx else 'full'}:{path}"
        session_cache_key = self.session_store(session_key).cache_key
        # The stamp keys this page had last time ride along, so a hit is one round trip.
        guessed = self.stamp_keys_seen.get(page_key, [])
        found = self.cache.get_many([page_key, session_cache_key, *guessed])
        session = found.get(session_cache_key)
        if not session or USER_SESSION_KEY not in session or PROFILE_SESSION_KEY not in session:
            return None
        stamp_keys = [
            account_version_key(session[USER_SESSION_KEY]),
            version_key(session[PROFILE_SESSION_KEY]),
            version_key(SHARED),
        ]
        if stamp_keys == guessed and all(key in found for key in stamp_keys):
            stamps = tuple(found[key] for key in stamp_keys)
        else:
            stamps = _stamps(self.cache, stamp_keys)
            if len(self.stamp_keys_seen) >= STAMP_KEYS_KEPT:
                self.stamp_keys_seen.clear()
            self.stamp_keys_seen[page_key] = stamp_keys
        return Lookup(page_key, session, stamps, found.get(page_key))

    def store(self, lookup: Lookup, request, response) -> None:
        if not _storable(request, response):
            return
        entry = {
            "session": lookup.session,
            "stamps": lookup.stamps,
            "headers": [(k, v) for k, v in response.items() if k.lower() not in NOT_REPLAYED],
            "body": response.content,
        }
        self.cache.set(lookup.page_key, entry, HTML_SECONDS)


class PersonalPageCacheMiddleware:
    """First in MIDDLEWARE, so that a stored page keeps every header the others added. Behind
    `wsgi_application` the lookup was already made; elsewhere (tests, runserver) it is made
    here."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.pages = PageCache()

    def __call__(self, request):
        lookup = request.META.get(LOOKUP_ENVIRON, NOT_LOOKED_UP)
        if lookup is NOT_LOOKED_UP:
            lookup = self.pages.lookup(
                method=request.method,
                path=request.path,
                query=request.META.get("QUERY_STRING", ""),
                htmx="HX-Request" in request.headers,
                cookies=request.COOKIES,
                secure=request.is_secure(),
            )
        if lookup is None:
            return self.get_response(request)
        if lookup.hit:
            return _replay(lookup.entry)
        response = self.get_response(request)
        self.pages.store(lookup, request, response)
        return response


def wsgi_application(django_application):
    """Answer hits before Django builds a request; everything else goes to Django, carrying the
    lookup so that the middleware can store the page without looking again."""
    pages = PageCache()
    if not pages.enabled:
        return django_application

    def application(environ, start_response):
        lookup = None
        if _host_allowed(environ):
            lookup = pages.lookup(
                method=environ.get("REQUEST_METHOD", ""),
                path=environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
                query=environ.get("QUERY_STRING", ""),
                htmx="HTTP_HX_REQUEST" in environ,
                cookies=parse_cookie(environ.get("HTTP_COOKIE", "")),
                secure=_is_secure(environ),
            )
        if lookup is not None and lookup.hit:
            body = lookup.entry["body"]
            start_response("200 OK", [*lookup.entry["headers"], ("Content-Length", str(len(body)))])
            return [body]
        environ[LOOKUP_ENVIRON] = lookup
        return django_application(environ, start_response)

    return application


def _host_allowed(environ) -> bool:
    """The Host check Django would make (a hit must not answer a host it would refuse)."""
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    domain, _ = split_domain_port(host)
    return bool(domain) and validate_host(domain, allowed)


def _is_secure(environ) -> bool:
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        if header in environ:
            return environ[header].split(",", 1)[0].strip() == secure_value
    return environ.get("wsgi.url_scheme") == "https"


def _stamps(cache, keys: list[str]) -> tuple:
    """Current values of the stamp keys; a missing one is created, so that a later bump (or a
    delete) is always seen as a change."""
    values = cache.get_many(keys)
    for key in keys:
        if key not in values:
            cache.add(key, time.time_ns(), None)
            values[key] = cache.get(key)
    return tuple(values[key] for key in keys)


def _storable(request, response) -> bool:
    return (
        getattr(response, "page_cacheable", False)
        and response.status_code == 200
        and _sets_no_new_cookie(request, response)
        and not getattr(response, "streaming", False)
        and not (hasattr(request, "session") and request.session.modified)
    )


def _sets_no_new_cookie(request, response) -> bool:
    """Only the CSRF cookie re-sent with the value it already has (Django refreshes its expiry
    whenever a page uses the token) may ride along; a hit then simply skips that refresh."""
    csrf = settings.CSRF_COOKIE_NAME
    return all(
        name == csrf and morsel.value == request.COOKIES.get(csrf)
        for name, morsel in response.cookies.items()
    )


def _replay(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["body"])
    for header, value in entry["headers"]:
        response[header] = value
    return response


def _bump_account(account_id: int) -> None:
    cache.set(account_version_key(account_id), time.time_ns(), None)


def _now_and_on_commit(bump, pk: int | None) -> None:
    """Bump at once and again after commit, so a page rendered from the old rows in between is
    never kept under the new version."""
    bump(pk)
    transaction.on_commit(lambda: bump(pk))


def account_changed(sender, instance, **kwargs) -> None:
    _now_and_on_commit(_bump_account, instance.pk)


def profile_changed(sender, instance, **kwargs) -> None:
    _now_and_on_commit(versions_bump, instance.pk)


def preferences_changed(sender, instance, **kwargs) -> None:
    _now_and_on_commit(versions_bump, instance.profile_id)


def title_changed(sender, instance, **kwargs) -> None:
    # A title's certification, name or poster shows on every page: all of them render again.
    _now_and_on_commit(versions_bump, None)


def connect_receivers() -> None:
    from catalog.models import Title
    from profiles.models import Account, PreferenceWeights, Profile

    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(title_changed, sender=Title, dispatch_uid=f"page-title-{name}")
        signal.connect(account_changed, sender=Account, dispatch_uid=f"page-account-{name}")
        signal.connect(profile_changed, sender=Profile, dispatch_uid=f"page-profile-{name}")
        signal.connect(
            preferences_changed, sender=PreferenceWeights, dispatch_uid=f"page-prefs-{name}"
        )
