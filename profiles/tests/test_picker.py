import pytest
from django.utils import timezone

from profiles.tests.factories import AccountFactory, KidsProfileFactory, ProfileFactory
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db


def test_picker_lists_only_this_households_profiles(client):
    mine, theirs = ProfileFactory(name="Mine"), ProfileFactory(name="Theirs")
    client.force_login(mine.household)
    content = client.get("/profiles/").content.decode()
    assert "Mine" in content and "Theirs" not in content
    assert theirs


def test_picker_needs_a_signed_in_household(client):
    response = client.get("/profiles/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_picker_rejects_post(client):
    client.force_login(ProfileFactory().household)
    assert client.post("/profiles/").status_code == 405


def test_choosing_a_profile_keeps_it_in_the_session(client):
    profile = ProfileFactory(onboarded_at=timezone.now())
    client.force_login(profile.household)
    response = client.post(f"/profiles/{profile.pk}/choose/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["profile_id"] == profile.pk


def test_choosing_a_profile_that_has_not_onboarded_starts_onboarding(client):
    profile = ProfileFactory()
    client.force_login(profile.household)
    response = client.post(f"/profiles/{profile.pk}/choose/")
    assert response["Location"] == "/onboarding/"
    assert client.session["profile_id"] == profile.pk


def test_choosing_a_profile_that_skipped_onboarding_goes_home(client):
    profile = ProfileFactory(onboarding_skipped=True, onboarded_at=timezone.now())
    client.force_login(profile.household)
    assert client.post(f"/profiles/{profile.pk}/choose/")["Location"] == "/"


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


def test_a_locked_profile_links_to_its_pin_page(client):
    locked = ProfileFactory(pin_hash="set")
    client.force_login(locked.household)
    content = client.get("/profiles/").content.decode()
    assert f'href="/profiles/{locked.pk}/unlock/"' in content
    assert f'action="/profiles/{locked.pk}/choose/"' not in content


def test_an_adult_profile_can_add_and_manage_profiles_from_the_picker(client):
    adult = ProfileFactory()
    login_as(client, adult)
    content = client.get("/profiles/").content.decode()
    assert 'href="/profiles/new/"' in content and "Manage profiles" in content
    managing = client.get("/profiles/?manage=1").content.decode()
    assert f'href="/profiles/{adult.pk}/edit/"' in managing


def test_a_kids_profile_sees_no_way_to_add_or_manage_profiles(client):
    kid = KidsProfileFactory()
    ProfileFactory(household=kid.household)
    login_as(client, kid)
    content = client.get("/profiles/?manage=1").content.decode()
    assert "/profiles/new/" not in content and "Manage profiles" not in content
    assert f"/profiles/{kid.pk}/edit/" not in content


def test_a_new_household_is_offered_its_first_profile(client):
    client.force_login(AccountFactory())
    assert b'href="/profiles/new/"' in client.get("/profiles/").content
