"""Pins, collections and hero overrides on a viewer's real home page: scheduling windows,
audiences and the kids ceiling, read at request time through the rails pipeline."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from curator.services import collection_save, hero_save, pin_save
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db
HOUR = timedelta(hours=1)


def _home(client, profile) -> str:
    login_as(client, profile)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _collection(curator, titles, **fields):
    fields = {"name": "Weekend picks", "description": "Hand-picked", "position": 1,
              "audience": "all", "starts_at": None, "ends_at": None} | fields  # fmt: skip
    return collection_save(actor=curator, fields=fields, title_ids=[t.pk for t in titles])


@pytest.mark.parametrize(
    ("starts", "ends", "shown"),
    [(HOUR, 2 * HOUR, False), (-HOUR, HOUR, True), (-2 * HOUR, -HOUR, False), (None, None, True)],
    ids=["before", "during", "after", "open"],
)
def test_collection_shows_only_inside_its_window(client, curator_user, cast, starts, ends, shown):
    now = timezone.now()
    _collection(
        curator_user, [cast["titles"]["g"]],
        starts_at=starts and now + starts, ends_at=ends and now + ends,
    )  # fmt: skip
    assert ("Weekend picks" in _home(client, cast["adult"])) is shown


@pytest.mark.parametrize(
    ("starts", "ends", "shown"),
    [(HOUR, 2 * HOUR, False), (-HOUR, HOUR, True), (-2 * HOUR, -HOUR, False)],
    ids=["before", "during", "after"],
)
def test_hero_override_shows_only_inside_its_window(
    client, curator_user, cast, starts, ends, shown
):
    now = timezone.now()
    hero_save(actor=curator_user, fields={
        "title": cast["titles"]["pg13"], "message": "Editor's choice", "audience": "all",
        "starts_at": now + starts, "ends_at": now + ends,
    })  # fmt: skip
    html = _home(client, cast["adult"])
    hero = html[html.index('class="hero"') : html.index("</section>", html.index('class="hero"'))]
    assert ("Space Run" in hero and "Editor&#x27;s choice" in hero) is shown


@pytest.mark.parametrize(
    ("starts", "ends", "first"),
    [(HOUR, 2 * HOUR, False), (-HOUR, HOUR, True), (-2 * HOUR, -HOUR, False)],
    ids=["before", "during", "after"],
)
def test_pin_moves_its_title_first_only_inside_its_window(
    client, curator_user, cast, starts, ends, first
):
    now = timezone.now()
    pinned = cast["titles"]["pg13"]  # not popular: never first on its own
    pin_save(actor=curator_user, fields={
        "title": pinned, "rail_key": "for-you", "position": 1, "audience": "all",
        "starts_at": now + starts, "ends_at": now + ends,
    })  # fmt: skip
    html = _home(client, cast["adult"])
    rail = html[html.index('id="rail-for-you"') :]
    first_tile = rail[rail.index('id="tile-for-you-') :].split('"')[1]
    assert (first_tile == f"tile-for-you-{pinned.pk}") is first


def test_a_cached_home_page_follows_the_schedule_without_any_write(client, curator_user, cast):
    now = timezone.now()
    _collection(curator_user, [cast["titles"]["g"]], starts_at=now + HOUR)
    assert "Weekend picks" not in _home(client, cast["adult"])
    assert "Weekend picks" not in _home(client, cast["adult"])  # now from the fragment cache
    with mock.patch("django.utils.timezone.now", return_value=now + 2 * HOUR):
        assert "Weekend picks" in _home(client, cast["adult"])


def test_collection_sits_at_its_position_among_the_rails(client, curator_user, cast):
    _collection(curator_user, [cast["titles"]["g"]], position=1)
    html = _home(client, cast["adult"])
    sections = [part.split('"')[0] for part in html.split('<section class="rail" id="')[1:]]
    assert sections[0].startswith("rail-collection-")


@pytest.mark.parametrize(
    ("audience", "adult_sees", "kid_sees"),
    [("all", True, True), ("adults", True, False), ("kids", False, True)],
)
def test_audiences_choose_who_sees_a_collection(
    client, curator_user, cast, audience, adult_sees, kid_sees
):
    _collection(curator_user, [cast["titles"]["g"]], audience=audience)
    assert ("Weekend picks" in _home(client, cast["adult"])) is adult_sees
    assert ("Weekend picks" in _home(client, cast["kid"])) is kid_sees


def test_kids_never_see_an_r_title_of_a_collection(client, curator_user, cast):
    titles = cast["titles"]
    _collection(curator_user, [titles["r"], titles["g"]])
    kid_html = _home(client, cast["kid"])
    assert "Weekend picks" in kid_html and "Sunny Meadow" in kid_html
    assert "Night Heist" not in kid_html
    assert "Night Heist" in _home(client, cast["adult"])


def test_kids_never_see_a_pinned_r_title_nor_an_r_hero(client, curator_user, cast):
    r_title = cast["titles"]["r"]
    pin_save(
        actor=curator_user,
        fields={
            "title": r_title,
            "rail_key": "for-you",
            "position": 1,
            "audience": "all",
            "starts_at": None,
            "ends_at": None,
        },
    )
    hero_save(actor=curator_user, fields={"title": r_title, "message": "Tonight", "audience": "all",
                                          "starts_at": None, "ends_at": None})  # fmt: skip
    assert "Night Heist" not in _home(client, cast["kid"])
    assert "Night Heist" in _home(client, cast["adult"])


def test_a_collection_rail_opens_as_its_own_page_for_the_profile(client, curator_user, cast):
    collection = _collection(curator_user, [cast["titles"]["r"], cast["titles"]["g"]])
    login_as(client, cast["kid"])
    response = client.get(f"/rails/{collection.rail_key}/")
    assert response.status_code == 200
    assert b"Sunny Meadow" in response.content and b"Night Heist" not in response.content


def test_a_curator_change_reaches_a_viewer_whose_page_was_cached(client, curator_user, cast):
    assert "Weekend picks" not in _home(client, cast["adult"])
    _collection(curator_user, [cast["titles"]["g"]])
    assert "Weekend picks" in _home(client, cast["adult"])


def test_home_with_curation_and_a_running_experiment_keeps_bounded_queries(
    client, curator_user, cast, running_experiment, django_assert_max_num_queries
):
    _collection(curator_user, [cast["titles"]["g"], cast["titles"]["r"]])
    pin_save(actor=curator_user, fields={"title": cast["titles"]["pg13"], "rail_key": "for-you",
                                         "position": 1, "audience": "all"})  # fmt: skip
    login_as(client, cast["adult"])
    client.get("/")  # computes the profile's rails, which moves its version
    with django_assert_max_num_queries(15):  # rendered anew: as many as without the curator
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(6):  # from the fragment cache, one impression written
        assert client.get("/").status_code == 200
