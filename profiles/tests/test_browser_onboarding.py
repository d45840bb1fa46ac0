"""Sign up, create a profile, onboard as briefed (genres, then 5 movies and 5 series on two
tabs, then quick-rate with the star widget) and land on recommendations, in a real browser at
1440x900 and 390x844, with axe-core on each step."""

import pytest
from playwright.sync_api import expect

from config.tests import browser
from config.tests.axe import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
device_page = browser.device_page  # the fixture, at 1440x900 and 390x844


def accessible(page) -> None:
    found = serious_violations(page)
    assert not found, f"{page.url} ({page.device}): " + "; ".join(found)


def pick_five(page) -> None:
    """Five picks on the current tab (each click is an htmx swap of that tile)."""
    for _ in range(5):
        picked = page.locator(".pick-toggle[aria-pressed=true]").count()
        page.locator(".pick-toggle[aria-pressed=false]").first.click()
        expect(page.locator(".pick-toggle[aria-pressed=true]")).to_have_count(picked + 1)


def test_sign_up_create_a_profile_onboard_and_see_recommendations(device_page, demo_site):
    page = device_page
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
    accessible(page)
    browser.screenshot(page, "onboarding-genres")
    for genre in ("Science Fiction", "Drama", "Crime", "Comedy", "Animation"):
        page.locator("label.genre-chip", has_text=genre).click()
    page.get_by_role("button", name="Continue").click()

    # 2. Five movies, then five series, from recent popular titles on two tabs.
    page.wait_for_selector(".pick-toggle")
    expect(page.locator(".kind-tab[aria-current=page]")).to_have_text("Movies")
    years = [int(y) for y in page.locator(".pick-grid .tile-year").all_inner_texts()]
    assert min(years) >= 2000 and sorted(years)[len(years) // 2] >= 2015  # recent, not 1974-1994
    pick_five(page)
    expect(page.locator("#pick-progress")).to_contain_text("5 of 5 movies picked")
    page.get_by_role("button", name="Continue").click()  # not yet: no series
    expect(page.locator(".form-error")).to_contain_text("5 movies and 5 series")
    page.locator(".kind-tab", has_text="Series").click()
    expect(page.locator(".kind-tab[aria-current=page]")).to_have_text("Series")
    pick_five(page)
    expect(page.locator("#pick-progress")).to_contain_text("ready to continue")
    accessible(page)
    browser.screenshot(page, "onboarding-titles")
    page.get_by_role("button", name="Continue").click()

    # 3. Quick-rate ten with the star widget: rate two, skip one.
    page.wait_for_selector(".rate-card")
    cards = page.locator(".rate-card")
    expect(cards).to_have_count(10)
    cards.nth(0).get_by_role("button", name="5 stars", exact=True).click()
    expect(cards.nth(0).locator(".star-button.is-filled")).to_have_count(10)
    cards.nth(1).get_by_role("button", name="3.5 stars", exact=True).click()
    expect(cards.nth(1).locator(".star-button.is-filled")).to_have_count(7)
    cards.nth(2).locator(".rate-skip").click()
    accessible(page)
    browser.screenshot(page, "onboarding-rate")
    page.get_by_role("button", name="Continue").click()

    # 4. The last step has nothing left to skip.
    expect(page.get_by_role("button", name="Show my recommendations")).to_be_visible()
    expect(page.get_by_role("button", name="Skip for now")).to_have_count(0)
    accessible(page)
    page.get_by_role("button", name="Show my recommendations").click()
    page.wait_for_url("**/")
    page.wait_for_selector(".hero")
    page.locator("#rail-for-you").scroll_into_view_if_needed()
    page.mouse.wheel(0, 200)
    page.wait_for_selector("#rail-for-you .tile[id]")
    assert page.locator("#rail-for-you .tile[id]").count() >= 5
