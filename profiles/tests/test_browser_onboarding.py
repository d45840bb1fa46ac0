"""Sign up, create a profile, finish onboarding and land on recommendations, in a real browser."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_create_a_profile_onboard_and_see_recommendations(browser_page, demo_site):
    page = browser_page
    page.goto("/accounts/signup/")
    page.fill("input[name=email]", "new.viewer@example.com")
    page.fill("input[name=password1]", "a long enough passphrase")
    page.fill("input[name=password2]", "a long enough passphrase")
    page.get_by_role("button", name="Create account").click()

    page.get_by_role("link", name="Add profile").click()
    page.fill("input[name=name]", "Sam")
    page.get_by_role("button", name="Add profile").click()
    page.get_by_role("button", name="Sam").click()

    # 1. Genres.
    page.wait_for_selector(".genre-chips")
    for genre in ("Science Fiction", "Drama", "Crime"):
        page.locator("label.genre-chip", has_text=genre).click()
    page.get_by_role("button", name="Continue").click()

    # 2. Five titles liked (each click is an htmx swap of that tile).
    page.wait_for_selector(".pick-toggle")
    for index in range(5):
        button = page.locator(".pick-toggle[aria-pressed=false]").first
        button.click()
        page.wait_for_selector(f".pick-toggle[aria-pressed=true] >> nth={index}")
    page.get_by_role("button", name="Continue").click()

    # 3. Quick-rate: rate two, skip the rest.
    page.wait_for_selector(".rate-card")
    cards = page.locator(".rate-card")
    cards.nth(0).locator(".star-button").last.click()  # five stars
    page.wait_for_selector(".rate-card >> nth=0 >> .star-button[aria-pressed=true]")
    cards.nth(1).locator(".rate-skip").click()
    page.get_by_role("button", name="Continue").click()

    # 4. Finish: home opens on the first recommendations.
    page.get_by_role("button", name="Show my recommendations").click()
    page.wait_for_url("**/")
    page.wait_for_selector(".hero")
    page.mouse.wheel(0, 4000)
    page.wait_for_selector("#rail-for-you .tile")
    assert page.locator("#rail-for-you .tile").count() >= 5
