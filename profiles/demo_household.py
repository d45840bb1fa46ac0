"""The demo household a visitor logs in as: an adult profile with some history and a kids one."""

from datetime import datetime

from django.db import transaction

from profiles.demo_community import TitleFacts, community_simulate, signals_write
from profiles.models import Account, Profile
from profiles.services import profile_create

DEMO_EMAIL = "demo@marquee.local"
DEMO_PASSWORD = "marquee-demo"


@transaction.atomic
def demo_household_ensure(
    *, title_ids: list[int], facts: list[TitleFacts], seed: int, now: datetime
) -> Account:
    household = Account.objects.filter(email=DEMO_EMAIL).first()
    if household is not None:
        return household
    household = Account.objects.create_user(DEMO_EMAIL, DEMO_PASSWORD, first_name="Demo household")
    adult = profile_create(household=household, name="Alex", avatar="popcorn")
    profile_create(
        household=household, name="Robin", kind=Profile.Kind.KIDS, avatar_colour="#22c55e",
        avatar="owl",
    )  # fmt: skip
    # Alex has finished onboarding and watched and rated a little, so the first visit already
    # shows personal rails; Robin (kids) is fresh so that a visitor can try the wizard.
    history = community_simulate(facts, members=1, seed=seed + 1)
    signals_write(profiles=[adult.pk], title_ids=title_ids, events=history, now=now)
    adult.preferences.genre_weights = {"science-fiction": 0.8, "drama": 0.8, "crime": 0.8}
    adult.preferences.save(update_fields=["genre_weights"])
    Profile.objects.filter(pk=adult.pk).update(onboarding_step=4, onboarded_at=now)
    return household
