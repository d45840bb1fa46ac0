"""The curator tests' cast: a curator (staff, in the `curator` group), a staff member without
the group, a viewer household with an adult and a kids profile, and a small catalogue with a
G, a PG-13 and an R title."""

import pytest
from django.contrib.auth.models import Group, Permission

from catalog.tests.factories import GenreFactory, TitleFactory
from profiles.tests.factories import AccountFactory, KidsProfileFactory, ProfileFactory
from recommender.tests.conftest import community  # noqa: F401  (30 titles, 24 viewers, a model)


def curator_group() -> Group:
    """The group migration curator/0002 makes; made again here after a live-server test on
    PostgreSQL has flushed the database (a flush keeps permissions, not groups)."""
    group, _ = Group.objects.get_or_create(name="curator")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="curator", codename="use_studio")
    )
    return group


@pytest.fixture
def curator_user(db):
    user = AccountFactory(email="curator@example.com", is_staff=True)
    user.groups.add(curator_group())
    return user


@pytest.fixture
def staff_user(db):
    return AccountFactory(email="staff@example.com", is_staff=True)


@pytest.fixture
def cast(db):
    genre = GenreFactory(name="Drama")
    titles = {
        "g": TitleFactory(title="Sunny Meadow", certification="G", popularity=5, genres=[genre]),
        "pg13": TitleFactory(
            title="Space Run", certification="PG-13", popularity=4, genres=[genre]
        ),
        "r": TitleFactory(title="Night Heist", certification="R", popularity=3, genres=[genre]),
    }
    for n in range(12):
        titles[f"filler{n}"] = TitleFactory(
            title=f"Filler {n}", certification="G", popularity=20 + n, genres=[genre]
        )
    adult = ProfileFactory(name="Alex")
    kid = KidsProfileFactory(name="Robin", household=adult.household)
    other = ProfileFactory(name="Other household")
    return {"titles": titles, "adult": adult, "kid": kid, "other": other}


TWO_VARIANTS = [
    {"name": "control", "is_control": True, "weight": 50, "algorithm": "engine"},
    {"name": "treatment", "is_control": False, "weight": 50, "algorithm": "engine"},
]


@pytest.fixture
def running_experiment(curator_user):
    """A running 50/50 experiment on For You, control against treatment (same settings)."""
    from curator.experiments import experiment_save, experiment_start

    experiment = experiment_save(
        actor=curator_user, name="E", rail_keys=["for-you"], variants=TWO_VARIANTS
    )
    experiment_start(actor=curator_user, experiment=experiment)
    return experiment
