"""Feedback that agrees with a recommendation keeps it in place; a cold start claims no match."""

import pytest
from django.core.management import call_command

from catalog.models import Title
from profiles.models import Feedback
from profiles.services import feedback_set, seen_set
from profiles.tests.factories import ProfileFactory
from profiles.tests.sessions import login_as
from recommender.pages import page_rails

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def for_you(profile):
    _, rails = page_rails(profile)
    return next(rail for rail in rails if rail.key == "for-you")


def test_thumbs_up_keeps_the_title_in_for_you_at_its_place(client, community):
    call_command("recompute_recs", verbosity=0)
    fan = community["viewers"][1]
    before = [tile.title.pk for tile in for_you(fan).tiles]
    target = before[2]
    login_as(client, fan)
    title = Title.objects.get(pk=target)
    response = client.post(
        f"/title/{title.slug}/feedback/", {"value": "up", "context": "rail", "next": "/"}, **HTMX
    )
    assert response.status_code == 200
    assert f'id="tile-for-you-{target}"' in response.content.decode()
    rail = for_you(fan)
    after = [tile.title.pk for tile in rail.tiles]
    assert after.index(target) == 2
    assert rail.tiles[2].reason == "You liked this"
    # And the nightly run keeps it there too.
    call_command("recompute_recs", verbosity=0)
    assert [tile.title.pk for tile in for_you(fan).tiles].index(target) == 2


def test_love_keeps_the_title_in_for_you(community):
    call_command("recompute_recs", verbosity=0)
    fan = community["viewers"][4]
    target = for_you(fan).tiles[0].title
    feedback_set(profile=fan, title=target, value="love")
    assert for_you(fan).tiles[0].title == target


def test_thumbs_down_still_removes_a_liked_title(community):
    call_command("recompute_recs", verbosity=0)
    fan = community["viewers"][1]
    target = for_you(fan).tiles[0].title
    feedback_set(profile=fan, title=target, value="up")
    feedback_set(profile=fan, title=target, value="down")
    assert target.pk not in [tile.title.pk for tile in for_you(fan).tiles]


def test_seen_it_does_not_clear_love(community):
    fan = community["viewers"][0]
    title = community["titles"]["family"][0]
    feedback_set(profile=fan, title=title, value="love")
    seen_set(profile=fan, title=title, seen=True)
    row = Feedback.objects.get(profile=fan, title=title)
    assert (row.value, row.seen) == ("love", True)
    feedback_set(profile=fan, title=title, value="")  # clearing the opinion keeps "seen"
    row.refresh_from_db()
    assert (row.value, row.seen) == ("", True)
    seen_set(profile=fan, title=title, seen=False)
    assert not Feedback.objects.filter(profile=fan, title=title).exists()


def test_seen_button_on_the_title_page_keeps_love(client, community):
    fan = community["viewers"][0]
    title = community["titles"]["family"][0]
    login_as(client, fan)
    client.post(f"/title/{title.slug}/feedback/", {"value": "love"}, **HTMX)
    response = client.post(f"/title/{title.slug}/feedback/", {"seen": "1"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'title="Love this"' in html and html.count('aria-pressed="true"') == 2
    assert client.post(f"/title/{title.slug}/feedback/", {"seen": "yes"}).status_code == 400


def test_a_cold_start_hero_claims_no_match(client, community):
    call_command("recompute_recs", verbosity=0)
    newcomer = ProfileFactory(name="Newcomer")
    hero, rails = page_rails(newcomer)
    assert hero is not None and hero.match_percent is None
    assert all(tile.match_percent is None for rail in rails for tile in rail.tiles)
    login_as(client, newcomer)
    assert "% match" not in client.get("/").content.decode()


def test_a_profile_with_signals_still_sees_its_match(community):
    call_command("recompute_recs", verbosity=0)
    hero, _ = page_rails(community["viewers"][1])
    assert hero is not None and hero.match_percent is not None


def test_an_old_form_posting_value_seen_sets_the_flag_and_keeps_love(client, community):
    fan = community["viewers"][0]
    title = community["titles"]["family"][1]
    login_as(client, fan)
    client.post(f"/title/{title.slug}/feedback/", {"value": "love"}, **HTMX)
    client.post(f"/title/{title.slug}/feedback/", {"value": "seen"}, **HTMX)
    row = Feedback.objects.get(profile=fan, title=title)
    assert (row.value, row.seen) == ("love", True)


def test_a_title_liked_while_cold_keeps_its_place_without_taking_the_rails_match(community):
    """A newcomer's first like is of a tile shown with no match; once the profile has signals
    the rest of For You shows its match again, and only that tile shows none."""
    call_command("recompute_recs", verbosity=0)
    newcomer = ProfileFactory(name="Newcomer")
    target = for_you(newcomer).tiles[1].title
    feedback_set(profile=newcomer, title=target, value="love")
    rail = for_you(newcomer)
    liked = next(tile for tile in rail.tiles if tile.title == target)
    assert liked.reason == "You liked this" and liked.match_percent is None
    others = [tile for tile in rail.tiles if tile.title != target]
    assert others and all(tile.match_percent is not None for tile in others)
