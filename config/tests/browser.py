"""Browser tests at the two sizes the product is checked at: a 1440x900 desktop and a 390x844
phone (touch, no hover). `device_page` is a pytest fixture: import it into a test module.
`screenshot` writes docs/screenshots/<name>-<device>.png when MARQUEE_SCREENSHOTS=1; `sign_in`
and `long_press` are the steps most browser tests share."""

import os
from pathlib import Path

import pytest

from profiles.demo_household import DEMO_EMAIL, DEMO_PASSWORD

DEVICES = {
    "desktop": {"viewport": {"width": 1440, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SCREENSHOTS_WANTED = os.environ.get("MARQUEE_SCREENSHOTS") == "1"


@pytest.fixture(params=list(DEVICES))
def device_page(request, browser_page, live_server):
    """A page in a fresh context of the test's browser, at one of DEVICES (the test's id says
    which); `page.device` is its name."""
    context = browser_page.context.browser.new_context(
        base_url=live_server.url, **DEVICES[request.param]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.device = request.param
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    if SCREENSHOTS_WANTED:
        page.screenshot(path=SCREENSHOTS / f"{name}-{page.device}.png")


def sign_in(page, profile: str | None = None, email=DEMO_EMAIL, password=DEMO_PASSWORD) -> None:
    """Sign in through the login form and, if `profile` is given, pick that profile and wait
    until the page it lands on has finished loading (its lazy rails included)."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    if profile:
        with page.expect_navigation():
            page.get_by_role("button", name=profile).click()
        page.wait_for_load_state("networkidle")


def long_press(tile, attempts: int = 5) -> None:
    """Open a tile's actions the way a long press does on a touch screen (the context menu
    event). A rail re-rendered by htmx just then replaces the tile closed, so press again until
    the tile on the page is open."""
    for _ in range(attempts):
        tile.locator(".tile-link").dispatch_event("contextmenu")
        tile.page.wait_for_timeout(300)
        if tile.evaluate("el => el.classList.contains('is-open')"):
            return
    raise AssertionError(f"the tile's actions did not open after {attempts} long presses")
