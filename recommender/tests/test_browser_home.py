"""The viewing experience in a real browser: login, profile, rails, thumbs down, search, title."""

import pytest

from config.tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_thumbs_down_search_and_title_page(browser_page, demo_site):
    page = browser_page
    sign_in(page, "Alex")
    page.wait_for_selector(".hero")

    # Scroll the first rail sideways and reveal the lazily loaded ones further down.
    first_rail = page.locator(".rail-track").first
    first_rail.evaluate("track => track.scrollBy(600, 0)")
    page.mouse.wheel(0, 4000)
    page.wait_for_selector("#rail-for-you .tile")

    # Thumbs down on the first For You tile: it leaves, and another takes its place.
    tile = page.locator("#rail-for-you .tile").first
    tile_id = tile.get_attribute("id")
    tile.hover()
    tile.get_by_role("button", name="is not for me").click()
    page.wait_for_selector(f"#{tile_id}", state="detached")
    assert page.locator("#rail-for-you .tile").count() > 0

    # A search with a typo still finds the film.
    page.goto("/search/?q=godfater")
    page.wait_for_selector(".result-grid .tile")
    assert "The Godfather" in page.locator(".result-grid .tile").first.inner_text()

    # And its title page opens with the facts and the actions.
    page.locator(".result-grid .tile a").first.click()
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "The Godfather"
    assert page.get_by_role("link", name="Play").is_visible()
