"""The one way Marquee talks to TMDB: tmdbv3api over our own `requests` session.

tmdbv3api 1.10 builds URLs and parses answers; everything about the wire is ours. Its request
cache is turned off (it bypasses the session and keeps error answers); its base URL, a
per-instance `_base`, is set from TMDB_BASE_URL. `TMDBSession.request` adds what the library
lacks: a token bucket shared by every thread, timeouts, retries (429 after its Retry-After,
5xx, timeouts, broken connections and truncated JSON with exponential backoff), and typed
errors whose text never contains the API key.
"""

import json
import logging
import os
import re
import threading
import time
from dataclasses import dataclass, field

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from tmdbv3api import TMDb
from tmdbv3api.exceptions import TMDbException
from tmdbv3api.objs.change import Change
from tmdbv3api.objs.configuration import Configuration
from tmdbv3api.objs.discover import Discover
from tmdbv3api.objs.movie import Movie
from tmdbv3api.objs.trending import Trending
from tmdbv3api.objs.tv import TV

logger = logging.getLogger(__name__)

# A Retry-After longer than this is not worth waiting for inside one run.
MAX_RETRY_AFTER = 60.0
MOVIE_APPEND = "release_dates,credits,keywords"
TV_APPEND = "content_ratings,credits,keywords,external_ids"


class TMDBError(Exception):
    """Any failure talking to TMDB; the message is safe to show and to log."""


class TMDBNotConfigured(TMDBError):
    pass


class TMDBAuthError(TMDBError):
    pass


class TMDBNotFound(TMDBError):
    pass


class TMDBRateLimited(TMDBError):
    pass


class TMDBUnavailable(TMDBError):
    """5xx answers, timeouts or broken connections, after every retry."""


class TMDBBadResponse(TMDBError):
    """An answer that is not the JSON object TMDB documents, after every retry."""


def redact(text: str, secret: str) -> str:
    text = re.sub(r"(api_key=)[^&\s'\"]+", r"\1[redacted]", str(text))
    return text.replace(secret, "[redacted]") if secret else text


class RedactingFilter(logging.Filter):
    """Removes the key from every record of the loggers it is attached to (urllib3 logs URLs)."""

    def __init__(self, secret: str):
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message, self.secret)
        if clean != message:
            record.msg, record.args = clean, None
        return True


class TokenBucket:
    """`rate` tokens a second, at most `capacity` saved up; `take` blocks until one is free.

    The capacity defaults to 1, so requests are paced evenly: no one-second window ever holds
    more than rate + 1 of them."""

    def __init__(self, rate: float, capacity: float = 1.0):
        self.rate, self.capacity = float(rate), float(capacity)
        self.tokens = self.capacity
        self.updated = time.monotonic()
        self.lock = threading.Lock()

    def take(self) -> None:
        while True:
            with self.lock:
                now = time.monotonic()
                self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
                self.updated = now
                if self.tokens >= 1:
                    self.tokens -= 1
                    return
                wait = (1 - self.tokens) / self.rate
            time.sleep(wait)


@dataclass
class RequestStats:
    requests: int = 0
    retries: int = 0
    failures: int = 0
    by_status: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, status: int | None, *, retry: bool) -> None:
        with self.lock:
            self.requests += 1
            self.retries += retry
            if status is not None:
                self.by_status[status] = self.by_status.get(status, 0) + 1


