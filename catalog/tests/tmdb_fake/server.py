"""A fake TMDB API on 127.0.0.1: a small WSGI app in a threaded wsgiref server.

It answers the endpoints the gateway uses (details with appended blocks, popular, top rated,
trending, discover, change lists, /configuration) from catalogue.json, JSON we wrote ourselves
in TMDB's documented shapes, and records every request. Faults are added per path pattern:
429 with Retry-After, 500/502 HTML pages, truncated JSON, slow answers, empty lists; a title
without certification is in the fixtures (and `strip_certifications` removes them all).
"""

import copy
import json
import re
import socketserver
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

CATALOGUE = Path(__file__).resolve().parent / "catalogue.json"
FAKE_KEY = "fake-key-7f3a9c2e41"
HTML_ERROR = (
    "<html><head><title>{code}</title></head><body><h1>{code}</h1><p>{text}</p></body></html>"
)
STATUS_TEXT = {
    200: "OK", 401: "Unauthorized", 404: "Not Found", 429: "Too Many Requests",
    500: "Internal Server Error", 502: "Bad Gateway",
}  # fmt: skip


@dataclass
class Fault:
    pattern: re.Pattern
    mode: str  # "429", "500", "502", "truncated", "slow", "empty"
    times: int | None  # None: every matching request
    value: float = 0.0  # Retry-After seconds (429), delay seconds (slow)


class _Threaded(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 64


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):  # the fake server's access log would only be noise
        pass


