import pytest

from profiles.models import Profile
from profiles.services import MAX_PROFILES
from profiles.tests.factories import AccountFactory, KidsProfileFactory, ProfileFactory
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db

NEW_ADULT = {"name": "Sam", "kind": "adult", "maturity_ceiling": "", "avatar_colour": "#336699",
             "avatar": "smile", "language": "en"}  # fmt: skip


def edit_data(profile, **changes):
    data = {
        "name": profile.name, "kind": profile.kind, "maturity_ceiling": profile.maturity_ceiling,
        "avatar_colour": profile.avatar_colour, "avatar": profile.avatar,
        "language": profile.language,
    }  # fmt: skip
    return data | changes


# Every profile-scoped URL, with a request that would change something.
PROFILE_SCOPED = [
    ("post", "choose", {}),
    ("get", "unlock", {}),
    ("post", "unlock", {"pin": "1234"}),
    ("get", "edit", {}),
    ("post", "edit", NEW_ADULT),
    ("post", "pin", {"pin": "1234", "pin_confirm": "1234"}),
    ("post", "pin/remove", {}),
    ("get", "delete", {}),
    ("post", "delete", {}),
    ("get", "preferences", {}),
    ("post", "preferences", {"novelty": "1"}),
]


def test_an_adult_adds_a_profile_with_preferences_and_my_list(client):
    adult = ProfileFactory()
    login_as(client, adult)
    assert client.get("/profiles/new/").status_code == 200
    response = client.post("/profiles/new/", NEW_ADULT)
    assert response.status_code == 302 and response["Location"] == "/profiles/"
    sam = adult.household.profiles.get(name="Sam")
    assert sam.maturity_ceiling == 18 and sam.avatar_colour == "#336699"
    assert sam.preferences and sam.saved_lists.filter(name="My List").exists()


def test_a_new_kids_profile_gets_the_kids_default_ceiling(client):
    adult = ProfileFactory()
    login_as(client, adult)
    client.post("/profiles/new/", NEW_ADULT | {"name": "Pip", "kind": "kids"})
    assert adult.household.profiles.get(name="Pip").maturity_ceiling == 7


def test_a_kids_profile_ceiling_cannot_exceed_ten(client):
    adult = ProfileFactory()
    login_as(client, adult)
    response = client.post(
        "/profiles/new/", NEW_ADULT | {"name": "Pip", "kind": "kids", "maturity_ceiling": "13"}
    )
    assert response.status_code == 400 and b"up to TV-PG at most" in response.content
    assert not adult.household.profiles.filter(name="Pip").exists()


def test_a_new_household_creates_its_first_profile_without_choosing_one(client):
    account = AccountFactory()
    client.force_login(account)
    assert client.post("/profiles/new/", NEW_ADULT).status_code == 302
    assert account.profiles.get().name == "Sam"


def test_the_first_profile_of_a_household_is_an_adult(client):
    account = AccountFactory()
    client.force_login(account)
    response = client.post("/profiles/new/", NEW_ADULT | {"kind": "kids"})
    assert response.status_code == 400 and not account.profiles.exists()


def test_a_household_has_at_most_five_profiles(client):
    adult = ProfileFactory()
    for _ in range(MAX_PROFILES - 1):
        ProfileFactory(household=adult.household)
    login_as(client, adult)
    response = client.post("/profiles/new/", NEW_ADULT)
    assert response.status_code == 400 and b"at most 5 profiles" in response.content
    assert adult.household.profiles.count() == MAX_PROFILES
    assert b'href="/profiles/new/"' not in client.get("/profiles/").content


def test_bad_profile_input_is_400_with_messages(client):
    adult = ProfileFactory(name="Alex")
    login_as(client, adult)
    bad = NEW_ADULT | {"name": "alex", "avatar_colour": "red", "maturity_ceiling": "99"}
    response = client.post("/profiles/new/", bad)
    assert response.status_code == 400
    for message in (b"already has that name", b"Pick a colour", b"Select a valid choice"):
        assert message in response.content


def test_an_adult_edits_any_profile_of_the_household(client):
    adult = ProfileFactory()
    kid = KidsProfileFactory(household=adult.household)
    login_as(client, adult)
    assert b"Up to PG / TV-Y7" in client.get(f"/profiles/{kid.pk}/edit/").content
    data = edit_data(kid, name="Pip", maturity_ceiling=10)
    response = client.post(f"/profiles/{kid.pk}/edit/", data)
    assert response["Location"] == f"/profiles/{kid.pk}/edit/"
    kid.refresh_from_db()
    assert (kid.name, kid.maturity_ceiling) == ("Pip", 10)


def test_editing_cannot_lift_a_kids_profile_above_ten(client):
    adult = ProfileFactory()
    kid = KidsProfileFactory(household=adult.household)
    login_as(client, adult)
    response = client.post(f"/profiles/{kid.pk}/edit/", edit_data(kid, maturity_ceiling=18))
    assert response.status_code == 400
    kid.refresh_from_db()
    assert kid.maturity_ceiling == 7


