from xml.etree import ElementTree

import pytest

from catalog.posters import DEFAULT_PALETTE, GENRE_PALETTES, palette_for, render_poster_svg
from catalog.tests.factories import TitleFactory


def test_poster_is_valid_svg_naming_the_title():
    svg = render_poster_svg(
        title="Alien", year=1979, genres=["Horror", "Science Fiction"], kind="movie"
    )
    root = ElementTree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("aria-label") == "Alien"
    assert "ALIEN" in svg and "1979" in svg and "Horror" in svg


def test_poster_is_deterministic_and_uses_the_first_genre_palette():
    args = {"title": "Heat", "year": 1995, "genres": ["Crime", "Drama"], "kind": "movie"}
    assert render_poster_svg(**args) == render_poster_svg(**args)
    assert GENRE_PALETTES["Crime"][0] in render_poster_svg(**args)
    assert palette_for(["Unknown"]) == DEFAULT_PALETTE


def test_poster_escapes_markup_and_wraps_long_titles():
    svg = render_poster_svg(
        title='Dr. Strangelove or: How I Learned to Stop Worrying & Love the "Bomb" <now>',
        year=None, genres=[], kind="movie",
    )  # fmt: skip
    root = ElementTree.fromstring(svg)  # raises if the markup is broken
    lines = [span.text for span in root.iter("{http://www.w3.org/2000/svg}tspan")]
    assert 2 <= len(lines) <= 4
    assert "&amp;" in svg and "<now>" not in svg


@pytest.mark.django_db
def test_poster_src_changes_when_the_poster_would_change():
    title = TitleFactory(title="Arrival", year=2016)
    before = title.poster_src
    title.title = "Arrival (Director's Cut)"
    assert title.poster_src != before
    title.poster_url = "https://images.example/arrival.jpg"
    assert title.poster_src == "https://images.example/arrival.jpg"
