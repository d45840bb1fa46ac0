"""The profile menu under the avatar: preferences one click from every page, and the drawn
avatar (no emoji, no initial)."""

import pytest
from django.utils import timezone

from catalog.tests.factories import TitleFactory
from profiles.tests.factories import KidsProfileFactory, ProfileFactory
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/movies/", "/my-list/", "/search/", "/profiles/"])
def test_every_page_has_the_menu_with_preferences_switch_and_sign_out(client, path):
    profile = ProfileFactory(onboarded_at=timezone.now(), avatar="robot")
    TitleFactory()
    login_as(client, profile)
    html = client.get(path).content.decode()
    menu = html[html.index('<details class="profile-menu">') : html.index("</details>")]
    assert f'href="/profiles/{profile.pk}/preferences/"' in menu
    assert 'href="/profiles/"' in menu and "Sign out" in menu
    assert 'href="#avatar-robot"' in menu


def test_a_kids_profile_gets_its_own_preferences_and_no_manage_link(client):
    adult = ProfileFactory(onboarded_at=timezone.now())
    kid = KidsProfileFactory(household=adult.household, onboarded_at=timezone.now())
    login_as(client, kid)
    html = client.get("/my-list/").content.decode()
    assert f'href="/profiles/{kid.pk}/preferences/"' in html and "?manage=1" not in html
    assert client.get(f"/profiles/{kid.pk}/preferences/").status_code == 200
