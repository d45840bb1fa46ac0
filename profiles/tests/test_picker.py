import pytest

from profiles.tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def test_picker_lists_only_this_households_profiles(client):
    mine, theirs = ProfileFactory(name="Mine"), ProfileFactory(name="Theirs")
    client.force_login(mine.household)
    content = client.get("/profiles/").content.decode()
    assert "Mine" in content and "Theirs" not in content
    assert theirs


def test_choosing_a_profile_keeps_it_in_the_session(client):
    profile = ProfileFactory()
    client.force_login(profile.household)
    response = client.post(f"/profiles/{profile.pk}/choose/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["profile_id"] == profile.pk


def test_choosing_another_households_profile_is_404(client):
    mine, theirs = ProfileFactory(), ProfileFactory()
    client.force_login(mine.household)
    assert client.post(f"/profiles/{theirs.pk}/choose/").status_code == 404
    assert "profile_id" not in client.session


def test_choose_rejects_get(client):
    profile = ProfileFactory()
    client.force_login(profile.household)
    assert client.get(f"/profiles/{profile.pk}/choose/").status_code == 405


def test_a_session_pointing_at_a_foreign_profile_is_ignored(client):
    mine, theirs = ProfileFactory(), ProfileFactory()
    client.force_login(mine.household)
    session = client.session
    session["profile_id"] = theirs.pk
    session.save()
    assert client.get("/")["Location"] == "/profiles/"
