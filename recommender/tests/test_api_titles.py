"""/api/v1/profiles/<id>/titles/ (search and facets), titles/<slug>/, titles/<slug>/similar/
and people/<slug>/: what the profile may see, as the search and title pages show it."""

import pytest

from profiles.services import feedback_set
from profiles.tests.api_cast import assert_error, bearer, cast_make

pytestmark = pytest.mark.django_db


def _get(client, profile, rest, **params):
    return client.get(f"/api/v1/profiles/{profile.pk}/{rest}", params)


def test_the_catalogue_is_popular_first_with_facets_and_pages():
    cast = cast_make(fans=0)
    client = bearer(cast.household)
    body = _get(client, cast.adult, "titles/").json()
    assert body["count"] == 16 and body["next_page"] is None
    assert body["results"][0]["slug"] == cast.crime[0].slug  # the most popular
    genres = {f["label"]: f["count"] for f in body["facets"]["genre"]}
    assert genres == {"Crime": 8, "Family": 8}
    kid = _get(client, cast.kid, "titles/").json()
    assert kid["count"] == 8 and all(t["certification"] == "G" for t in kid["results"])


def test_search_is_typo_tolerant_and_leaves_out_rejected_titles():
    cast = cast_make(fans=0)
    client = bearer(cast.household)
    found = _get(client, cast.adult, "titles/", q="sunny medow").json()
    assert {t["slug"] for t in found["results"]} == {t.slug for t in cast.family}
    feedback_set(profile=cast.adult, title=cast.family[0], value="not_interested")
    again = _get(client, cast.adult, "titles/", q="sunny medow", page=1).json()
    assert cast.family[0].slug not in {t["slug"] for t in again["results"]}


def test_bad_search_parameters_are_a_400_naming_them():
    cast = cast_make(fans=0)
    client = bearer(cast.household)
    for params, word in [({"page": 0}, "page"), ({"kind": "book"}, "kind"),
                         ({"year_min": 2000, "year_max": 1990}, "year_min")]:  # fmt: skip
        response = _get(client, cast.adult, "titles/", **params)
        assert_error(response, 400, "invalid")
        assert word in str(response.json()["detail"])


def test_a_title_above_the_ceiling_is_404_like_a_missing_one():
    cast = cast_make(fans=0)
    client = bearer(cast.household)
    detail = _get(client, cast.kid, f"titles/{cast.family[0].slug}/").json()
    assert detail["title"]["credits"][0]["person"] == "Dana Director"
    assert detail["state"]["feedback"] == ""
    assert_error(_get(client, cast.kid, f"titles/{cast.crime[0].slug}/"), 404, "not_found")
    assert_error(_get(client, cast.kid, "titles/no-such-title/"), 404, "not_found")


def test_similar_titles_by_mode_stay_within_the_ceiling():
    cast = cast_make(fans=0)
    client = bearer(cast.household)
    adult = _get(client, cast.adult, f"titles/{cast.family[0].slug}/similar/", mode="shared-cast")
    assert [t["slug"] for t in adult.json()["results"]] == [cast.crime[0].slug]
    kid = _get(client, cast.kid, f"titles/{cast.family[0].slug}/similar/", mode="shared-cast")
    assert kid.json()["results"] == []
    more = _get(client, cast.kid, f"titles/{cast.family[0].slug}/similar/").json()
    assert more["mode"] == "more-like-this"
    assert {t["certification"] for t in more["results"]} <= {"G"}
    bad = _get(client, cast.kid, f"titles/{cast.family[0].slug}/similar/", mode="random")
    assert_error(bad, 400, "invalid")


def test_similar_titles_leave_out_a_genre_the_profile_keeps_away():
    cast = cast_make(fans=0)
    client = bearer(cast.household)
    path = f"titles/{cast.family[0].slug}/similar/"
    assert _get(client, cast.adult, path, mode="shared-cast").json()["results"]  # a crime title
    cast.adult.preferences.genre_weights = {"crime": -1.0}
    cast.adult.preferences.save()
    assert _get(client, cast.adult, path, mode="shared-cast").json()["results"] == []


def test_a_persons_credits_leave_out_titles_above_the_ceiling():
    cast = cast_make(fans=0)
    client = bearer(cast.household)
    adult = _get(client, cast.adult, "people/dana-director/").json()
    assert {c["title"]["slug"] for c in adult["credits"]} == {
        cast.family[0].slug,
        cast.crime[0].slug,
    }
    kid = _get(client, cast.kid, "people/dana-director/").json()
    assert [c["title"]["slug"] for c in kid["credits"]] == [cast.family[0].slug]
    assert_error(_get(client, cast.kid, "people/nobody/"), 404, "not_found")
