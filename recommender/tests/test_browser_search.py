"""Search in a real browser at desktop and phone widths: suggestions while typing (within a
kids profile's ceiling), accents, years, word order, filters kept across queries, facets that
say how they combine. With MARQUEE_SCREENSHOTS=1 it writes docs/screenshots/search-*.png."""

import re

import pytest

from config.tests.browser import SCREENSHOTS, SCREENSHOTS_WANTED, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": (1440, 900), "phone": (390, 844)}


def open_page(page, url: str):
    """Go to `url` without waiting for every poster (the SQLite live server answers serially)."""
    page.goto(url, wait_until="domcontentloaded")


def suggestions_for(page, query: str):
    """Type `query` into the search box and wait for the suggestions it brings."""
    with page.expect_response(re.compile(r"/search/suggestions/")):
        page.fill("#search-q", query)
    return page.locator("#search-suggestions a")


@pytest.mark.parametrize("width", VIEWPORTS)
def test_search_suggests_folds_accents_reads_years_and_keeps_filters(
    browser_page, demo_site, width
):
    page = browser_page
    page.set_viewport_size(dict(zip(("width", "height"), VIEWPORTS[width], strict=True)))
    sign_in(page, "Alex")
    open_page(page, "/search/")

    # Suggestions while typing: an accent-free query finds Léon, in the box's width.
    suggested = suggestions_for(page, "leon")
    assert "Léon: The Professional" in suggested.first.inner_text()
    box = page.locator("#search-suggestions ul").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS[width][0]
    if SCREENSHOTS_WANTED:
        page.screenshot(path=SCREENSHOTS / f"search-{width}.png")

    # A year is a filter; words in any order.
    page.fill("#search-q", "matrix 1999")
    page.press("#search-q", "Enter")
    page.wait_for_url(re.compile(r"q=matrix\+1999"), wait_until="domcontentloaded")
    assert page.locator(".result-grid .tile-title").first.inner_text() == "The Matrix"
    assert "from 1999" in page.locator(".search-summary").inner_text()

    # Two genres are alternatives, and the page says so; a new query keeps them.
    open_page(page, "/search/?genre=crime&genre=drama&language=en")
    if not page.locator(".facet-sheet").evaluate("sheet => sheet.open"):
        page.locator(".facet-sheet > summary").click()  # the filters are a folded sheet on phones
    assert "within a section, any of the values" in page.locator(".facets-rule").inner_text()
    assert page.locator(".facet a[aria-current=true]").count() == 3
    languages = page.locator(".facet").filter(has_text="Language")
    assert "English" in languages.inner_text() and "EN " not in languages.inner_text()
    page.fill("#search-q", "godfather the")
    page.press("#search-q", "Enter")
    page.wait_for_url(re.compile(r"q=godfather"), wait_until="domcontentloaded")
    assert re.search(r"genre=crime&genre=drama&language=en", page.url)
    first = page.locator(".result-grid .tile-title").first.inner_text()
    assert first == "The Godfather", first


def test_kids_suggestions_stay_under_the_ceiling(browser_page, demo_site):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "Robin")
    open_page(page, "/search/")
    assert suggestions_for(page, "godfather").count() == 0
    suggested = suggestions_for(page, "toy story")
    assert "Toy Story" in suggested.first.inner_text()
    assert "Godfather" not in page.locator("#search-suggestions").inner_text()
