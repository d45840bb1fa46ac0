"""The household both fuzz tests send their requests as."""

import pytest
from django.utils import timezone

from catalog.tests.factories import GenreFactory, TitleFactory
from profiles.models import SavedSearch
from profiles.services import pin_set
from profiles.tests.factories import KidsProfileFactory, ProfileFactory


@pytest.fixture
def household():
    """An adult profile (chosen), a kids profile, a PIN-locked profile, titles, a saved search."""
    drama = GenreFactory(name="Drama", slug="drama")
    titles = [
        TitleFactory(title=f"Fuzz {cert}", certification=cert, genres=[drama], runtime=200)
        for cert in ("G", "PG-13", "R")
    ]
    adult = ProfileFactory(name="Adult", onboarded_at=timezone.now())
    kids = KidsProfileFactory(household=adult.household, name="Kid")
    locked = ProfileFactory(household=adult.household, name="Locked")
    pin_set(profile=locked, pin="2468")
    SavedSearch.objects.create(profile=adult, name="heat", query_string="q=heat")
    return {"adult": adult, "profiles": [adult, kids, locked], "titles": titles}
