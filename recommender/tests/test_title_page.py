import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalog.models import Title
from catalog.services import titles_update
from catalog.tests.factories import CreditFactory, PersonFactory, TitleFactory
from profiles.tests.factories import KidsProfileFactory, ProfileFactory
from profiles.tests.sessions import login_as
from recommender.pages import title_for_page

pytestmark = pytest.mark.django_db


def test_title_page_explains_and_shows_three_carousels(client, community):
    call_command("recompute_recs", verbosity=0)
    fan = community["viewers"][1]  # sci-fi
    scifi = community["titles"]["scifi"]
    unseen = next(t for t in scifi if not t.ratings.filter(profile=fan).exists())
    person = PersonFactory(name="Shared Star")
    CreditFactory(title=unseen, person=person)
    CreditFactory(title=scifi[0] if scifi[0] != unseen else scifi[1], person=person)
    login_as(client, fan)
    page = client.get(unseen.get_absolute_url()).content.decode()
    assert "% match" in page and "Because you liked scifi" in page
    similar = reverse("recommender:title_similar", args=[unseen.slug])
    assert f'hx-get="{similar}" hx-trigger="revealed"' in page  # they load as they show
    carousels = client.get(similar, HTTP_HX_REQUEST="true").content.decode()
    for heading in ("More like this", "Shared cast and crew", "Same vibe"):
        assert heading in carousels
    assert 'id="rail-more-like-this"' in carousels


def test_title_carousels_stay_within_a_kids_ceiling(client, community):
    call_command("recompute_recs", verbosity=0)
    kid = community["kid"]
    family = community["titles"]["family"][0]
    crime = community["titles"]["crime"][0]
    CreditFactory(title=family, person=(star := PersonFactory(name="Both Worlds")))
    CreditFactory(title=crime, person=star)
    login_as(client, kid)
    similar = reverse("recommender:title_similar", args=[family.slug])
    for page in (client.get(similar), client.get(similar, HTTP_HX_REQUEST="true")):
        text = page.content.decode()
        assert "crime " not in text and "scifi " not in text
        assert 'id="rail-more-like-this"' in text


def test_title_page_works_before_any_model_exists(client, community):
    viewer = community["viewers"][0]
    title = TitleFactory(title="Lonely Film")
    login_as(client, viewer)
    response = client.get(title.get_absolute_url())
    assert response.status_code == 200 and b"% match" not in response.content


def test_kids_profile_cannot_open_r_rated_title_by_url(client):
    title = TitleFactory(title="Grown Up Thriller", certification="R")
    login_as(client, KidsProfileFactory())
    response = client.get(title.get_absolute_url())
    assert response.status_code == 404
    assert b"Not available" in response.content and b"Grown Up Thriller" not in response.content


def test_above_ceiling_and_missing_titles_get_the_same_answer(client):
    """One answer for both, so a kids profile cannot probe which titles exist (#16)."""
    title = TitleFactory(title="Grown Up Thriller", certification="R")
    login_as(client, KidsProfileFactory())
    hidden = client.get(title.get_absolute_url())
    missing = client.get("/title/no-such-title/")
    assert hidden.status_code == missing.status_code == 404
    # CSRF tokens and CSP nonces are new on every page.
    token = re.compile(rb'[A-Za-z0-9]{64}|nonce="[A-Za-z0-9_-]+"')
    assert token.sub(b"", hidden.content) == token.sub(b"", missing.content)


def test_title_page_shows_facts(client):
    title = TitleFactory(
        title="Heat", year=1995, runtime=170, certification="R", overview="Cops and robbers."
    )
    login_as(client, ProfileFactory())
    response = client.get(title.get_absolute_url())
    assert response.status_code == 200
    for text in (b"Heat", b"1995", b"170 min", b"Cops and robbers."):
        assert text in response.content


def test_unknown_title_is_404(client):
    login_as(client, ProfileFactory())
    assert client.get("/title/nothing-here/").status_code == 404


def test_title_page_rejects_wrong_method(client):
    title = TitleFactory()
    login_as(client, ProfileFactory())
    assert client.post(title.get_absolute_url()).status_code == 405


def test_the_explanation_follows_each_new_signal(community):
    """The profile's row is shared by its title pages only until a signal moves its version."""
    from profiles.services import rating_set
    from recommender.similar import title_explanation

    call_command("recompute_recs", verbosity=0)
    newcomer = ProfileFactory()
    scifi = community["titles"]["scifi"]
    assert title_explanation(profile=newcomer, title=scifi[1]) is None  # nothing to go on yet
    rating_set(profile=newcomer, title=scifi[0], stars=5)
    newcomer.refresh_from_db()
    explanation = title_explanation(profile=newcomer, title=scifi[1])
    assert explanation is not None and explanation.confidence > 0


def test_a_title_read_once_serves_every_profile_until_the_title_changes(
    client, django_assert_num_queries
):
    title = TitleFactory(title="Heat", year=1995, certification="R")
    first, second = ProfileFactory(), ProfileFactory()
    login_as(client, first)
    client.get(title.get_absolute_url())
    login_as(client, second)
    with django_assert_num_queries(0):  # the facts, genres, keywords and credits are shared
        assert title_for_page(second, title.slug).pk == title.pk
    titles_update(title_ids=[title.pk], title="Heat (director's cut)")
    assert b"Heat (director&#x27;s cut)" in client.get(title.get_absolute_url()).content


def test_a_shared_title_read_is_checked_against_a_kids_ceiling_again(client):
    """A certification raised behind the pipeline's back (a raw update) never reaches a kid."""
    title = TitleFactory(title="Family Trip", certification="PG")
    kid = KidsProfileFactory()
    login_as(client, kid)
    assert client.get(title.get_absolute_url()).status_code == 200  # now cached
    Title.objects.filter(pk=title.pk).update(certification="R")  # no rails_changed
    assert client.get(title.get_absolute_url()).status_code == 404


def test_an_explanation_names_no_title_above_the_profiles_ceiling_now(community):
    """A viewer of crime and sci-fi whose ceiling was lowered since is told why a sci-fi title
    suits them by titles it may still see, never by the R-rated ones it rated."""
    from profiles.models import Rating
    from recommender.similar import title_explanation

    scifi, crime = community["titles"]["scifi"], community["titles"]["crime"]
    viewer = ProfileFactory(name="Both")
    for title in [*scifi[:6], *crime[:6]]:
        Rating.objects.create(profile=viewer, title=title, value=5, created_at=community["now"])
    call_command("recompute_recs", verbosity=0)
    adult = title_explanation(profile=viewer, title=crime[7])
    assert adult is not None and any("crime" in reason for reason in adult.reasons)
    viewer.maturity_ceiling = 13  # PG-13: the crime block is R
    viewer.save(update_fields=["maturity_ceiling"])
    explanation = title_explanation(profile=viewer, title=scifi[8])
    assert explanation is not None and explanation.reasons
    assert not any("crime" in reason for reason in explanation.reasons)
    assert any("scifi" in reason for reason in explanation.reasons)
