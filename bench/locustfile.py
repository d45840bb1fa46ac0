"""The audience bench/load.py sends: each locust user is one distinct household, signed in with
its own cookie, browsing with think time. Not run by itself: bench/load.py writes the viewers'
credentials to the file named by MARQUEE_LOAD_VIEWERS and starts locust on this file.

Mix (per click, weights): home with its lazy rails 4, title page with its lazy carousels 3,
search 2, thumbs down 1, My List add 1, rating 1. Think time 0.3-1.5 s between clicks. Lazy
parts are always fetched, as if every page were scrolled to the end.
"""

import itertools
import json
import os
import random
import threading
from pathlib import Path
from urllib.parse import urlparse

from locust import HttpUser, between, task
from mix import LAZY_CAROUSELS, LAZY_RAIL, TITLE_LINK, WORDS

_viewers_file = os.environ.get("MARQUEE_LOAD_VIEWERS")
_viewers = json.loads(Path(_viewers_file).read_text()) if _viewers_file else []
_next_viewer = itertools.count()
_lock = threading.Lock()


class Viewer(HttpUser):
    wait_time = between(0.3, 1.5)

    def on_start(self):
        """Take over the viewer's signed-in session (bench/load.py made it, profile chosen)."""
        with _lock:
            viewer = _viewers[next(_next_viewer) % len(_viewers)]
        host = urlparse(self.host).hostname
        self.client.cookies.set("sessionid", viewer["session"], domain=host, path="/")
        self.slugs: list[str] = []
        self.csrf = ""
        self.home()
        self.csrf = self.client.cookies.get("csrftoken", "")

    def _post(self, path: str, data: dict, name: str):
        headers = {"X-CSRFToken": self.csrf, "HX-Request": "true"}
        return self.client.post(path, data=data, headers=headers, name=name)

    def _slug(self) -> str | None:
        return random.choice(self.slugs) if self.slugs else None

    @task(4)
    def home(self):
        page = self.client.get("/", name="home")
        if page.status_code != 200:
            return
        self.slugs = TITLE_LINK.findall(page.text) or self.slugs
        for rail in LAZY_RAIL.findall(page.text)[:2]:  # as they scroll into view
            fragment = self.client.get(rail, headers={"HX-Request": "true"}, name="rail fragment")
            self.slugs += TITLE_LINK.findall(fragment.text)[:5]

    @task(3)
    def title_page(self):
        if slug := self._slug():
            page = self.client.get(f"/title/{slug}/?rail=for-you", name="title page")
            for carousels in LAZY_CAROUSELS.findall(page.text):  # as they scroll into view
                self.client.get(carousels, headers={"HX-Request": "true"}, name="title carousels")

    @task(2)
    def search(self):
        self.client.get("/search/", params={"q": random.choice(WORDS)}, name="search")

    @task(1)
    def thumbs_down(self):
        if slug := self._slug():
            self.slugs.remove(slug)
            data = {"value": "down", "context": "rail", "next": "/"}
            self._post(f"/title/{slug}/feedback/", data, "thumbs down")

    @task(1)
    def my_list(self):
        if slug := self._slug():
            data = {"action": "add", "context": "rail", "next": "/"}
            self._post(f"/title/{slug}/my-list/", data, "my list add")

    @task(1)
    def rate(self):
        if slug := self._slug():
            self._post(f"/title/{slug}/rate/", {"stars": random.choice([3, 4, 5])}, "rating")


class Anonymous(HttpUser):
    """The stack's practical ceiling on this box: an anonymous sign-in page, no think time."""

    wait_time = between(0, 0)

    @task
    def login_page(self):
        self.client.get("/accounts/login/", name="login page (anonymous)")