class FakeTMDB:
    def __init__(self, api_key: str = FAKE_KEY):
        data = json.loads(CATALOGUE.read_text(encoding="utf-8"))
        self.api_key = api_key
        self.configuration = data["configuration"]
        self.movies = {m["id"]: m for m in data["movies"]}
        self.series = {s["id"]: s for s in data["series"]}
        # Titles made on demand by a callable (the MovieLens helper): id -> payload or None.
        self.movie_factory: Callable[[int], dict | None] | None = None
        self.changes: dict[str, list[tuple[str, int]]] = {"movie": [], "tv": []}
        self.faults: list[Fault] = []
        self.requests: list[tuple[float, str, str]] = []  # (monotonic time, path, query)
        self.lock = threading.Lock()
        self.httpd = None

    # -- control -------------------------------------------------------------------------
    def start(self) -> str:
        self.httpd = make_server("127.0.0.1", 0, self.app, server_class=_Threaded,
                                 handler_class=_Quiet)  # fmt: skip
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self.url

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}/3"

    def stop(self) -> None:
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()

    def fault(self, path_pattern: str, mode: str, *, times: int | None = None, value=0.0):
        self.faults.append(Fault(re.compile(path_pattern), mode, times, value))

    def strip_certifications(self) -> None:
        for movie in self.movies.values():
            movie["release_dates"] = {"results": []}
        for show in self.series.values():
            show["content_ratings"] = {"results": []}

    def hits(self, pattern: str = "") -> int:
        return sum(1 for _, path, _ in self.requests if re.search(pattern, path))

    def max_per_second(self) -> int:
        """The most requests seen in any one-second window."""
        times = sorted(t for t, _, _ in self.requests)
        best, start = 0, 0
        for end, t in enumerate(times):
            while t - times[start] >= 1.0:
                start += 1
            best = max(best, end - start + 1)
        return best

    # -- WSGI ----------------------------------------------------------------------------
    def app(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING", "")
        with self.lock:
            self.requests.append((time.monotonic(), path, query))
            fault = self._take_fault(path)
        params = {k: v[-1] for k, v in parse_qs(query).items()}
        if fault and fault.mode == "slow":
            time.sleep(fault.value)
            fault = None
        if fault and fault.mode in ("500", "502"):
            code = int(fault.mode)
            return self._send(start_response, code, HTML_ERROR.format(code=code, text="upstream"),
                              "text/html")  # fmt: skip
        if fault and fault.mode == "429":
            body = {"success": False, "status_code": 25, "status_message": "Slow down."}
            return self._send(start_response, 429, json.dumps(body), headers=[
                ("Retry-After", str(int(fault.value)))])  # fmt: skip
        if params.get("api_key") != self.api_key:
            body = {"success": False, "status_code": 7, "status_message": "Key not accepted."}
            return self._send(start_response, 401, json.dumps(body))
        status, answer = self._answer(path, params, empty=bool(fault and fault.mode == "empty"))
        body = json.dumps(answer)
        if fault and fault.mode == "truncated":
            body = body[: len(body) // 2]
        return self._send(start_response, status, body)

    def _take_fault(self, path: str) -> Fault | None:
        for fault in self.faults:
            if fault.pattern.search(path) and (fault.times is None or fault.times > 0):
                if fault.times is not None:
                    fault.times -= 1
                return fault
        return None

    def _send(self, start_response, status, body, content_type="application/json", headers=()):
        raw = body.encode()
        start_response(f"{status} {STATUS_TEXT.get(status, 'Error')}", [
            ("Content-Type", f"{content_type};charset=utf-8"),
            ("Content-Length", str(len(raw))), *headers])  # fmt: skip
        return [raw]

    def _answer(self, path: str, params: dict, *, empty: bool) -> tuple[int, dict]:
        path = path.removeprefix("/3")
        page = int(params.get("page", 1))
        if path == "/configuration":
            return 200, self.configuration
        if m := re.fullmatch(r"/(movie|tv)/(\d+)", path):
            found = self._title(m.group(1), int(m.group(2)))
            if found is None:
                return 404, {"success": False, "status_code": 34, "status_message": "Not here."}
            return 200, found
        if m := re.fullmatch(r"/(movie|tv)/(popular|top_rated)", path):
            kind, which = m.groups()
            key = "popularity" if which == "popular" else "vote_average"
            items = sorted(self._titles(kind), key=lambda t: -t[key])
            return 200, self._page(items, page, empty)
        if m := re.fullmatch(r"/trending/all/(day|week)", path):
            items = [{**t, "media_type": "movie"} for t in self.movies.values()]
            items += [{**t, "media_type": "tv"} for t in self.series.values()]
            items.sort(key=lambda t: -t["popularity"])
            return 200, self._page(items, page, empty)
        if m := re.fullmatch(r"/discover/(movie|tv)", path):
            kind = m.group(1)
            items = self._titles(kind)
            if "with_genres" in params:
                gid = int(params["with_genres"])
                items = [t for t in items if gid in {g["id"] for g in t["genres"]}]
            year = params.get("primary_release_year") or params.get("first_air_date_year")
            if year:
                field = "release_date" if kind == "movie" else "first_air_date"
                items = [t for t in items if t[field].startswith(year)]
            items.sort(key=lambda t: -t["popularity"])
            return 200, self._page(items, page, empty)
        if m := re.fullmatch(r"/(movie|tv)/changes", path):
            start, end = params.get("start_date", ""), params.get("end_date", "")
            ids = [{"id": i, "adult": False} for day, i in self.changes[m.group(1)]
                   if start <= day < end or (not start and not end)]  # fmt: skip
            return 200, self._page(ids, page, empty, size=100)
        return 404, {"success": False, "status_code": 34, "status_message": "No such endpoint."}

    def _titles(self, kind: str) -> list[dict]:
        return list((self.movies if kind == "movie" else self.series).values())

    def _title(self, kind: str, tmdb_id: int) -> dict | None:
        if kind == "tv":
            return copy.deepcopy(self.series.get(tmdb_id))
        if tmdb_id in self.movies:
            return copy.deepcopy(self.movies[tmdb_id])
        return self.movie_factory(tmdb_id) if self.movie_factory else None

    @staticmethod
    def _page(items: list, page: int, empty: bool, size: int = 20) -> dict:
        if empty:
            items = []
        pages = max(1, -(-len(items) // size))
        summary = [
            {k: v for k, v in t.items() if k not in ("credits", "keywords", "release_dates",
                                                     "content_ratings", "external_ids")}
            for t in items[(page - 1) * size : page * size]
        ]  # fmt: skip
        return {"page": page, "results": summary, "total_pages": pages, "total_results": len(items)}
