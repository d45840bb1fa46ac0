"""The viewing experience at 1440x900 and 390x844, in a real browser: every layout and behaviour
fix of issue 17, axe-core on each main page, and (MARQUEE_SCREENSHOTS=1) the screenshots in
docs/screenshots.

Run: .venv/bin/pytest recommender/tests/test_browser_ux.py (about a minute per size: each run
loads the demo catalogue and computes its rails)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from config.tests import browser
from config.tests.axe import serious_violations
from profiles.demo_household import DEMO_EMAIL
from profiles.models import Account
from profiles.tests.factories import ProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
device_page = browser.device_page  # the fixture, at 1440x900 and 390x844
screenshot = browser.screenshot


sign_in_as = browser.sign_in
long_press = browser.long_press


def accessible(page) -> None:
    found = serious_violations(page)
    assert not found, f"{page.url} ({page.device}): " + "; ".join(found)


def test_home_header_rails_tiles_and_navigation(device_page, demo_site):
    page = device_page
    page.goto("/profiles/")
    sign_in_as(page, "Alex")
    page.wait_for_selector(".hero")
    accessible(page)
    screenshot(page, "home")

    # The sticky header is opaque: nothing shows through it.
    background = page.eval_on_selector(".topbar", "el => getComputedStyle(el).backgroundColor")
    assert background.startswith("rgb(") and "rgba" not in background
    assert page.eval_on_selector(".topbar", "el => getComputedStyle(el).backgroundImage") == "none"
    page.mouse.wheel(0, 700)
    box = page.locator(".topbar").bounding_box()
    assert box["y"] == 0  # still there after scrolling

    # Rows start unscrolled: the first tile lines up with the heading's text.
    page.wait_for_selector(".rail-track .tile")
    track = page.locator(".rail-track").first
    assert track.evaluate("el => el.scrollLeft") == 0
    heading_left = page.locator(".rail-title").first.evaluate(
        "el => el.getBoundingClientRect().left + parseFloat(getComputedStyle(el).paddingLeft)"
    )
    tile_left = track.locator(".tile").first.bounding_box()["x"]
    assert abs(tile_left - heading_left) <= 1

    # The navigation says where we are; the contrast toggle is there at every size.
    expect(page.locator("nav.main-nav a[aria-current=page]")).to_have_text("Home")
    width = page.viewport_size["width"]
    for link in page.locator("nav.main-nav a").all():  # no link cut off or scrolled away
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, link.inner_text()
    toggle = page.locator("#contrast-toggle")
    expect(toggle).to_be_visible()
    toggle.click()
    expect(page.locator("html")).to_have_attribute("data-contrast", "high")
    toggle.click()
    expect(page.locator("html")).to_have_attribute("data-contrast", "normal")

    # A thumbs up on a For You tile keeps the title in For You.
    page.locator("#rail-for-you").scroll_into_view_if_needed()  # a rail that loads on sight
    page.mouse.wheel(0, 200)
    page.wait_for_selector("#rail-for-you .tile[id]")
    tile = page.locator("#rail-for-you .tile[id]").nth(1)
    tile_id = tile.get_attribute("id")
    actions = tile.locator(".tile-actions")
    if page.device == "phone":
        # On a phone the actions stay closed over the poster until asked for.
        expect(actions).to_have_css("opacity", "0")
        tile.locator(".tile-more").click()
        expect(actions).to_have_css("opacity", "1")
        expect(tile.locator(".tile-more")).to_have_attribute("aria-expanded", "true")
    else:
        expect(tile.locator(".tile-more")).to_be_hidden()
        tile.hover()
    with page.expect_response(lambda r: "/feedback/" in r.url):
        actions.get_by_role("button", name="I like").click()
    expect(page.locator("#live-status")).to_contain_text("Your rails were updated")
    expect(page.locator(f"#{tile_id}")).to_have_count(1)

    if page.device == "phone":
        # A long press (the context menu event) opens another tile's actions.
        page.wait_for_load_state("networkidle")  # the rails the thumbs up re-rendered are in
        other = page.locator("#rail-for-you .tile[id]").nth(2)
        long_press(other)
        expect(other.locator(".tile-actions")).to_have_css("opacity", "1")

    # Movies and Series are pages with their own rails, and the navigation follows.
    for label in ("Movies", "Series"):
        page.locator("nav.main-nav").get_by_role("link", name=label).click()
        expect(page.locator("h1.kind-heading")).to_have_text(label)
        expect(page.locator("nav.main-nav a[aria-current=page]")).to_have_text(label)
        assert page.locator(".rail").count() >= 3
        assert page.locator(".rail .tile").count() >= 10
        accessible(page)
        screenshot(page, label.lower())


def test_title_page_rating_feedback_and_profile_menu(device_page, demo_site):
    page = device_page
    sign_in_as(page, "Alex")
    page.goto("/title/the-godfather-1972/")
    expect(page.locator("h1")).to_have_text("The Godfather")
    # Its carousels load as they scroll into view (at once where the page is tall enough: the
    # placeholder is then replaced while it would be scrolled to, so the page is scrolled).
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    expect(page.locator(".title-carousels #rail-more-like-this .tile").first).to_be_visible()
    expect(page.locator(".title-carousels[aria-busy]")).to_have_count(0)
    page.evaluate("window.scrollTo(0, 0)")
    accessible(page)
    screenshot(page, "title")

    # One rating widget: stars, the same as onboarding's.
    assert page.locator(".title-actions select").count() == 0
    page.locator(".title-actions .stars").get_by_role("button", name="4 stars", exact=True).click()
    expect(page.locator(".title-actions .star-button[aria-pressed=true]")).to_have_count(1)
    expect(page.locator(".title-actions .star-button.is-filled")).to_have_count(8)

    # "Seen it" does not clear "Love".
    page.get_by_role("button", name="Love this").click()
    expect(page.get_by_role("button", name="Love this")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="Seen it").click()
    expect(page.get_by_role("button", name="Seen it")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="Love this")).to_have_attribute("aria-pressed", "true")

    # Preferences are two clicks away from any page: the profile menu, then Preferences.
    page.locator(".profile-menu summary").click()
    page.locator(".profile-menu-panel").get_by_role("link", name="Preferences").click()
    expect(page.locator("h1")).to_have_text("Alex's preferences")
    accessible(page)

    # Avatars are drawings to pick from, not emoji to type.
    page.goto("/profiles/new/")
    page.locator("label.avatar-choice", has_text="Robot").click()
    expect(page.locator("input[name=avatar][value=robot]")).to_be_checked()
    accessible(page)


def test_fresh_profile_cold_start_hero_empty_list_search_and_errors(device_page, demo_site):
    page = device_page
    household = Account.objects.get(email=DEMO_EMAIL)
    ProfileFactory(household=household, name="Sam", onboarded_at=timezone.now())
    sign_in_as(page, "Sam")
    page.wait_for_selector(".hero")
    assert "% match" not in page.locator(".hero").inner_text()  # nothing known about Sam yet

    # My List's empty state sits in the middle of the page.
    page.goto("/my-list/")
    empty = page.locator(".my-list-empty")
    expect(empty).to_be_visible()
    box, main = empty.bounding_box(), page.locator("main").bounding_box()
    assert abs((box["x"] + box["width"] / 2) - (main["x"] + main["width"] / 2)) <= 2
    expect(page.locator("nav.main-nav a[aria-current=page]")).to_have_text("My List")
    accessible(page)
    screenshot(page, "my-list")

    # Search: on a phone the filters fold into a sheet and the first results show at once.
    page.goto("/search/?q=star")
    page.wait_for_selector(".result-grid .tile")
    sheet = page.locator("details.facet-sheet")
    first_result = page.locator(".result-grid .tile").first.bounding_box()
    if page.device == "phone":
        assert sheet.evaluate("el => el.open") is False
        assert first_result["y"] < 844
        page.locator("details.facet-sheet > summary").click()
        expect(page.locator(".facets")).to_be_visible()
    else:
        assert sheet.evaluate("el => el.open") is True
        expect(page.locator(".facets")).to_be_visible()
    accessible(page)

    # The profile picker and the error pages.
    page.goto("/profiles/")
    expect(page.locator('.picker-profile .avatar use[href^="#avatar-"]')).to_have_count(3)
    accessible(page)
    screenshot(page, "profiles")
    page.goto("/no-such-page/")
    expect(page.locator("h1")).to_have_text("Not available")
    accessible(page)
    screenshot(page, "error-404")
    static_500 = (Path(settings.BASE_DIR) / "templates" / "500.html").read_text()
    page.set_content(
        static_500.replace('href="/static/', f'href="{page.url.split("/no-")[0]}/static/')
    )
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_text("Something went wrong")
    accessible(page)
    screenshot(page, "error-500")