class TMDBSession(requests.Session):
    """A requests session that paces, retries, times out and raises typed, redacted errors."""

    def __init__(self, *, api_key, rate, concurrency, timeout, max_retries, backoff=0.5):
        super().__init__()
        self.api_key = api_key
        self.bucket = TokenBucket(rate)
        # At most `concurrency` requests in flight, whatever the caller's thread count.
        self.slots = threading.BoundedSemaphore(concurrency)
        self.timeout = (min(timeout, 10), timeout)
        self.max_retries = max_retries
        self.backoff = backoff
        self.stats = RequestStats()
        adapter = HTTPAdapter(pool_connections=2, pool_maxsize=concurrency, max_retries=0)
        self.mount("http://", adapter)
        self.mount("https://", adapter)
        self.headers["Accept"] = "application/json"

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", self.timeout)
        where = redact(url.split("?", 1)[0], self.api_key)
        last_problem = ""
        for attempt in range(self.max_retries + 1):
            wait = 0.0
            self.bucket.take()
            try:
                with self.slots:
                    response = super().request(method, url, *args, **kwargs)
                    body = response.content
            except (requests.Timeout, requests.ConnectionError) as exc:
                self.stats.count(None, retry=attempt > 0)
                last_problem = f"{type(exc).__name__}"
                wait = self.backoff * 2**attempt
            else:
                status = response.status_code
                self.stats.count(status, retry=attempt > 0)
                if status == 401:
                    raise TMDBAuthError(
                        "TMDB refused the API key (401): check TMDB_API_KEY."
                    ) from None
                if status == 404:
                    raise TMDBNotFound(f"TMDB has no {where} (404)")
                if status == 429:
                    wait = self._retry_after(response, attempt)
                    last_problem = "429 Too Many Requests"
                    if wait > MAX_RETRY_AFTER:
                        raise TMDBRateLimited(
                            f"TMDB asks to wait {wait:.0f} s before {where}; try again later"
                        )
                elif status >= 500:
                    last_problem = f"HTTP {status}"
                    wait = self.backoff * 2**attempt
                elif status >= 400:
                    raise TMDBBadResponse(f"TMDB answered HTTP {status} for {where}")
                else:
                    try:
                        parsed = json.loads(body)
                    except ValueError:
                        last_problem = "a truncated or invalid JSON answer"
                        wait = self.backoff * 2**attempt
                    else:
                        if isinstance(parsed, dict):
                            return response
                        last_problem = "an answer that is not a JSON object"
                        wait = self.backoff * 2**attempt
            if attempt < self.max_retries:
                logger.info("TMDB %s: %s; retry %d in %.2f s", where, last_problem, attempt + 1,
                            wait)  # fmt: skip
                time.sleep(wait)
        with self.stats.lock:
            self.stats.failures += 1
        error = TMDBBadResponse if "JSON" in last_problem else TMDBUnavailable
        if last_problem.startswith("429"):
            error = TMDBRateLimited
        raise error(f"TMDB {where}: {last_problem} after {self.max_retries + 1} attempts")

    def _retry_after(self, response, attempt: int) -> float:
        raw = response.headers.get("Retry-After", "")
        try:
            return max(0.0, float(raw))
        except ValueError:
            return self.backoff * 2**attempt


@dataclass(frozen=True)
class ImageConfiguration:
    base_url: str
    poster_sizes: tuple[str, ...]
    backdrop_sizes: tuple[str, ...]

    def url(self, path: str | None, size: str) -> str:
        return f"{self.base_url.rstrip('/')}/{size}{path}" if path else ""


