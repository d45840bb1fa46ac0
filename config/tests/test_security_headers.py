"""Security headers and the Content-Security-Policy on every kind of page (#16)."""

import re

import pytest
from django.test import Client

from profiles.tests.factories import ProfileFactory
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split("; ") if d}


@pytest.fixture
def home(client):
    login_as(client, ProfileFactory())
    return client.get("/")


def test_pages_carry_a_csp_with_a_fresh_nonce_for_inline_scripts(client, home):
    assert home.status_code == 200
    csp = directives(home)
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    nonce = next(v for v in csp["script-src"] if v.startswith("'nonce-"))[7:-1]
    scripts = re.findall(rb"<script([^>]*)>", home.content)
    inline = [attrs for attrs in scripts if b"src=" not in attrs]
    assert inline, "base.html has an inline script"
    assert all(f'nonce="{nonce}"'.encode() in attrs for attrs in inline)
    assert client.get("/")["Content-Security-Policy"] != home["Content-Security-Policy"]


def test_htmx_is_loaded_with_the_nonce_and_runs_without_eval(client, home):
    nonce = next(v for v in directives(home)["script-src"] if v.startswith("'nonce-"))[7:-1]
    htmx = re.search(rb"<script[^>]*htmx[^>]*>", home.content).group(0)
    assert f'nonce="{nonce}"'.encode() in htmx
    assert b'"allowEval": false' in home.content


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/no-such-page/", "/search/?page=0"])
def test_security_headers_on_every_answer(client, url):
    login_as(client, ProfileFactory())
    response = client.get(url)
    assert "Content-Security-Policy" in response
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_404_page_is_styled_and_says_not_available(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Not available" in response.content and b"marquee.css" in response.content


def test_the_500_page_is_static_and_needs_no_database(settings, django_assert_num_queries):
    from django.urls import path

    def broken(request):
        raise RuntimeError("boom")

    urlconf = type("urls", (), {"urlpatterns": [path("boom/", broken)]})
    settings.ROOT_URLCONF = urlconf
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/boom/")
    assert response.status_code == 500
    assert b"Something went wrong" in response.content and b"marquee.css" in response.content
    assert b"{%" not in response.content


def test_a_post_without_its_csrf_token_gets_the_styled_403():
    client = Client(enforce_csrf_checks=True)
    login_as(client, ProfileFactory())
    response = client.post("/search/saved/", {"query_string": "q=heat"})
    assert response.status_code == 403
    assert b"reload the page" in response.content.lower() and b"marquee.css" in response.content
