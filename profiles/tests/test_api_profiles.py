"""/api/v1/profiles/ (list, create), /profiles/<id>/ and /profiles/<id>/insights/."""

import pytest
from django.utils import timezone

from profiles.models import Profile, Rating, WatchEvent
from profiles.tests.api_cast import assert_error, bearer, cast_make

pytestmark = pytest.mark.django_db


def test_the_list_holds_only_this_households_profiles():
    cast = cast_make(fans=0)
    body = bearer(cast.household).get("/api/v1/profiles/").json()
    assert [p["name"] for p in body] == ["Alice", "Kid"]
    kid = body[1]
    assert (kid["kind"], kid["maturity_ceiling"], kid["effective_ceiling"]) == ("kids", 7, 7)


def test_create_a_profile_and_the_limits_answer_400_or_409():
    cast = cast_make(fans=0)
    client = bearer(cast.household)
    made = client.post("/api/v1/profiles/", {"name": "Sam", "kind": "kids"}, format="json")
    assert made.status_code == 201 and made.json()["maturity_ceiling"] == 7
    too_old = client.post("/api/v1/profiles/", {"name": "Teen", "kind": "kids",
                                                "maturity_ceiling": 14}, format="json")  # fmt: skip
    assert_error(too_old, 400, "invalid")
    assert_error(client.post("/api/v1/profiles/", {"name": "sam"}, format="json"), 409, "conflict")
    for name in ("D", "E"):
        client.post("/api/v1/profiles/", {"name": name}, format="json")
    sixth = client.post("/api/v1/profiles/", {"name": "F"}, format="json")
    assert_error(sixth, 409, "conflict")
    assert Profile.objects.filter(household=cast.household).count() == 5


def test_one_profile_and_another_households_is_404():
    cast = cast_make(fans=0)
    client = bearer(cast.household)
    assert client.get(f"/api/v1/profiles/{cast.kid.pk}/").json()["name"] == "Kid"
    assert_error(client.get(f"/api/v1/profiles/{cast.stranger.pk}/"), 404, "not_found")


def test_insights_count_the_profiles_own_activity_within_its_ceiling():
    cast = cast_make(fans=0)
    now = timezone.now()
    Rating.objects.create(profile=cast.kid, title=cast.family[0], value=5, created_at=now)
    Rating.objects.create(profile=cast.kid, title=cast.crime[0], value=5, created_at=now)
    for title, event in ((cast.family[1], "complete"), (cast.family[2], "progress")):
        WatchEvent.objects.create(
            profile=cast.kid, title=title, event=event, position_seconds=600,
            duration_seconds=600, created_at=now,
        )  # fmt: skip
    body = bearer(cast.household).get(f"/api/v1/profiles/{cast.kid.pk}/insights/").json()
    assert body["ratings"] == 1  # the R-rated one is above the kid's ceiling
    assert (body["titles_started"], body["titles_completed"]) == (2, 1)
    assert body["completion_rate"] == 0.5 and body["viewing_minutes"] == 20
    assert body["favourite_genres"] == [{"genre": "Family", "titles": 2}]


def test_the_browsers_session_signs_in_too_and_writes_need_its_csrf_token():
    cast = cast_make(fans=0)
    from rest_framework.test import APIClient

    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(cast.household)
    assert [p["name"] for p in browser.get("/api/v1/profiles/").json()] == ["Alice", "Kid"]
    refused = browser.post("/api/v1/profiles/", {"name": "Sam"}, format="json")
    assert_error(refused, 403, "permission_denied")
