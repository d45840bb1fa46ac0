"""POST /api/v1/events/ (X-Profile-Id) and /api/v1/profiles/<id>/events/: batches of client
events, each answered on its own, stored once per client id (`events_record`)."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from profiles.models import Interaction, Rating, WatchEvent
from profiles.services.events import ClientEvent, client_event_parse, events_record
from profiles.tests.api_cast import assert_error, bearer, cast_make

pytestmark = pytest.mark.django_db


def _event(title_slug="", kind="click", **fields) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "kind": kind,
        "occurred_at": (fields.pop("at", None) or timezone.now()).isoformat(),
        **({"title": title_slug} if title_slug else {}),
        **fields,
    }


def _post(client, profile, events):
    return client.post(
        "/api/v1/events/",
        {"events": events},
        format="json",
        headers={"X-Profile-Id": str(profile.pk)},
    )


def test_a_batch_is_stored_with_one_result_per_event_in_order():
    cast = cast_make(fans=0)
    slug = cast.family[0].slug
    events = [
        _event(slug, "click", page="home", rail_key="for-you", position=3),
        _event(kind="search", query="meadow"),
        _event(slug, "recommendation_click"),
        _event(slug, "watch_progress", position_seconds=60, duration_seconds=600),
    ]
    response = _post(bearer(cast.household), cast.adult, events)
    assert response.status_code == 200
    body = response.json()
    assert (body["stored"], body["duplicate"], body["rejected"]) == (4, 0, 0)
    assert [r["id"] for r in body["results"]] == [e["id"] for e in events]
    click = Interaction.objects.get(client_id=events[0]["id"])
    assert (click.kind, click.rail_key, click.position, click.title) == (
        "click", "for-you", 3, cast.family[0],
    )  # fmt: skip
    watch = WatchEvent.objects.get(client_id=events[3]["id"])
    assert (watch.event, watch.position_seconds) == ("progress", 60)


def test_sending_a_batch_again_stores_nothing_twice():
    cast = cast_make(fans=0)
    client = bearer(cast.household)
    events = [_event(cast.family[0].slug), _event(cast.family[1].slug, "view_detail")]
    _post(client, cast.adult, events)
    again = _post(client, cast.adult, [*events, events[0]]).json()
    assert [r["status"] for r in again["results"]] == ["duplicate"] * 3
    assert Interaction.objects.filter(profile=cast.adult).count() == 2


def test_the_same_client_id_in_another_profile_is_another_event():
    cast = cast_make(fans=0)
    event = _event(cast.family[0].slug)
    client = bearer(cast.household)
    assert _post(client, cast.adult, [event]).json()["stored"] == 1
    assert _post(client, cast.kid, [event]).json()["stored"] == 1


def test_future_old_malformed_and_hidden_events_are_rejected_one_by_one():
    cast = cast_make(fans=0)
    slug = cast.family[0].slug
    events = [
        _event(slug, at=timezone.now() + timedelta(hours=1)),
        _event(slug, at=timezone.now() - timedelta(days=8)),
        _event(cast.crime[0].slug),  # above the kid's ceiling
        {"id": "not-a-uuid", "kind": "click"},
        _event(slug, "teleport"),
        _event(slug, "watch_progress", position_seconds=700, duration_seconds=600),
        _event(kind="search"),
        _event(slug),
    ]
    body = _post(bearer(cast.household), cast.kid, events).json()
    statuses = [r["status"] for r in body["results"]]
    assert statuses == ["rejected"] * 7 + ["stored"]
    details = [str(r["detail"]) for r in body["results"]]
    assert "future" in details[0] and "7 days" in details[1] and "No such title" in details[2]
    assert body["results"][3]["id"] == "not-a-uuid"
    assert Interaction.objects.filter(profile=cast.kid).count() == 1


def test_a_batch_above_100_events_or_empty_is_a_400():
    cast = cast_make(fans=0)
    client = bearer(cast.household)
    assert_error(_post(client, cast.adult, [_event(cast.family[0].slug)] * 101), 400, "invalid")
    assert_error(_post(client, cast.adult, []), 400, "invalid")
    assert not Interaction.objects.exists()


def test_the_profile_header_is_required_and_checked():
    cast = cast_make(fans=0)
    client = bearer(cast.household)
    body = {"events": [_event(cast.family[0].slug)]}
    assert_error(client.post("/api/v1/events/", body, format="json"), 400, "invalid")
    wrong = client.post("/api/v1/events/", body, format="json", headers={"X-Profile-Id": "1x"})
    assert_error(wrong, 400, "invalid")
    assert_error(_post(client, cast.stranger, body["events"]), 404, "not_found")


def test_a_completed_watch_changes_the_rails_through_rails_changed():
    cast = cast_make(fans=0)
    before = cast.adult.rails_version
    events = [_event(cast.family[0].slug, "watch_complete", position_seconds=600,
                     duration_seconds=600)]  # fmt: skip
    _post(bearer(cast.household), cast.adult, events)
    cast.adult.refresh_from_db()
    assert cast.adult.rails_version > before


def test_the_events_list_pages_by_cursor_newest_first_within_the_ceiling():
    cast = cast_make(fans=0)
    client = bearer(cast.household)
    now = timezone.now()
    events = [_event(cast.family[0].slug, at=now - timedelta(minutes=n)) for n in range(120)]
    _post(client, cast.adult, events[:100])
    _post(client, cast.adult, events[100:])
    Interaction.objects.create(profile=cast.kid, title=cast.crime[0], kind="click", created_at=now)
    first = client.get(f"/api/v1/profiles/{cast.adult.pk}/events/").json()
    assert len(first["results"]) == 100 and first["results"][0]["id"] == events[0]["id"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 20 and second["next"] is None
    kid = client.get(f"/api/v1/profiles/{cast.kid.pk}/events/").json()
    assert kid["results"] == []


def test_the_service_refuses_more_than_a_batch():
    cast = cast_make(fans=0)
    one = ClientEvent(id=uuid.uuid4(), kind="click", occurred_at=timezone.now(), title_slug="x")
    with pytest.raises(ValueError):
        events_record(profile=cast.adult, events=[one] * 101)
    assert not Rating.objects.filter(profile=cast.adult).exists()


@pytest.mark.parametrize(
    "change, field",
    [({"id": 7}, "id"), ({"kind": "warp"}, "kind"), ({"occurred_at": "yesterday"}, "occurred_at"),
     ({"title": "no spaces"}, "title"), ({"page": "x" * 41}, "page"),
     ({"query": "a\x00b"}, "query"),
     ({"position": -1}, "position"), ({"position": True}, "position"),
     ({"duration_seconds": "60"}, "duration_seconds")],
)  # fmt: skip
def test_each_field_of_an_event_is_checked(change, field):
    raw = {"id": str(uuid.uuid4()), "kind": "click", "occurred_at": timezone.now().isoformat(),
           "title": "a-title"} | change  # fmt: skip
    event, errors = client_event_parse(raw)
    assert event is None and list(errors) == [field]


def test_a_valid_event_is_parsed_with_its_defaults():
    event, errors = client_event_parse(
        {"id": "5f0c2a58-8d8b-4b8e-9a57-0c0d8f7f6a01", "kind": "search",
         "occurred_at": "2026-11-29T12:00:00Z", "query": "heist"}
    )  # fmt: skip
    assert errors == {}
    assert (event.kind, event.query, event.title_slug, event.position) == (
        "search",
        "heist",
        "",
        None,
    )
    assert event.occurred_at.utcoffset().total_seconds() == 0
    assert client_event_parse(["not", "an", "object"])[1] == {"event": "An event is a JSON object."}
