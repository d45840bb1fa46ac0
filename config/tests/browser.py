"""Browser tests at the two sizes the product is checked at: a 1440x900 desktop and a 390x844
phone (touch, no hover). `device_page` is a pytest fixture: import it into a test module.
`screenshot` writes docs/screenshots/<name>-<device>.png when MARQUEE_SCREENSHOTS=1."""

import os
from pathlib import Path

import pytest

DEVICES = {
    "desktop": {"viewport": {"width": 1440, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


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
    if os.environ.get("MARQUEE_SCREENSHOTS") == "1":
        page.screenshot(path=SCREENSHOTS / f"{name}-{page.device}.png")
