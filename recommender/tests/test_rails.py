import pytest
from django.core.management import call_command

from profiles.services import feedback_set
from profiles.tests.factories import ProfileFactory
from profiles.tests.sessions import login_as
from recommender.pages import page_rails
from recommender.rails import stored_rows
from recommender.services import recommendations_refresh

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def shown_ids(profile):
    _, rails = page_rails(profile)
    return {rail.key: [tile.title.pk for tile in rail.tiles] for rail in rails}


def test_thumbs_down_from_a_tile_removes_the_title_from_every_rail_in_the_response(
    client, community
):
    call_command("recompute_recs", verbosity=0)
    fan = community["viewers"][1]
    login_as(client, fan)
    rail = client.get("/rails/for-you/", **HTMX).content.decode()
    target = shown_ids(fan)["for-you"][0]
    assert f"tile-for-you-{target}" in rail
    title = next(t for ts in community["titles"].values() for t in ts if t.pk == target)
    response = client.post(
        f"/title/{title.slug}/feedback/", {"value": "down", "context": "rail", "next": "/"}, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'hx-swap-oob="outerHTML"' in body and 'id="rail-for-you"' in body
    assert f'-{target}"' not in body  # no tile of that title in any returned rail
    assert all(target not in ids for ids in shown_ids(fan).values())
    assert 'name="next" value="/"' in body  # the new tiles still point back at the home page
    reload = client.get("/rails/for-you/", **HTMX).content.decode()
    assert f"tile-for-you-{target}" not in reload  # a reload agrees


def test_rails_refill_from_the_kept_candidates(community):
    call_command("recompute_recs", verbosity=0)
    fan = community["viewers"][1]
    before = shown_ids(fan)["for-you"]
    title_id = before[0]
    from catalog.models import Title

    feedback_set(profile=fan, title=Title.objects.get(pk=title_id), value="not_interested")
    after = shown_ids(fan)["for-you"]
    assert title_id not in after and len(after) >= min(len(before), 1)


def test_a_kids_profile_sees_nothing_above_its_ceiling_on_any_rail(client, community):
    call_command("recompute_recs", verbosity=0)
    kid = community["kid"]
    hero, rails = page_rails(kid)
    titles = [tile.title for rail in rails for tile in rail.tiles] + [hero.title]
    assert titles and all(t.maturity_level <= 7 for t in titles)
    login_as(client, kid)
    page = client.get("/").content.decode()
    assert "crime 0" not in page and "scifi 0" not in page


def test_without_any_model_pages_still_render_popular_titles(client, community):
    profile = ProfileFactory()
    login_as(client, profile)
    response = client.get("/")
    assert response.status_code == 200
    assert "For You" in response.content.decode()
    assert stored_rows(profile.pk)[0][0]["reasons"][0].startswith("Popular")


def test_an_empty_rail_shows_its_next_step(client, community):
    login_as(client, ProfileFactory())
    page = client.get("/").content.decode()
    assert "Add titles with + My List." in page


def test_stored_rails_and_shared_rails_are_read_in_one_query(community, django_assert_num_queries):
    call_command("recompute_recs", verbosity=0)
    fan = community["viewers"][0]
    with django_assert_num_queries(1):
        personal, shared = stored_rows(fan.pk)
    assert {row["rail_key"] for row in personal} >= {"for-you"}
    assert [row["rail_key"] for row in shared] == ["trending"]


def test_lazy_rail_fragment_and_full_page_share_a_url(client, community):
    call_command("recompute_recs", verbosity=0)
    login_as(client, community["viewers"][0])
    fragment = client.get("/rails/for-you/", **HTMX)
    page = client.get("/rails/for-you/")
    assert fragment.status_code == page.status_code == 200
    assert b"<html" not in fragment.content and b"<html" in page.content
    assert b'id="rail-for-you"' in fragment.content
    assert fragment["Vary"].count("HX-Request") == 1
    assert client.get("/rails/not-a-rail/").status_code == 404


def test_rail_fragment_needs_a_profile(client, community):
    assert client.get("/rails/for-you/").status_code == 302
    assert client.post("/rails/for-you/").status_code in (302, 405)


def test_for_you_never_runs_dry_when_rejections_outnumber_the_candidate_pool(
    community, monkeypatch
):
    from catalog.models import Title
    from recommender import services

    monkeypatch.setattr(services, "POOL", 4)
    call_command("recompute_recs", verbosity=0)
    fan = community["viewers"][1]
    for _ in range(3):  # three rounds of rejecting the whole pool
        for title_id in shown_ids(fan)["for-you"]:
            feedback_set(profile=fan, title=Title.objects.get(pk=title_id), value="down")
        recommendations_refresh(profile=fan)
    assert len(shown_ids(fan)["for-you"]) == 4


def _computed_at(profile):
    from recommender.models import CachedRecommendations

    return set(
        CachedRecommendations.objects.filter(profile=profile).values_list("computed_at", flat=True)
    )


def _post_feedback(client, title, value):
    return client.post(
        f"/title/{title.slug}/feedback/", {"value": value, "context": "rail", "next": "/"}, **HTMX
    )


def test_a_first_thumbs_down_keeps_the_stored_rails_and_still_hides_the_title(
    client, community, monkeypatch
):
    from catalog.models import Title
    from recommender import rails

    monkeypatch.setattr(rails, "RAIL_SIZE", 3)  # 10 spare of 13 wanted: the rails stay stocked
    call_command("recompute_recs", verbosity=0)
    fan = community["viewers"][1]
    login_as(client, fan)
    computed = _computed_at(fan)
    shown = shown_ids(fan)
    others = [ids for key, ids in shown.items() if key != "for-you"]
    least_shown = min(shown["for-you"], key=lambda pk: sum(pk in ids for ids in others))
    target = Title.objects.get(pk=least_shown)
    body = _post_feedback(client, target, "down").content.decode()
    assert f'-{target.pk}"' not in body
    assert all(target.pk not in ids for ids in shown_ids(fan).values())
    assert _computed_at(fan) == computed  # nothing recomputed


def test_taking_back_a_thumbs_up_recomputes_the_rails(client, community):
    from catalog.models import Title

    call_command("recompute_recs", verbosity=0)
    fan = community["viewers"][1]
    login_as(client, fan)
    target = Title.objects.get(pk=shown_ids(fan)["for-you"][0])
    _post_feedback(client, target, "up")
    computed = _computed_at(fan)
    _post_feedback(client, target, "down")
    assert _computed_at(fan) != computed


def test_rejections_that_thin_a_rail_below_a_page_recompute_it(client, community):
    from catalog.models import Title

    call_command("recompute_recs", verbosity=0)
    fan = community["viewers"][1]
    login_as(client, fan)
    computed = _computed_at(fan)
    # The community's rails hold fewer than a page and its spares: any rejection thins them.
    target = Title.objects.get(pk=shown_ids(fan)["for-you"][0])
    _post_feedback(client, target, "not_interested")
    assert _computed_at(fan) != computed


def test_a_thumbs_down_on_the_hero_replaces_the_hero_in_the_same_response(client, community):
    call_command("recompute_recs", verbosity=0)
    fan = community["viewers"][1]
    login_as(client, fan)
    hero, _ = page_rails(fan)
    body = _post_feedback(client, hero.title, "down").content.decode()
    assert 'id="hero"' in body and 'hx-swap-oob="outerHTML"' in body
    assert f"/title/{hero.title.slug}/" not in body
    new_hero, _ = page_rails(fan)
    assert new_hero.title != hero.title and f"/title/{new_hero.title.slug}/" in body


def test_a_title_name_of_any_length_fits_the_rails_and_its_pages(client, community):
    from catalog.tests.factories import TitleFactory
    from profiles.models import Feedback

    fan = community["viewers"][1]
    epic = TitleFactory(
        title=("The Very Long " * 22)[:299] + "!", certification="PG-13",
        genres=list(community["titles"]["scifi"][0].genres.all()),
    )  # fmt: skip
    assert len(epic.title) == 300  # the column's limit
    for viewer in community["viewers"][1::3]:  # the sci-fi fans love it
        Feedback.objects.create(profile=viewer, title=epic, value="love", created_at=fan.created_at)
    call_command("recompute_recs", verbosity=0)
    login_as(client, fan)
    page = client.get("/")
    assert page.status_code == 200
    assert f"Because you watched {epic.title}" in page.content.decode()
    assert client.post(f"/title/{epic.slug}/rate/", {"stars": 5}).status_code == 302


def test_home_draws_only_its_first_rails_and_the_hero(community):
    """Rails past the first `filled` come with their headings only (they load as they scroll
    into view), so their titles are never read whole; the hero comes from For You wherever
    that rail sits."""
    call_command("recompute_recs", verbosity=0)
    fan = community["viewers"][1]
    hero_all, full = page_rails(fan)
    hero, rails = page_rails(fan, filled=1)
    assert [rail.key for rail in rails] == [rail.key for rail in full]
    assert [rail.heading for rail in rails] == [rail.heading for rail in full]
    assert rails[0].tiles and all(not rail.tiles for rail in rails[1:])
    assert hero.title.pk == hero_all.title.pk == full_rail(full, "for-you").tiles[0].title.pk
    assert hero.reason == hero_all.reason


def full_rail(rails, key):
    return next(rail for rail in rails if rail.key == key)
