import pytest
from django.contrib.auth.hashers import check_password
from django.utils import timezone

from profiles.services import PIN_FAILURES_PER_PROFILE, pin_set
from profiles.tests.factories import KidsProfileFactory, ProfileFactory
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked():
    profile = ProfileFactory(name="Parent", onboarded_at=timezone.now())
    pin_set(profile=profile, pin="2468")
    return profile


def unlock(client, profile, pin):
    return client.post(f"/profiles/{profile.pk}/unlock/", {"pin": pin})


def test_a_locked_profile_cannot_be_chosen_without_its_pin(client, locked):
    client.force_login(locked.household)
    response = client.post(f"/profiles/{locked.pk}/choose/")
    assert response["Location"] == f"/profiles/{locked.pk}/unlock/"
    assert "profile_id" not in client.session


def test_the_unlock_page_asks_for_the_pin(client, locked):
    client.force_login(locked.household)
    response = client.get(f"/profiles/{locked.pk}/unlock/")
    assert response.status_code == 200
    assert b"Enter the PIN for Parent" in response.content
    assert b'inputmode="numeric"' in response.content


def test_the_right_pin_chooses_the_profile(client, locked):
    client.force_login(locked.household)
    response = unlock(client, locked, "2468")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["profile_id"] == locked.pk


def test_a_wrong_pin_is_400_and_chooses_nothing(client, locked):
    client.force_login(locked.household)
    response = unlock(client, locked, "1111")
    assert response.status_code == 400 and b"That PIN is not right" in response.content
    assert "profile_id" not in client.session


def test_a_malformed_pin_is_400(client, locked):
    client.force_login(locked.household)
    response = unlock(client, locked, "12a4")
    assert response.status_code == 400 and b"exactly four digits" in response.content


def test_wrong_pins_are_rate_limited_per_profile(client, locked):
    client.force_login(locked.household)
    for _ in range(PIN_FAILURES_PER_PROFILE):
        assert unlock(client, locked, "0000").status_code == 400
    response = unlock(client, locked, "2468")  # even the right PIN waits now
    assert response.status_code == 429
    assert b"Too many wrong PINs" in response.content
    assert "profile_id" not in client.session


def test_the_right_pin_forgives_earlier_mistakes(client, locked):
    client.force_login(locked.household)
    for _ in range(PIN_FAILURES_PER_PROFILE - 1):
        unlock(client, locked, "0000")
    assert unlock(client, locked, "2468").status_code == 302
    for _ in range(PIN_FAILURES_PER_PROFILE - 1):
        assert unlock(client, locked, "0000").status_code == 400


def test_an_unlocked_profile_needs_no_pin_page(client):
    profile = ProfileFactory()
    client.force_login(profile.household)
    assert client.get(f"/profiles/{profile.pk}/unlock/")["Location"] == "/profiles/"


def test_unlock_rejects_other_methods(client, locked):
    client.force_login(locked.household)
    assert client.put(f"/profiles/{locked.pk}/unlock/").status_code == 405


def test_another_household_cannot_unlock_or_change_a_pin(client, locked):
    stranger = ProfileFactory()
    login_as(client, stranger)
    assert client.get(f"/profiles/{locked.pk}/unlock/").status_code == 404
    assert unlock(client, locked, "2468").status_code == 404
    data = {"pin": "1357", "pin_confirm": "1357"}
    assert client.post(f"/profiles/{locked.pk}/pin/", data).status_code == 404
    assert client.post(f"/profiles/{locked.pk}/pin/remove/").status_code == 404
    assert "profile_id" not in client.session or client.session["profile_id"] == stranger.pk


def test_an_adult_sets_a_pin_that_is_stored_hashed(client):
    adult = ProfileFactory()
    login_as(client, adult)
    response = client.post(f"/profiles/{adult.pk}/pin/", {"pin": "1357", "pin_confirm": "1357"})
    assert response["Location"] == f"/profiles/{adult.pk}/edit/"
    adult.refresh_from_db()
    assert adult.is_locked and adult.pin_hash != "1357" and check_password("1357", adult.pin_hash)
    assert check_password("1357", adult.pin_hash)


