"""Fixtures for the Django-side recommender tests. The engine's own tests run without Django
(`-p no:django`), so nothing here imports Django until a fixture is used."""

from datetime import timedelta

import pytest


def pytest_ignore_collect(collection_path, config):
    """With `-p no:django` only the engine's own tests (test_engine_*.py) are collected."""
    if config.pluginmanager.hasplugin("django"):
        return None
    name = collection_path.name
    return True if name.startswith("test_") and not name.startswith("test_engine") else None


@pytest.fixture
def community(artifacts_tmp):
    """30 titles in 3 genres (the crime block is R-rated), 24 viewers, one kids profile."""
    from django.utils import timezone

    from catalog.tests.factories import GenreFactory, TitleFactory
    from profiles.models import Rating
    from profiles.tests.factories import KidsProfileFactory, ProfileFactory

    now = timezone.now()
    blocks = {
        "family": (GenreFactory(name="Family"), "G"),
        "scifi": (GenreFactory(name="Science Fiction"), "PG-13"),
        "crime": (GenreFactory(name="Crime"), "R"),
    }
    titles = {
        key: [
            TitleFactory(title=f"{key} {n}", certification=cert, genres=[genre], popularity=10 - n)
            for n in range(10)
        ]
        for key, (genre, cert) in blocks.items()
    }
    viewers = []
    for n in range(24):
        key = list(blocks)[n % 3]
        viewer = ProfileFactory(name=f"{key} fan {n}")
        for index, title in enumerate(titles[key]):
            if (index + n) % 4:  # each fan rated most of their block
                Rating.objects.create(
                    profile=viewer, title=title, value=5, created_at=now - timedelta(days=index)
                )
        viewers.append(viewer)
    kid = KidsProfileFactory(name="Kid")
    for title in titles["family"][:3]:
        Rating.objects.create(profile=kid, title=title, value=5, created_at=now)
    return {"titles": titles, "viewers": viewers, "kid": kid, "now": now}


@pytest.fixture
def tiles_drawn(monkeypatch) -> list[tuple[str, int]]:
    """(rail key, title id) of every tile drawn from components/tile.html from now on."""
    from django.template.backends.django import Template

    drawn = []
    render = Template.render

    def render_counted(self, context=None, request=None):
        if self.origin.template_name == "components/tile.html":
            drawn.append((context["rail"].key, context["tile"].title_id))
        return render(self, context, request)

    monkeypatch.setattr(Template, "render", render_counted)
    return drawn