def test_the_last_adult_profile_cannot_become_a_kids_profile(client):
    adult = ProfileFactory()
    login_as(client, adult)
    data = edit_data(adult, kind="kids", maturity_ceiling=7)
    response = client.post(f"/profiles/{adult.pk}/edit/", data)
    assert response.status_code == 400 and b"at least one adult profile" in response.content
    adult.refresh_from_db()
    assert adult.kind == Profile.Kind.ADULT


def test_turning_a_locked_adult_into_a_kids_profile_drops_the_pin(client):
    adult = ProfileFactory()
    other = ProfileFactory(household=adult.household, pin_hash="hashed")
    login_as(client, adult)
    client.post(f"/profiles/{other.pk}/edit/", edit_data(other, kind="kids", maturity_ceiling=7))
    other.refresh_from_db()
    assert other.is_kids and not other.is_locked


def test_delete_asks_for_confirmation_then_deletes_on_post(client):
    adult = ProfileFactory()
    other = ProfileFactory(household=adult.household, name="Robin")
    login_as(client, adult)
    page = client.get(f"/profiles/{other.pk}/delete/")
    assert page.status_code == 200 and b"Delete Robin's profile?" in page.content
    assert Profile.objects.filter(pk=other.pk).exists()
    assert client.post(f"/profiles/{other.pk}/delete/")["Location"] == "/profiles/"
    assert not Profile.objects.filter(pk=other.pk).exists()


def test_the_last_adult_profile_cannot_be_deleted(client):
    adult = ProfileFactory()
    KidsProfileFactory(household=adult.household)
    login_as(client, adult)
    response = client.post(f"/profiles/{adult.pk}/delete/")
    assert response.status_code == 400 and b"at least one adult profile" in response.content
    assert Profile.objects.filter(pk=adult.pk).exists()


def test_deleting_the_chosen_profile_forgets_it(client):
    adult = ProfileFactory()
    ProfileFactory(household=adult.household)
    login_as(client, adult)
    client.post(f"/profiles/{adult.pk}/delete/")
    assert "profile_id" not in client.session


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", "/profiles/new/"), ("post", "/profiles/new/"), ("get", "edit"), ("post", "edit"),
     ("post", "pin"), ("post", "pin/remove"), ("get", "delete"), ("post", "delete")],
)  # fmt: skip
def test_a_kids_profile_gets_403_on_every_management_page(client, method, url):
    adult = ProfileFactory()
    kid = KidsProfileFactory(household=adult.household)
    login_as(client, kid)
    if not url.startswith("/"):
        url = f"/profiles/{adult.pk}/{url}/"
    response = getattr(client, method)(url, NEW_ADULT | {"pin": "1234", "pin_confirm": "1234"})
    assert response.status_code == 403 and b"Ask a grown-up" in response.content
    adult.refresh_from_db()
    assert adult.name != "Sam" and not adult.is_locked
    assert adult.household.profiles.count() == 2


def test_a_kids_profile_cannot_raise_its_own_ceiling(client):
    kid = KidsProfileFactory()
    ProfileFactory(household=kid.household)
    login_as(client, kid)
    response = client.post(f"/profiles/{kid.pk}/edit/", edit_data(kid, maturity_ceiling=10))
    assert response.status_code == 403
    kid.refresh_from_db()
    assert kid.maturity_ceiling == 7


def test_managing_profiles_needs_a_chosen_profile(client):
    adult = ProfileFactory()
    client.force_login(adult.household)
    response = client.get(f"/profiles/{adult.pk}/edit/")
    assert response.status_code == 403 and b"Choose an adult profile" in response.content


def test_management_pages_need_a_signed_in_household(client):
    profile = ProfileFactory()
    for url in ("/profiles/new/", f"/profiles/{profile.pk}/edit/"):
        assert client.get(url)["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("method", "path", "data"), PROFILE_SCOPED, ids=[f"{m} {p}" for m, p, _ in PROFILE_SCOPED]
)
def test_another_household_gets_404_on_every_profile_url(client, method, path, data):
    theirs = ProfileFactory(name="Theirs", pin_hash="")
    stranger = ProfileFactory()
    login_as(client, stranger)
    assert getattr(client, method)(f"/profiles/{theirs.pk}/{path}/", data).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Theirs" and not theirs.is_locked
    assert client.session["profile_id"] == stranger.pk


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "choose"), ("put", "unlock"), ("put", "edit"), ("get", "pin"),
     ("get", "pin/remove"), ("put", "delete"), ("delete", "preferences")],
)  # fmt: skip
def test_profile_urls_reject_the_wrong_method(client, method, path):
    adult = ProfileFactory()
    login_as(client, adult)
    assert getattr(client, method)(f"/profiles/{adult.pk}/{path}/").status_code == 405


def test_new_rejects_the_wrong_method(client):
    login_as(client, ProfileFactory())
    assert client.put("/profiles/new/").status_code == 405
