"""A bounded crawler, signed in as a kids profile whose ceiling was lowered below titles in its
own history, follows every link and htmx fragment from home and looks for any title above the
ceiling: its slug, its name or its poster, in any text or attribute."""

import re
from collections import deque
from html import unescape

import pytest
from django.core.management import call_command
from django.utils.timezone import now

from catalog.models import Title
from profiles.models import Profile, Rating
from profiles.services import profile_update
from profiles.tests.factories import ProfileFactory
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db
PAGES = 250
LINK = re.compile(r'(?:href|hx-get|src|action)="(/[^"]*)"')
NOT_CRAWLED = ("/accounts/logout", "/admin", "/static/", "/profiles/", "/onboarding/")


@pytest.mark.parametrize("path", ["profile service", "raw update, stored rails left stale"])
def test_a_lowered_kids_ceiling_leaks_no_title_anywhere(client, community, path):
    fan = community["viewers"][2]  # an adult crime fan: R-rated titles in its history
    ProfileFactory(household=fan.household, name="Parent")
    crime, family = community["titles"]["crime"], community["titles"]["family"]
    for n in range(8):  # viewers who love crime and family alike tie the two together
        crossover = ProfileFactory(name=f"Crossover {n}")
        for title in crime[:5] + family[:5]:
            Rating.objects.create(profile=crossover, title=title, value=5, created_at=now())
    Rating.objects.create(profile=fan, title=family[0], value=4, created_at=now())
    call_command("recompute_recs", verbosity=0)
    if path == "profile service":
        profile_update(
            profile=fan, name=fan.name, kind=Profile.Kind.KIDS, maturity_ceiling=7,
            avatar_colour=fan.avatar_colour,
        )  # fmt: skip
    else:  # the stored rails still name crime titles: every read must drop them
        Profile.objects.filter(pk=fan.pk).update(kind=Profile.Kind.KIDS, maturity_ceiling=7)
        fan.refresh_from_db()
    hidden = list(Title.objects.filter(maturity_level__gt=7))
    assert {t.pk for t in hidden} & set(fan.ratings.values_list("title_id", flat=True))
    login_as(client, fan)

    seen, queue, leaks = {"/"}, deque(["/"]), []
    while queue and len(seen) <= PAGES:
        url = queue.popleft()
        response = client.get(url, HTTP_HX_REQUEST="true" if "/rails/" in url else None)
        assert response.status_code < 500, url
        if response.status_code != 200 or "svg" in response.get("Content-Type", ""):
            continue
        text = unescape(response.content.decode())
        for title in hidden:
            if (
                f"/title/{title.slug}/" in text
                or f"/posters/{title.slug}.svg" in text
                or re.search(rf"\b{re.escape(title.title)}\b", text)
            ):
                leaks.append(f"{title.title} on {url}")
        for link in LINK.findall(text):
            link = link.split("#")[0]
            if link not in seen and not link.startswith(NOT_CRAWLED) and len(seen) < PAGES:
                seen.add(link)
                queue.append(link)
    assert len(seen) > 20  # the crawl reached home, rails, title pages and search
    assert not leaks, leaks
