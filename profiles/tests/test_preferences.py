import pytest

from catalog.tests.factories import GenreFactory
from profiles.models import PreferenceWeights
from profiles.tests.factories import KidsProfileFactory, ProfileFactory
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def genres():
    return [GenreFactory(name="Drama"), GenreFactory(name="Science Fiction")]


def url(profile):
    return f"/profiles/{profile.pk}/preferences/"


def full_form(**changes):
    data = {
        "genre-drama": "0.5", "genre-science-fiction": "-0.3", "novelty": "0.8",
        "runtime": "short", "runtime_min": "", "runtime_max": "95", "languages": ["en", "fr"],
        "sensitivity": "14",
    }  # fmt: skip
    return data | changes


def slide(client, profile, name, value, **data):
    headers = HTMX | {"HTTP_HX_TRIGGER_NAME": name}
    return client.post(url(profile), {name: value, **data}, **headers)


def test_the_page_has_a_slider_per_genre_that_saves_on_change(client, genres):
    profile = ProfileFactory()
    login_as(client, profile)
    response = client.get(url(profile))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="genre-science-fiction"' in content and 'type="range"' in content
    assert f'hx-post="{url(profile)}" hx-trigger="change"' in content
    assert f'action="{url(profile)}"' in content


def test_an_htmx_slider_change_saves_it_and_answers_the_fragment(client, genres):
    profile = ProfileFactory()
    login_as(client, profile)
    response = slide(client, profile, "genre-drama", "0.7")
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith('<div class="pref-slider"') and "<html" not in content
    assert 'value="0.7"' in content and "Saved" in content
    assert PreferenceWeights.objects.get(profile=profile).genre_weights == {"drama": 0.7}


def test_an_htmx_slider_change_saves_only_that_slider(client, genres):
    profile = ProfileFactory()
    login_as(client, profile)
    response = slide(client, profile, "novelty", "0.9", **{"genre-drama": "5", "runtime": "x"})
    assert response.status_code == 200
    preferences = PreferenceWeights.objects.get(profile=profile)
    assert preferences.novelty == 0.9 and preferences.genre_weights == {}


def test_an_out_of_range_weight_is_400_with_a_message(client, genres):
    profile = ProfileFactory()
    login_as(client, profile)
    response = slide(client, profile, "genre-drama", "1.5")
    assert response.status_code == 400
    content = response.content.decode()
    assert "lies between -1 and +1" in content and "<html" not in content
    full = client.post(url(profile), full_form(**{"genre-science-fiction": "-2"}))
    assert full.status_code == 400 and "lies between -1 and +1" in full.content.decode()
    assert PreferenceWeights.objects.get(profile=profile).genre_weights == {}


def test_a_weight_that_is_not_a_number_is_400(client, genres):
    profile = ProfileFactory()
    login_as(client, profile)
    assert slide(client, profile, "genre-drama", "nan").status_code == 400
    assert slide(client, profile, "genre-drama", "lots").status_code == 400


def test_an_unknown_slider_is_400(client, genres):
    profile = ProfileFactory()
    login_as(client, profile)
    assert slide(client, profile, "genre-westerns", "0.5").status_code == 400
    assert slide(client, profile, "sensitivity", "18").status_code == 400


def test_a_full_post_saves_everything_and_redirects(client, genres):
    profile = ProfileFactory()
    login_as(client, profile)
    response = client.post(url(profile), full_form())
    assert response.status_code == 302 and response["Location"] == url(profile)
    preferences = PreferenceWeights.objects.get(profile=profile)
    assert preferences.genre_weights == {"drama": 0.5, "science-fiction": -0.3}
    assert (preferences.novelty, preferences.runtime, preferences.runtime_max) == (0.8, "short", 95)
    assert preferences.languages == ["en", "fr"] and preferences.sensitivity == 14
    assert b"Preferences saved" in client.get(url(profile)).content


def test_a_weight_set_back_to_zero_is_forgotten(client, genres):
    profile = ProfileFactory()
    profile.preferences.genre_weights = {"drama": 0.4}
    profile.preferences.save()
    login_as(client, profile)
    slide(client, profile, "genre-drama", "0")
    assert PreferenceWeights.objects.get(profile=profile).genre_weights == {}


def test_runtime_bounds_must_be_in_order(client, genres):
    profile = ProfileFactory()
    login_as(client, profile)
    response = client.post(url(profile), full_form(runtime_min="120", runtime_max="90"))
    assert response.status_code == 400 and b"cannot be under the shortest" in response.content


def test_an_adult_edits_a_kids_profiles_preferences(client, genres):
    adult = ProfileFactory()
    kid = KidsProfileFactory(household=adult.household)
    login_as(client, adult)
    assert client.post(url(kid), full_form(sensitivity="10"))["Location"] == url(kid)
    assert PreferenceWeights.objects.get(profile=kid).sensitivity == 10


def test_a_kids_profile_edits_its_own_tastes_and_can_only_tighten_the_filter(client, genres):
    kid = KidsProfileFactory()
    kid.preferences.sensitivity = PreferenceWeights.Sensitivity.FAMILY
    kid.preferences.save()
    login_as(client, kid)
    assert slide(client, kid, "genre-drama", "-0.5").status_code == 200
    relaxed = client.post(url(kid), full_form(sensitivity="18"))
    assert relaxed.status_code == 400 and b"Only an adult profile can relax" in relaxed.content
    assert PreferenceWeights.objects.get(profile=kid).sensitivity == 10
    assert client.post(url(kid), full_form(sensitivity="7")).status_code == 302
    assert PreferenceWeights.objects.get(profile=kid).sensitivity == 7


def test_a_kids_profile_cannot_open_another_profiles_preferences(client, genres):
    kid = KidsProfileFactory()
    adult = ProfileFactory(household=kid.household)
    login_as(client, kid)
    assert client.get(url(adult)).status_code == 403
    assert slide(client, adult, "genre-drama", "1").status_code == 403
    assert PreferenceWeights.objects.get(profile=adult).genre_weights == {}


def test_preferences_need_a_chosen_profile(client, genres):
    profile = ProfileFactory()
    client.force_login(profile.household)
    assert client.get(url(profile)).status_code == 403


def test_another_household_cannot_see_or_change_preferences(client, genres):
    theirs, stranger = ProfileFactory(), ProfileFactory()
    login_as(client, stranger)
    assert client.get(url(theirs)).status_code == 404
    assert slide(client, theirs, "genre-drama", "1").status_code == 404
    assert client.post(url(theirs), full_form()).status_code == 404
    assert PreferenceWeights.objects.get(profile=theirs).genre_weights == {}


def test_preferences_reject_the_wrong_method(client):
    profile = ProfileFactory()
    login_as(client, profile)
    assert client.put(url(profile)).status_code == 405
