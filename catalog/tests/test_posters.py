import colorsys
import hashlib
import re
from xml.etree import ElementTree

import pytest

from catalog.posters import (
    DEFAULT_PALETTE,
    GENRE_PALETTES,
    palette_for,
    poster_palette,
    render_poster_svg,
)
from catalog.tests.factories import TitleFactory


def test_poster_is_valid_svg_naming_the_title():
    svg = render_poster_svg(
        title="Alien", year=1979, genres=["Horror", "Science Fiction"], kind="movie"
    )
    root = ElementTree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("aria-label") == "Alien"
    assert "ALIEN" in svg and "1979" in svg and "Horror" in svg


def test_poster_is_deterministic_and_coloured_from_the_first_genre():
    args = {"title": "Heat", "year": 1995, "genres": ["Crime", "Drama"], "kind": "movie"}
    assert render_poster_svg(**args) == render_poster_svg(**args)
    seed = hashlib.blake2b(b"Heat", digest_size=8).digest()
    top = poster_palette(["Crime", "Drama"], seed)[0]
    assert f'stop-color="{top}"' in render_poster_svg(**args)
    assert hue_distance(top, GENRE_PALETTES["Crime"][0]) <= 40 / 360 + 0.01
    assert palette_for(["Unknown"]) == DEFAULT_PALETTE


def hue_distance(a: str, b: str) -> float:
    hues = [
        colorsys.rgb_to_hls(*(int(c[i : i + 2], 16) / 255 for i in (1, 3, 5)))[0] for c in (a, b)
    ]
    turn = abs(hues[0] - hues[1])
    return min(turn, 1 - turn)


def test_a_row_of_ten_titles_in_one_genre_draws_ten_different_posters():
    names = ["Heat", "Se7en", "Fargo", "Casino", "Goodfellas", "Zodiac", "Memento", "Drive",
             "Collateral", "Prisoners"]  # fmt: skip
    posters = [render_poster_svg(title=n, year=2000, genres=["Crime"], kind="movie") for n in names]
    backgrounds = {re.search(r'stop-color="(#[0-9a-f]{6})"', svg).group(1) for svg in posters}
    layouts = {
        re.search(r'text-anchor="(\w+)" font-size', svg).group(1)
        + re.search(r'<tspan x="\d+" y="(\d+)"', svg).group(1)
        for svg in posters
    }
    assert len(backgrounds) == 10  # no two share a background colour
    assert len(layouts) >= 3  # the title sits in several places


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
