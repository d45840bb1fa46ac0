"""The personal page cache (catalog/page_cache.py): hits skip the view, and every change a viewer
could see (a signal, a profile edit, a switch of profile, a sign-out, a new password) misses."""

import io

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from catalog.page_cache import wsgi_application
from profiles.access import SESSION_KEY
from profiles.services import profile_update
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db

# The viewer pages no longer carry page_cacheable, so nothing is stored; the rails-core change
# deletes catalog/page_cache.py and these tests with it.
not_stored_any_more = pytest.mark.xfail(
    strict=False, reason="page_cacheable dropped from the viewer pages (rails-core change)"
)


@pytest.fixture
def viewer_client(settings, community):
    """A signed-in client on a fan's profile, with sessions in the cache as with Redis."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    call_command("recompute_recs", verbosity=0)
    client = Client()  # built after the setting, so its middleware sees it
    login_as(client, community["viewers"][1])
    client.get("/")  # sets the CSRF cookie; the page is stored from the next request on
    return client


def fetch(client, path="/", **headers):
    response = client.get(path, headers=headers)
    return response.status_code, response.content.decode()


@not_stored_any_more
def test_an_unchanged_home_page_is_served_without_a_query(viewer_client, django_assert_num_queries):
    status, first = fetch(viewer_client)
    with django_assert_num_queries(0):
        again = viewer_client.get("/")
    assert status == again.status_code == 200
    assert again.content.decode() == first
    assert again["Cache-Control"] == "private"
    assert again["X-Frame-Options"] == "DENY" and again["Vary"] == "Cookie"


@not_stored_any_more
def test_rail_fragments_are_cached_apart_from_the_full_rail_page(
    viewer_client, django_assert_num_queries
):
    _, fragment = fetch(viewer_client, "/rails/for-you/", HX_Request="true")
    _, page = fetch(viewer_client, "/rails/for-you/")
    with django_assert_num_queries(0):
        assert fetch(viewer_client, "/rails/for-you/", HX_Request="true")[1] == fragment
        assert fetch(viewer_client, "/rails/for-you/")[1] == page
    assert "<html" in page and "<html" not in fragment


def test_a_thumbs_down_misses_and_the_title_leaves_the_page(viewer_client, community):
    _, first = fetch(viewer_client)
    shown = [t for block in community["titles"].values() for t in block]
    title = next(t for t in shown if f"/title/{t.slug}/" in first)
    viewer_client.post(f"/title/{title.slug}/feedback/", {"value": "down"})
    _, after = fetch(viewer_client)
    assert f"/title/{title.slug}/" not in after


def test_switching_profile_shows_the_other_profiles_page(viewer_client, community):
    _, first = fetch(viewer_client)
    kid = community["kid"]
    other = community["viewers"][2]
    other.household = community["viewers"][1].household
    other.save()
    session = viewer_client.session
    session[SESSION_KEY] = other.pk
    session.save()
    _, after = fetch(viewer_client)
    assert after != first and other.name in after
    assert kid.name not in after


def test_a_profile_edit_misses(viewer_client, community):
    fan = community["viewers"][1]
    fetch(viewer_client)
    profile_update(
        profile=fan, name="Renamed fan", kind=fan.kind, maturity_ceiling=fan.maturity_ceiling,
        avatar_colour=fan.avatar_colour,
    )  # fmt: skip
    assert "Renamed fan" in fetch(viewer_client)[1]


def test_a_lowered_ceiling_takes_the_titles_above_it_off_the_cached_page(viewer_client, community):
    fan = community["viewers"][1]  # a sci-fi fan: PG-13 titles fill the page
    _, first = fetch(viewer_client)
    scifi = community["titles"]["scifi"]
    assert any(f"/title/{t.slug}/" in first for t in scifi)
    profile_update(
        profile=fan, name=fan.name, kind=fan.kind, maturity_ceiling=10,
        avatar_colour=fan.avatar_colour,
    )  # fmt: skip
    _, after = fetch(viewer_client)
    assert not any(f"/title/{t.slug}/" in after for t in scifi)


def test_after_sign_out_the_old_cookie_gets_no_page(viewer_client):
    fetch(viewer_client)
    cookies = {name: morsel.value for name, morsel in viewer_client.cookies.items()}
    viewer_client.post("/accounts/logout/")
    replay = Client()
    for name, value in cookies.items():
        replay.cookies[name] = value
    response = replay.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_new_password_elsewhere_ends_this_sessions_cached_page(viewer_client, community):
    fetch(viewer_client)
    account = community["viewers"][1].household
    account.set_password("a-brand-new-password-42")
    account.save()
    response = viewer_client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_with_database_sessions_every_request_runs_the_view(
    settings, community, django_assert_max_num_queries
):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    call_command("recompute_recs", verbosity=0)
    client = Client()
    login_as(client, community["viewers"][1])
    client.get("/")
    client.get("/")
    with django_assert_max_num_queries(3) as captured:
        client.get("/")
    assert len(captured) > 0


def wsgi_get(app, client, path="/", host="testserver"):
    """One GET straight through a WSGI application, with the test client's cookies."""
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
        "SERVER_NAME": "testserver", "SERVER_PORT": "80", "HTTP_HOST": host,
        "HTTP_COOKIE": cookie, "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
    }  # fmt: skip
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    # As Django's test client does: a request must not close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(app(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], body.decode()


@not_stored_any_more
def test_the_wsgi_entry_answers_a_hit_before_django_and_refuses_unknown_hosts(
    viewer_client, django_assert_num_queries
):
    app = wsgi_application(WSGIHandler())
    status, _, first = wsgi_get(app, viewer_client)  # stored by the middleware behind it
    with django_assert_num_queries(0):
        again_status, headers, again = wsgi_get(app, viewer_client)
    assert status == again_status == "200 OK" and again == first
    assert headers["Content-Length"] == str(len(again.encode()))
    assert headers["X-Frame-Options"] == "DENY" and headers["Cache-Control"] == "private"
    assert wsgi_get(app, viewer_client, host="evil.example")[0].startswith("400")


def test_a_title_raised_above_a_kids_ceiling_leaves_the_cached_page(settings, community):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    call_command("recompute_recs", verbosity=0)
    client = Client()
    login_as(client, community["kid"])
    client.get("/")
    _, first = fetch(client)
    shown = next(t for t in community["titles"]["family"] if f"/title/{t.slug}/" in first)
    shown.certification = "R"
    shown.save()
    _, after = fetch(client)
    assert f"/title/{shown.slug}/" not in after


def test_reordering_my_list_shows_on_the_cached_rail(viewer_client, community):
    from profiles.services import my_list_add

    fan = community["viewers"][1]
    first, second = community["titles"]["family"][:2]
    my_list_add(profile=fan, title=first)
    my_list_add(profile=fan, title=second)
    _, before = fetch(viewer_client, "/rails/my-list/", HX_Request="true")
    assert before.index(first.slug) < before.index(second.slug)
    viewer_client.post(f"/title/{second.slug}/my-list/position/", {"position": "0"})
    _, after = fetch(viewer_client, "/rails/my-list/", HX_Request="true")
    assert after.index(second.slug) < after.index(first.slug)
