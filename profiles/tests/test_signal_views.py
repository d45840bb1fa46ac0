import csv
import json

import pytest
from django.core.management import CommandError, call_command

from catalog.tests.factories import TitleFactory
from profiles.models import Feedback, Interaction, Rating, SavedListItem, WatchEvent
from profiles.services import my_list_add
from profiles.tests.factories import KidsProfileFactory, ProfileFactory
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def viewer(client):
    profile = ProfileFactory()
    client.force_login(profile.household)
    session = client.session
    session["profile_id"] = profile.pk
    session.save()
    return profile


def test_thumbs_up_with_htmx_returns_the_updated_actions(client, viewer):
    title = TitleFactory()
    response = client.post(f"/title/{title.slug}/feedback/", {"value": "up"}, **HTMX)
    assert response.status_code == 200
    assert f'id="actions-{title.pk}"' in response.content.decode()
    assert Feedback.objects.get(profile=viewer, title=title).value == "up"


def test_feedback_without_javascript_redirects_back_safely(client, viewer):
    title = TitleFactory()
    response = client.post(f"/title/{title.slug}/feedback/", {"value": "love", "next": "/my-list/"})
    assert response["Location"] == "/my-list/"
    response = client.post(
        f"/title/{title.slug}/feedback/", {"value": "love", "next": "https://evil.example/"}
    )
    assert response["Location"] == title.get_absolute_url()


def test_bad_feedback_and_ratings_answer_400_with_a_message(client, viewer):
    title = TitleFactory()
    response = client.post(f"/title/{title.slug}/feedback/", {"value": "meh"})
    assert response.status_code == 400 and b"Unknown feedback" in response.content
    for stars in ("", "ten", "7"):
        response = client.post(f"/title/{title.slug}/rate/", {"stars": stars})
        assert response.status_code == 400 and b"0.5 to 5 stars" in response.content
    assert not Rating.objects.exists()


def test_rating_is_saved(client, viewer):
    title = TitleFactory()
    client.post(f"/title/{title.slug}/rate/", {"stars": "4.5"}, **HTMX)
    assert float(Rating.objects.get(profile=viewer).value) == 4.5


def test_my_list_toggle_and_page(client, viewer):
    title = TitleFactory(title="Heat")
    client.post(f"/title/{title.slug}/my-list/", {"action": "add"}, **HTMX)
    assert b"Heat" in client.get("/my-list/").content
    client.post(f"/title/{title.slug}/my-list/", {"action": "remove"})
    assert not SavedListItem.objects.exists()
    assert client.post(f"/title/{title.slug}/my-list/", {"action": "steal"}).status_code == 400


def test_my_list_reorder(client, viewer):
    a, b = TitleFactory(title="First"), TitleFactory(title="Second")
    my_list_add(profile=viewer, title=a)
    my_list_add(profile=viewer, title=b)
    response = client.post(f"/title/{b.slug}/my-list/position/", {"position": "0"}, **HTMX)
    content = response.content.decode()
    assert content.index("Second") < content.index("First")
    assert client.post(f"/title/{b.slug}/my-list/position/", {"position": "x"}).status_code == 400


def test_player_records_progress_and_completion(client, viewer):
    title = TitleFactory(runtime=100)
    assert client.get(f"/title/{title.slug}/play/").status_code == 200
    response = client.post(
        f"/title/{title.slug}/watch/", {"event": "progress", "position": "1200"}, **HTMX
    )
    assert b"20% watched" in response.content
    client.post(f"/title/{title.slug}/watch/", {"event": "complete"}, **HTMX)
    events = list(
        WatchEvent.objects.filter(profile=viewer)
        .order_by("id")
        .values_list("event", "position_seconds")
    )
    assert events == [("progress", 1200), ("complete", 6000)]
    assert client.post(f"/title/{title.slug}/watch/", {"position": "99999"}).status_code == 400
    assert (
        client.post(f"/title/{title.slug}/watch/", {"event": "rewind", "position": "1"}).status_code
        == 400
    )


def test_opening_a_title_records_the_view_and_where_it_came_from(client, viewer):
    title = TitleFactory()
    client.get(title.get_absolute_url())
    client.get(title.get_absolute_url() + "?rail=for-you")
    kinds = list(
        Interaction.objects.filter(profile=viewer).order_by("id").values_list("kind", "rail_key")
    )
    assert kinds == [("view_detail", ""), ("recommendation_click", "for-you")]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "feedback/"),
        ("post", "rate/"),
        ("post", "my-list/"),
        ("get", "play/"),
        ("post", "watch/"),
    ],
)
def test_kids_profile_cannot_signal_or_play_titles_above_its_ceiling(client, method, path):
    login_as(client, KidsProfileFactory())
    title = TitleFactory(certification="R")
    response = getattr(client, method)(f"/title/{title.slug}/{path}", {"value": "up", "stars": "5"})
    assert response.status_code == 404
    assert not Feedback.objects.exists() and not Rating.objects.exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "feedback/"),
        ("get", "rate/"),
        ("get", "my-list/"),
        ("post", "play/"),
        ("get", "watch/"),
    ],
)
def test_wrong_method_is_405(client, viewer, method, path):
    title = TitleFactory()
    assert getattr(client, method)(f"/title/{title.slug}/{path}").status_code == 405


def test_signals_need_a_login(client):
    title = TitleFactory()
    response = client.post(f"/title/{title.slug}/feedback/", {"value": "up"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_household_cannot_reach_another_households_my_list(client, viewer):
    other = ProfileFactory()
    title = TitleFactory(title="Their secret pick")
    my_list_add(profile=other, title=title)
    assert b"Their secret pick" not in client.get("/my-list/").content


def test_export_training_data_csv_and_json(tmp_path):
    profile, title = ProfileFactory(), TitleFactory()
    Feedback.objects.create(profile=profile, title=title, value="love", created_at=title.created_at)
    Rating.objects.create(profile=profile, title=title, value=2, created_at=title.created_at)
    call_command("export_training_data", format="csv", output=tmp_path / "s.csv", verbosity=0)
    rows = list(csv.DictReader((tmp_path / "s.csv").open()))
    assert {(r["signal"], r["weight"]) for r in rows} == {
        ("rating", "-0.3"),
        ("feedback:love", "0.9"),
    }
    call_command(
        "export_training_data", format="json", limit=1, output=tmp_path / "s.json", verbosity=0
    )
    data = json.loads((tmp_path / "s.json").read_text())
    assert len(data) == 1 and set(data[0]) == {"profile", "title", "signal", "weight", "timestamp"}


def test_export_refuses_a_missing_directory(tmp_path):
    with pytest.raises(CommandError, match="no such directory"):
        call_command("export_training_data", output=tmp_path / "nope" / "x.csv")
