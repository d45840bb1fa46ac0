"""The signal endpoints under /api/v1/profiles/<id>/: feedback, rating, watch progress, My List
and the watch history, through the same services as the title page."""

import pytest
from django.utils import timezone

from profiles.models import Feedback, Rating, WatchEvent
from profiles.tests.api_cast import assert_error, bearer, cast_make

pytestmark = pytest.mark.django_db


def _url(profile, rest: str) -> str:
    return f"/api/v1/profiles/{profile.pk}/{rest}"


def test_feedback_is_set_then_cleared_and_answers_the_state():
    cast = cast_make(fans=0)
    client, title = bearer(cast.household), cast.family[0]
    url = _url(cast.adult, f"titles/{title.slug}/feedback/")
    response = client.put(url, {"value": "love"}, format="json")
    assert response.json() == {"feedback": "love", "rating": None, "in_my_list": False}
    assert Feedback.objects.get(profile=cast.adult, title=title).value == "love"
    assert client.delete(url).json()["feedback"] == ""
    assert not Feedback.objects.filter(profile=cast.adult).exists()
    assert_error(client.put(url, {"value": "meh"}, format="json"), 400, "invalid")


def test_rating_takes_half_stars_and_refuses_others():
    cast = cast_make(fans=0)
    client = bearer(cast.household)
    url = _url(cast.adult, f"titles/{cast.family[0].slug}/rating/")
    assert client.put(url, {"stars": 4.5}, format="json").json()["rating"] == 4.5
    assert_error(client.put(url, {"stars": 4.3}, format="json"), 400, "invalid")
    assert_error(client.put(url, {"stars": "4"}, format="json"), 400, "invalid")
    assert Rating.objects.get(profile=cast.adult).value == 4.5


def test_a_kids_profile_cannot_signal_a_title_above_its_ceiling():
    cast = cast_make(fans=0)
    client = bearer(cast.household)
    hidden = cast.crime[0].slug
    for url, body in [
        (f"titles/{hidden}/feedback/", {"value": "up"}),
        (f"titles/{hidden}/rating/", {"stars": 5}),
        (f"titles/{hidden}/progress/", {"event": "start", "position_seconds": 0,
                                        "duration_seconds": 60}),
    ]:  # fmt: skip
        method = client.post if url.endswith("progress/") else client.put
        assert_error(method(_url(cast.kid, url), body, format="json"), 404, "not_found")
    added = client.post(_url(cast.kid, "my-list/"), {"title": hidden}, format="json")
    assert_error(added, 404, "not_found")
    assert not Rating.objects.filter(profile=cast.kid).exists()


def test_progress_is_recorded_and_a_position_past_the_end_is_a_400():
    cast = cast_make(fans=0)
    client = bearer(cast.household)
    url = _url(cast.adult, f"titles/{cast.family[0].slug}/progress/")
    ok = client.post(url, {"event": "progress", "position_seconds": 30, "duration_seconds": 90},
                     format="json")  # fmt: skip
    assert ok.status_code == 201 and ok.json()["title"]["slug"] == cast.family[0].slug
    past = client.post(url, {"event": "progress", "position_seconds": 91,
                             "duration_seconds": 90}, format="json")  # fmt: skip
    assert_error(past, 400, "invalid")
    assert WatchEvent.objects.filter(profile=cast.adult).count() == 1


def test_my_list_adds_once_moves_and_removes():
    cast = cast_make(fans=0)
    client = bearer(cast.household)
    first, second = cast.family[0], cast.family[1]
    assert (
        client.post(_url(cast.adult, "my-list/"), {"title": first.slug}, format="json").status_code
        == 201
    )
    assert (
        client.post(_url(cast.adult, "my-list/"), {"title": second.slug}, format="json").status_code
        == 201
    )
    assert (
        client.post(_url(cast.adult, "my-list/"), {"title": first.slug}, format="json").status_code
        == 200
    )
    moved = client.put(_url(cast.adult, f"my-list/{second.slug}/"), {"position": 0}, format="json")
    assert [t["slug"] for t in moved.json()] == [second.slug, first.slug]
    assert client.delete(_url(cast.adult, f"my-list/{first.slug}/")).status_code == 204
    assert_error(client.delete(_url(cast.adult, f"my-list/{first.slug}/")), 404, "not_found")
    gone = client.put(_url(cast.adult, f"my-list/{first.slug}/"), {"position": 0}, format="json")
    assert_error(gone, 404, "not_found")
    assert [t["slug"] for t in client.get(_url(cast.adult, "my-list/")).json()] == [second.slug]


def test_history_is_newest_first_and_hides_titles_above_the_ceiling():
    cast = cast_make(fans=0)
    now = timezone.now()
    for title in (cast.family[0], cast.crime[0]):
        WatchEvent.objects.create(
            profile=cast.kid, title=title, event="progress", position_seconds=1,
            duration_seconds=9, created_at=now,
        )  # fmt: skip
    body = bearer(cast.household).get(_url(cast.kid, "history/")).json()
    assert [e["title"]["slug"] for e in body["results"]] == [cast.family[0].slug]
    assert body["next"] is None


def test_wrong_methods_are_405_in_the_error_shape():
    cast = cast_make(fans=0)
    client = bearer(cast.household)
    assert_error(client.get(_url(cast.adult, f"titles/{cast.family[0].slug}/rating/")), 405)
    assert_error(client.post(_url(cast.adult, "history/")), 405, "method_not_allowed")
