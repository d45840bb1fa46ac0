"""TMDB artwork on pages (srcset, the hero's backdrop, generated posters otherwise) and the
attribution TMDB's terms ask for, in the footer and on the about page."""

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from catalog.templatetags.artwork import tmdb_srcset
from catalog.tests.factories import TitleFactory

NOTICE = "This product uses the TMDB API but is not endorsed or certified by TMDB."
POSTER = "https://image.tmdb.example/t/p/w500/p603.jpg"
BACKDROP = "https://image.tmdb.example/t/p/w1280/b603.jpg"


def test_srcset_offers_the_cdn_widths():
    assert tmdb_srcset(POSTER, "poster") == ", ".join(
        f"https://image.tmdb.example/t/p/w{w}/p603.jpg {w}w" for w in (185, 342, 500, 780)
    )
    assert tmdb_srcset(BACKDROP, "backdrop").endswith("/w1280/b603.jpg 1280w")


@pytest.mark.parametrize("url", ["", "/posters/the-matrix-1999.svg?v=1", "https://x.example/a.jpg"])
def test_no_srcset_for_anything_else(url):
    assert tmdb_srcset(url) == ""


@pytest.mark.django_db
def test_hero_uses_the_backdrop_when_there_is_one():
    title = TitleFactory(poster_url=POSTER, backdrop_url=BACKDROP)
    html = render_to_string("components/hero.html", {"hero": SimpleNamespace(title=title)})
    assert f'src="{BACKDROP}"' in html and "w780/b603.jpg 780w" in html

    title = TitleFactory(poster_url="", backdrop_url="")
    html = render_to_string("components/hero.html", {"hero": SimpleNamespace(title=title)})
    assert f'src="{title.poster_src}"' in html and "srcset" not in html


@pytest.mark.django_db
def test_about_page_and_every_footer_carry_the_tmdb_notice(client):
    response = client.get(reverse("catalog:about"))
    assert response.status_code == 200
    html = response.content.decode()
    assert NOTICE in html.replace('<a href="https://www.themoviedb.org">TMDB</a>', "TMDB")
    assert "https://www.themoviedb.org" in html and "img/tmdb-wordmark" in html
    login = client.get(reverse("login")).content.decode()
    assert "not endorsed or certified by TMDB" in login


@pytest.mark.django_db
def test_about_page_answers_get_only(client):
    assert client.post(reverse("catalog:about")).status_code == 405