class TMDBGateway:
    """Typed calls to TMDB, each returning the answer's JSON object (a dict)."""

    def __init__(self, *, api_key=None, base_url=None, rate=None, concurrency=None,
                 timeout=None, max_retries=None, backoff=None):  # fmt: skip
        api_key = settings.TMDB_API_KEY if api_key is None else api_key
        if not api_key:
            raise TMDBNotConfigured(
                "TMDB_API_KEY is not set: TMDB is optional, and this command needs it. "
                "Get a key at https://www.themoviedb.org/settings/api and set TMDB_API_KEY."
            )
        self.api_key = api_key
        self.concurrency = concurrency or settings.TMDB_CONCURRENCY
        self.session = TMDBSession(
            api_key=api_key,
            rate=rate or settings.TMDB_RATE_LIMIT,
            concurrency=self.concurrency,
            timeout=timeout or settings.TMDB_TIMEOUT,
            max_retries=settings.TMDB_MAX_RETRIES if max_retries is None else max_retries,
            backoff=getattr(settings, "TMDB_BACKOFF", 0.5) if backoff is None else backoff,
        )
        self.base_url = (base_url or settings.TMDB_BASE_URL).rstrip("/")
        self._filter = RedactingFilter(api_key)
        for name in ("urllib3", "urllib3.connectionpool", "tmdbv3api", "tmdbv3api.tmdb", __name__):
            logging.getLogger(name).addFilter(self._filter)
        self._images: ImageConfiguration | None = None
        # tmdbv3api keeps its settings in os.environ; close() puts them back as they were.
        self._saved_environ = {
            name: os.environ.get(name)
            for name in (TMDb.TMDB_API_KEY, TMDb.TMDB_LANGUAGE, TMDb.TMDB_CACHE_ENABLED,
                         TMDb.TMDB_WAIT_ON_RATE_LIMIT)
        }  # fmt: skip

    def close(self) -> None:
        for name, value in self._saved_environ.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        for name in ("urllib3", "urllib3.connectionpool", "tmdbv3api", "tmdbv3api.tmdb", __name__):
            logging.getLogger(name).removeFilter(self._filter)
        self.session.close()

    @property
    def stats(self) -> RequestStats:
        return self.session.stats

    def _client(self, cls):
        client = cls(obj_cached=False, session=self.session)
        client._base = self.base_url
        client.api_key = self.api_key
        client.cache = False
        client.wait_on_rate_limit = True
        client.language = "en-US"
        return client

    def _call(self, cls, method: str, *args, **kwargs) -> dict:
        try:
            answer = getattr(self._client(cls), method)(*args, **kwargs)
        except TMDBError:
            raise
        except TMDbException as exc:
            raise TMDBBadResponse(f"TMDB: {redact(exc, self.api_key)}") from None
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise TMDBBadResponse(
                f"TMDB answered in an unexpected shape ({type(exc).__name__})"
            ) from None
        return getattr(answer, "_json", answer)

    def movie(self, tmdb_id: int) -> dict:
        return self._call(Movie, "details", tmdb_id, append_to_response=MOVIE_APPEND)

    def series(self, tmdb_id: int) -> dict:
        return self._call(TV, "details", tmdb_id, append_to_response=TV_APPEND)

    def popular(self, kind: str, page: int) -> dict:
        return self._call(Movie if kind == "movie" else TV, "popular", page=page)

    def top_rated(self, kind: str, page: int) -> dict:
        return self._call(Movie if kind == "movie" else TV, "top_rated", page=page)

    def trending(self, window: str, page: int) -> dict:
        return self._call(Trending, "_trending", media_type="all", time_window=window, page=page)

    def discover(self, kind: str, params: dict) -> dict:
        method = "discover_movies" if kind == "movie" else "discover_tv_shows"
        return self._call(Discover, method, params)

    def changes(self, kind: str, start: str, end: str, page: int) -> dict:
        method = "movie_change_list" if kind == "movie" else "tv_change_list"
        return self._call(Change, method, start_date=start, end_date=end, page=page)

    def images(self) -> ImageConfiguration:
        """The image CDN's base URL and sizes, asked once per gateway and cached for a day."""
        if self._images is None:
            from django.core.cache import cache

            key = f"tmdb:images:{self.base_url}"
            cached = cache.get(key)
            if cached is None:
                images = self._call(Configuration, "api_configuration").get("images") or {}
                base = images.get("secure_base_url") or images.get("base_url")
                if not base:
                    raise TMDBBadResponse("TMDB /configuration has no image base URL")
                cached = {
                    "base_url": base,
                    "poster_sizes": tuple(images.get("poster_sizes") or ("original",)),
                    "backdrop_sizes": tuple(images.get("backdrop_sizes") or ("original",)),
                }
                cache.set(key, cached, 24 * 3600)
            self._images = ImageConfiguration(**cached)
        return self._images
