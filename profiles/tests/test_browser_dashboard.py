"""Your Marquee in a real browser: finish titles in the player, earn a badge (toast), complete
a challenge, see the dashboard's charts, move a slider and watch the For You preview change."""

import pytest

from catalog.models import Kind, Title
from config.tests.browser import sign_in
from profiles.demo_household import DEMO_EMAIL
from profiles.gamification.challenges import current_week, offers_for
from profiles.models import Profile
from profiles.selectors import titles_for_profile
from profiles.viewing_history import history_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def titles_meeting(offer, profile) -> list[Title]:
    """Titles that, finished now, complete this challenge."""
    history = history_for(profile)
    titles = titles_for_profile(profile).exclude(pk__in=history.finished_ids()).order_by("pk")
    if offer.code == "older":
        titles = titles.filter(year__lt=offer.params["year"])
    elif offer.code == "new-language":
        titles = titles.exclude(original_language__in=[*offer.params["known"], ""])
    elif offer.code == "genre":
        titles = titles.filter(genres__slug=offer.params["genre"])
    elif offer.code == "series":
        titles = titles.filter(kind=Kind.SERIES)
    return list(titles[: offer.target])


def preview_titles(page) -> list[str]:
    return page.locator("#preview-rail .tile-title").all_inner_texts()


def test_finish_earn_complete_chart_and_tune(browser_page, demo_site):
    page = browser_page
    sign_in(page, "Alex")
    page.wait_for_selector(".hero")

    # Join this week's first challenge from the challenges page.
    alex = Profile.objects.get(household__email=DEMO_EMAIL, name="Alex")
    offer = offers_for(alex, current_week(), history_for(alex))[0]
    page.get_by_role("link", name="Your Marquee").click()
    page.get_by_role("link", name="Challenges", exact=True).click()
    page.locator(f"#challenge-{offer.code}").get_by_role("button", name="Join").click()
    page.wait_for_selector(f"#challenge-{offer.code} progress")

    # Finish the titles it asks for in the player: the first finish earns badges (a toast).
    for number, title in enumerate(titles_meeting(offer, alex)):
        page.goto(f"/title/{title.slug}/play/")
        page.get_by_role("button", name="Finish").click()
        page.wait_for_selector("#player-progress output:has-text('finished')")
        if number == 0:
            toast = page.locator("#toasts .toast").first
            toast.wait_for()
            assert "Badge earned" in toast.inner_text()

    page.goto("/me/challenges/")
    assert "completed" in page.locator(f"#challenge-{offer.code}").inner_text()
    page.goto("/me/badges/")
    assert page.locator(".badge-earned").count() >= 1

    # The dashboard's charts are drawn, with bars.
    page.goto("/me/")
    assert page.locator("svg.chart-svg").count() >= 6
    assert page.locator("svg.chart-svg rect").count() > 0

    # Move a slider to -1: the preview rail follows (debounced htmx).
    page.wait_for_selector("#preview-rail .tile")
    before = preview_titles(page)
    page.locator("#id_genre-drama").fill("-1")
    page.wait_for_selector("#slider-genre-drama .pref-saved")
    page.wait_for_function(
        "before => [...document.querySelectorAll('#preview-rail .tile-title')]"
        ".map(e => e.textContent).join('|') !== before",
        arg="|".join(before),
    )
    after = preview_titles(page)
    assert after and after != before
    drama = set(Title.objects.filter(genres__slug="drama").values_list("title", flat=True))
    assert not drama & set(after)
