"""The rails pipeline's invariants, driven through the services (as the API, curator tools and
imports will call them), not through the views: after each change, the very next home page,
every rail fragment on it, the hero, a title page's carousels and search leave the affected
titles out, with database sessions and with cached sessions. The pages are read once before
each change, so that every cache holds the old answer."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalog.models import Title
from catalog.services import titles_update
from profiles.models import Profile
from profiles.services import feedback_set, profile_delete, profile_update
from profiles.tests.factories import ProfileFactory
from profiles.tests.sessions import login_as
from recommender.models import CachedRecommendations
from recommender.pages import page_rails

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(params=["db", "cached_db"], ids=["database-sessions", "cached-sessions"])
def sessions(request, settings):
    settings.SESSION_ENGINE = f"django.contrib.sessions.backends.{request.param}"


@pytest.fixture
def rails_ready(community, sessions):
    call_command("recompute_recs", verbosity=0)
    return community


def surfaces(client, *, probe: Title, searches: list[str]) -> dict[str, str]:
    """Every surface a viewer reads: home (with its hero), each rail fragment it links to, the
    title page of `probe` (its carousels) and search results."""
    home = client.get("/")
    assert home.status_code == 200
    text = {"home": home.content.decode()}
    for key in sorted(set(re.findall(r"/rails/([-\w]+)/", text["home"]))):
        fragment = client.get(f"/rails/{key}/", **HTMX)
        assert fragment.status_code == 200, key
        text[f"rail {key}"] = fragment.content.decode()
    title_page = client.get(probe.get_absolute_url())
    assert title_page.status_code == 200
    text["title page"] = title_page.content.decode()
    similar = reverse("recommender:title_similar", args=[probe.slug])
    text["title carousels"] = client.get(similar, **HTMX).content.decode()
    text["title carousels page"] = client.get(similar).content.decode()
    for query in searches:
        text[f"search {query}"] = client.get("/search/", {"q": query}).content.decode()
    return text


def assert_omitted(pages: dict[str, str], titles: list[Title]) -> None:
    for where, text in pages.items():
        for title in titles:
            assert f"/title/{title.slug}/" not in text, f"{title.title} linked on {where}"
            assert f"/posters/{title.slug}.svg" not in text, f"{title.title} poster on {where}"
            assert re.search(rf"\b{re.escape(title.title)}\b", text) is None, (
                f"{title.title} named on {where}"
            )


def shown(profile) -> set[int]:
    hero, rails = page_rails(profile)
    return {t.title.pk for rail in rails for t in rail.tiles} | ({hero.title.pk} if hero else set())


@pytest.mark.parametrize("value", ["down", "not_interested"])
def test_a_rejected_title_leaves_every_surface_at_once(client, rails_ready, value):
    fan = rails_ready["viewers"][1]  # a sci-fi fan
    login_as(client, fan)
    hero, _ = page_rails(fan)
    target = hero.title
    probe = next(t for t in rails_ready["titles"]["scifi"] if t.pk != target.pk)
    before = surfaces(client, probe=probe, searches=["scifi"])
    assert f"/title/{target.slug}/" in before["home"]
    feedback_set(profile=fan, title=target, value=value)
    assert_omitted(surfaces(client, probe=probe, searches=["scifi"]), [target])


def _crime_fan_with_a_second_adult(community) -> Profile:
    fan = community["viewers"][2]  # a crime fan: R-rated history
    ProfileFactory(household=fan.household, name="Other adult")
    return fan


def _change(profile: Profile, **changes) -> None:
    fields = {
        "name": profile.name, "kind": profile.kind, "maturity_ceiling": profile.maturity_ceiling,
        "avatar_colour": profile.avatar_colour, "avatar": profile.avatar,
        "language": profile.language,
    }  # fmt: skip
    profile_update(profile=profile, **(fields | changes))


def test_a_lowered_ceiling_hides_the_titles_of_its_own_history(client, rails_ready):
    fan = _crime_fan_with_a_second_adult(rails_ready)
    crime = rails_ready["titles"]["crime"]
    login_as(client, fan)
    before = surfaces(client, probe=rails_ready["titles"]["scifi"][0], searches=["crime"])
    assert "Because you watched crime" in before["home"]
    _change(fan, maturity_ceiling=13)  # R is 17
    after = surfaces(client, probe=rails_ready["titles"]["scifi"][0], searches=["crime"])
    assert_omitted(after, crime)


def test_a_profile_turned_into_a_kids_profile_sees_only_kids_titles(client, rails_ready):
    fan = _crime_fan_with_a_second_adult(rails_ready)
    login_as(client, fan)
    surfaces(client, probe=rails_ready["titles"]["family"][0], searches=["crime", "scifi"])
    _change(fan, kind=Profile.Kind.KIDS, maturity_ceiling=7)
    after = surfaces(client, probe=rails_ready["titles"]["family"][0], searches=["crime", "scifi"])
    assert_omitted(after, rails_ready["titles"]["crime"] + rails_ready["titles"]["scifi"])


@pytest.mark.parametrize("path", ["catalogue service", "raw queryset update"])
def test_a_raised_certification_leaves_a_kids_profile_at_once(client, rails_ready, path):
    kid = rails_ready["kid"]
    login_as(client, kid)
    raised = sorted((Title.objects.get(pk=pk) for pk in shown(kid)), key=lambda t: t.title)[:3]
    probe = next(t for t in rails_ready["titles"]["family"] if t not in raised)
    before = surfaces(client, probe=probe, searches=["family"])
    assert all(f"/title/{t.slug}/" in before["home"] for t in raised)
    ids = [t.pk for t in raised]
    if path == "catalogue service":
        titles_update(title_ids=ids, certification="R")
    else:  # the path a bulk import takes, telling nobody
        Title.objects.filter(pk__in=ids).update(certification="R")
    assert_omitted(surfaces(client, probe=probe, searches=["family"]), raised)


def test_a_deleted_profile_leaves_no_rails_and_no_page(client, rails_ready):
    fan = _crime_fan_with_a_second_adult(rails_ready)
    login_as(client, fan)
    surfaces(client, probe=rails_ready["titles"]["crime"][0], searches=["crime"])
    pk = fan.pk
    profile_delete(profile=fan)
    assert not CachedRecommendations.objects.filter(profile_id=pk).exists()
    assert client.get("/").status_code == 302  # back to "Who's watching?"
    assert client.get("/rails/for-you/", **HTMX).status_code == 302
