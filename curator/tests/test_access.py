"""The studio is for signed-in staff in the `curator` group: everyone else gets a 403 (or the
sign-in page), and a preview never opens another household's profile."""

import pytest

from curator.services import collection_save
from curator.tests.conftest import curator_group
from profiles.tests.factories import AccountFactory
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db
PAGES = ["/curator/", "/curator/experiments/", "/curator/audit/"]


@pytest.mark.parametrize("url", PAGES)
def test_signed_out_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", PAGES)
def test_a_viewer_household_gets_403(client, cast, url):
    login_as(client, cast["adult"])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_staff_without_the_curator_group_gets_403(client, staff_user, url):
    client.force_login(staff_user)
    assert client.get(url).status_code == 403


def test_group_member_who_is_not_staff_gets_403(client):
    user = AccountFactory()
    user.groups.add(curator_group())
    client.force_login(user)
    assert client.get("/curator/").status_code == 403


def test_a_viewer_cannot_write_through_the_studio(client, cast):
    login_as(client, cast["adult"])
    data = {"title": cast["titles"]["g"].slug, "rail_key": "for-you", "position": 1,
            "audience": "all"}  # fmt: skip
    assert client.post("/curator/pins/new/", data).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_curators_and_superusers_get_in(client, curator_user, url):
    client.force_login(curator_user)
    assert client.get(url).status_code == 200
    client.force_login(AccountFactory(is_staff=True, is_superuser=True))
    assert client.get(url).status_code == 200


def test_preview_as_another_households_profile_is_404(client, curator_user, cast):
    collection = collection_save(
        actor=curator_user, title_ids=[cast["titles"]["g"].pk],
        fields={"name": "C", "description": "", "position": 1, "audience": "all"},
    )  # fmt: skip
    client.force_login(curator_user)
    url = f"/curator/collections/{collection.pk}/preview/"
    assert client.get(f"{url}?profile={cast['other'].pk}").status_code == 404
    assert client.get(f"{url}?profile=abc").status_code == 400
