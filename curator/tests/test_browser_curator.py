"""The curator studio in a real browser: a curator schedules a collection and pins a title, a
viewer sees both on the home page; the curator starts an experiment and watches its results
page update (htmx polling) as the viewer browses.

With MARQUEE_SCREENSHOTS=1 the pages are also saved as docs/screenshots/curator-*.png."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog.models import Title
from config.tests.browser import SCREENSHOTS, SCREENSHOTS_WANTED, sign_in
from curator.experiments import experiment_stop
from curator.models import Experiment
from curator.tests.conftest import curator_group
from profiles.models import Account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CURATOR = ("editor@marquee.local", "curate-all-the-things")


def _shot(page, name: str) -> None:
    if SCREENSHOTS_WANTED:
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def _wait_until(page, condition, seconds: int = 20) -> None:
    """Poll from Python: the page's CSP forbids the eval that wait_for_function needs."""
    for _ in range(seconds * 4):
        if condition():
            return
        page.wait_for_timeout(250)
    raise AssertionError("the results page did not update")


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_curator_schedules_a_collection_and_a_pin_then_runs_an_experiment(
    browser_page, demo_site, live_server
):
    page = browser_page
    curator = Account.objects.create_user(*CURATOR, is_staff=True)
    curator.groups.add(curator_group())
    family = list(Title.objects.filter(certification="G").order_by("-popularity")[:3])
    r_title = Title.objects.filter(certification="R").order_by("-popularity").first()
    pinned = Title.objects.filter(certification="PG-13").order_by("popularity").first()
    now = timezone.now()

    sign_in(page, None, *CURATOR)
    page.goto("/curator/")
    page.click("text=New collection")
    form = page.locator("#collections form")
    form.locator("[name=name]").fill("Family movie night")
    form.locator("[name=description]").fill("Chosen by the editors for this weekend")
    form.locator("[name=position]").fill("1")
    form.locator("[name=starts_at]").fill(_local(now - timedelta(hours=1)))
    form.locator("[name=ends_at]").fill(_local(now + timedelta(days=2)))
    form.locator("[name=title_slugs]").fill("\n".join([t.slug for t in family] + [r_title.slug]))
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#collections td:has-text('Family movie night')")
    assert f"Kids will not see: {r_title.title}" in page.locator("#collections").inner_text()

    page.click("text=New pin")
    form = page.locator("#pins form")
    form.locator("[name=title]").fill(pinned.slug)
    form.locator("[name=rail_key]").fill("for-you")
    form.locator("[name=position]").fill("1")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"#pins td:has-text('{pinned.title}')")
    _shot(page, "curator-studio.png")

    # A viewer sees the collection in place and the pinned title first in For You.
    viewer = page.context.browser.new_context(base_url=live_server.url,
                                              viewport={"width": 1280, "height": 900})  # fmt: skip
    home = viewer.new_page()
    home.set_default_timeout(15_000)
    sign_in(home, "Alex")
    first_rail = home.locator("section.rail").first
    assert "Family movie night" in first_rail.locator("h2").inner_text()
    assert family[0].title in first_rail.inner_text()
    home.locator("#rail-for-you").scroll_into_view_if_needed()
    home.wait_for_selector("#rail-for-you li[id^=tile-]", state="attached")
    assert home.locator("#rail-for-you li[id^=tile-]").first.get_attribute("id") == (
        f"tile-for-you-{pinned.pk}"
    )
    _shot(home, "curator-home-with-collection.png")

    # The curator starts an experiment on For You and opens its results page.
    page.goto("/curator/experiments/")
    page.click("text=New experiment")
    page.fill("input[name=name]", "Popularity boost")
    page.check("input[name=rail_keys][value=for-you]")
    page.click("text=Create draft")
    page.wait_for_selector("text=Start experiment")
    _shot(page, "curator-experiment.png")
    page.click("text=Start experiment")
    page.click("text=Results")
    page.wait_for_selector("#results")
    total = "() => [...document.querySelectorAll('#results td.impressions')]" \
            ".reduce((n, td) => n + Number(td.textContent), 0)"  # fmt: skip
    assert page.evaluate(total) == 0

    # The viewer browses; the results page updates by itself.
    home.goto("/")
    home.locator("#rail-for-you").scroll_into_view_if_needed()
    home.wait_for_selector("#rail-for-you li[id^=tile-]", state="attached")
    home.locator("#rail-for-you li[id^=tile-] a").first.click()
    home.wait_for_selector("h1")
    clicks = total.replace("td.impressions", "td.clicks")
    _wait_until(page, lambda: page.evaluate(total) > 0 and page.evaluate(clicks) > 0)
    _shot(page, "curator-results.png")
    page.goto("/curator/audit/")
    _shot(page, "curator-audit.png")
    viewer.close()
    if SCREENSHOTS_WANTED:  # a results page with a week of simulated traffic
        running = Experiment.objects.get(status="running")
        experiment_stop(actor=curator, experiment=running)
        call_command("simulate_experiment", households=600, views=10, treatment_ctr=0.07,
                     keep=True, stdout=StringIO())  # fmt: skip
        simulated = Experiment.objects.get(status="running")
        page.goto(f"/curator/experiments/{simulated.pk}/results/")
        _shot(page, "curator-results-simulated.png")