def test_an_adult_removes_a_pin_with_its_current_pin(client, locked):
    login_as(client, locked)
    response = client.post(f"/profiles/{locked.pk}/pin/remove/", {"current_pin": "2468"})
    assert response.status_code == 302
    locked.refresh_from_db()
    assert not locked.is_locked


def test_another_adult_cannot_change_or_remove_a_pin_without_proof(client, locked):
    """Any adult profile of the household used to be able to take over a locked one (#16)."""
    other = ProfileFactory(household=locked.household, name="Other adult")
    login_as(client, other)
    new_pin = {"pin": "1357", "pin_confirm": "1357"}
    changed = client.post(f"/profiles/{locked.pk}/pin/", {**new_pin, "current_pin": "1111"})
    assert changed.status_code == 403 and b"current PIN or the account password" in changed.content
    removed = client.post(f"/profiles/{locked.pk}/pin/remove/")
    assert removed.status_code == 403
    locked.refresh_from_db()
    assert locked.is_locked and check_password("2468", locked.pin_hash)


def test_the_account_password_or_current_pin_proves_a_pin_change(client, locked):
    other = ProfileFactory(household=locked.household, name="Other adult")
    login_as(client, other)
    data = {"pin": "1357", "pin_confirm": "1357", "password": "correct horse battery"}
    assert client.post(f"/profiles/{locked.pk}/pin/", data).status_code == 302
    data = {"pin": "9753", "pin_confirm": "9753", "current_pin": "1357"}
    assert client.post(f"/profiles/{locked.pk}/pin/", data).status_code == 302
    locked.refresh_from_db()
    assert check_password("9753", locked.pin_hash)


def test_guessing_the_current_pin_through_the_change_form_is_limited(client, locked):
    other = ProfileFactory(household=locked.household, name="Other adult")
    login_as(client, other)
    url = f"/profiles/{locked.pk}/pin/remove/"
    for _ in range(PIN_FAILURES_PER_PROFILE):
        assert client.post(url, {"current_pin": "0000"}).status_code == 403
    assert client.post(url, {"current_pin": "2468"}).status_code == 429
    locked.refresh_from_db()
    assert locked.is_locked


def test_a_pin_must_be_four_digits_typed_twice(client):
    adult = ProfileFactory()
    login_as(client, adult)
    short = client.post(f"/profiles/{adult.pk}/pin/", {"pin": "123", "pin_confirm": "123"})
    assert short.status_code == 400 and b"exactly four digits" in short.content
    differ = client.post(f"/profiles/{adult.pk}/pin/", {"pin": "1234", "pin_confirm": "4321"})
    assert differ.status_code == 400 and b"The two PINs differ" in differ.content
    adult.refresh_from_db()
    assert not adult.is_locked


def test_a_kids_profile_cannot_have_a_pin(client):
    adult = ProfileFactory()
    kid = KidsProfileFactory(household=adult.household)
    login_as(client, adult)
    response = client.post(f"/profiles/{kid.pk}/pin/", {"pin": "1234", "pin_confirm": "1234"})
    assert response.status_code == 400 and b"Kids profiles cannot have a PIN" in response.content
    kid.refresh_from_db()
    assert not kid.is_locked


def test_a_kids_profile_cannot_set_or_remove_a_pin(client, locked):
    kid = KidsProfileFactory(household=locked.household)
    login_as(client, kid)
    data = {"pin": "1234", "pin_confirm": "1234"}
    assert client.post(f"/profiles/{locked.pk}/pin/", data).status_code == 403
    assert client.post(f"/profiles/{locked.pk}/pin/remove/").status_code == 403
    locked.refresh_from_db()
    assert check_password("2468", locked.pin_hash)


def test_pin_urls_reject_get(client, locked):
    login_as(client, locked)
    assert client.get(f"/profiles/{locked.pk}/pin/").status_code == 405
    assert client.get(f"/profiles/{locked.pk}/pin/remove/").status_code == 405
