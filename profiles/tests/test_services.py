from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.tests.factories import TitleFactory
from profiles.models import Feedback, FeedbackHistory, Profile, Rating, SavedListItem
from profiles.selectors import my_list_titles
from profiles.services import (
    MAX_PROFILES,
    feedback_set,
    my_list_add,
    my_list_move,
    my_list_remove,
    pin_matches,
    pin_set,
    profile_create,
    rating_set,
)
from profiles.tests.factories import AccountFactory, KidsProfileFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def test_feedback_keeps_one_current_value_and_the_whole_history():
    profile, title = ProfileFactory(), TitleFactory()
    feedback_set(profile=profile, title=title, value="up")
    feedback_set(profile=profile, title=title, value="love")
    feedback_set(profile=profile, title=title, value="")
    feedback_set(profile=profile, title=title, value="down")
    assert list(Feedback.objects.filter(profile=profile).values_list("value", flat=True)) == [
        "down"
    ]
    history = FeedbackHistory.objects.filter(profile=profile).order_by("created_at", "id")
    assert list(history.values_list("value", flat=True)) == ["up", "love", "", "down"]


def test_unknown_feedback_is_refused():
    with pytest.raises(ValidationError):
        feedback_set(profile=ProfileFactory(), title=TitleFactory(), value="meh")


def test_a_changed_opinion_or_rating_updates_its_row_in_one_statement():
    profile, title = ProfileFactory(), TitleFactory()
    first = feedback_set(profile=profile, title=title, value="up")
    rating = rating_set(profile=profile, title=title, stars=2)
    with CaptureQueriesContext(connection) as feedback_queries:
        again = feedback_set(profile=profile, title=title, value="love")
    with CaptureQueriesContext(connection) as rating_queries:
        rating_set(profile=profile, title=title, stars=4.5)
    assert again.pk == first.pk
    assert Feedback.objects.get(profile=profile, title=title).value == "love"
    assert Rating.objects.get(profile=profile, title=title).pk == rating.pk
    assert Rating.objects.get(profile=profile, title=title).value == Decimal("4.5")
    # One upsert, without looking the whole row up first (update_or_create's get).
    for table, queries in (
        ("profiles_feedback", feedback_queries),
        ("profiles_rating", rating_queries),
    ):
        sql = [q["sql"] for q in queries.captured_queries if f'"{table}"' in q["sql"]]
        writes = [s for s in sql if not s.upper().startswith("SELECT")]
        assert len(writes) == 1 and "ON CONFLICT" in writes[0].upper(), sql
        assert not [s for s in sql if s.startswith(f'SELECT "{table}"."id"')], sql


@pytest.mark.parametrize("stars", [0, 5.5, 3.3, -1])
def test_ratings_outside_half_steps_are_refused(stars):
    with pytest.raises(ValidationError):
        rating_set(profile=ProfileFactory(), title=TitleFactory(), stars=stars)


def test_my_list_adds_once_removes_and_reorders():
    profile = ProfileFactory()
    a, b, c = TitleFactory.create_batch(3)
    assert my_list_add(profile=profile, title=a) and my_list_add(profile=profile, title=b)
    assert not my_list_add(profile=profile, title=a)
    my_list_add(profile=profile, title=c)
    my_list_move(profile=profile, title=c, to_position=0)
    assert list(my_list_titles(profile=profile)) == [c, a, b]
    my_list_move(profile=profile, title=c, to_position=99)
    assert list(my_list_titles(profile=profile)) == [a, b, c]
    assert my_list_remove(profile=profile, title=b)
    assert not my_list_remove(profile=profile, title=b)
    assert SavedListItem.objects.count() == 2


def test_my_list_hides_titles_above_the_ceiling():
    kid = KidsProfileFactory()
    safe, grown_up = TitleFactory(certification="G"), TitleFactory(certification="R")
    my_list_add(profile=kid, title=safe)
    SavedListItem.objects.create(
        saved_list=kid.saved_lists.get(), title=grown_up, added_at=safe.created_at
    )
    assert list(my_list_titles(profile=kid)) == [safe]


def test_profile_create_sets_defaults_and_caps_the_household_at_five():
    household = AccountFactory()
    kid = profile_create(household=household, name="Kid", kind=Profile.Kind.KIDS)
    assert kid.maturity_ceiling == 7 and kid.preferences.novelty == 0.3
    assert kid.saved_lists.get().name == "My List"
    for n in range(MAX_PROFILES - 1):
        profile_create(household=household, name=f"P{n}")
    with pytest.raises(ValidationError, match="at most 5"):
        profile_create(household=household, name="Sixth")


def test_pin_is_hashed_and_checked():
    profile = ProfileFactory()
    pin_set(profile=profile, pin="4321")
    assert "4321" not in profile.pin_hash and profile.is_locked
    assert pin_matches(profile=profile, pin="4321") and not pin_matches(profile=profile, pin="1234")
    with pytest.raises(ValidationError):
        pin_set(profile=profile, pin="12a4")
    with pytest.raises(ValidationError):
        pin_set(profile=KidsProfileFactory(), pin="1234")


def test_sensitivity_lowers_the_effective_ceiling():
    profile = ProfileFactory()
    assert profile.effective_ceiling == 18
    profile.preferences.sensitivity = 10
    profile.preferences.save()
    assert Profile.objects.select_related("preferences").get(pk=profile.pk).effective_ceiling == 10


@pytest.mark.django_db(transaction=True)
def test_two_profiles_created_at_once_with_one_name_make_one():
    """Concurrent creates passed the form's name check together (#16); now one wins."""
    import threading

    from django.core.exceptions import ValidationError
    from django.db import connection, connections

    from profiles.models import Profile
    from profiles.services import profile_create
    from profiles.tests.factories import AccountFactory

    if connection.vendor != "postgresql":
        pytest.skip("parallel writers need PostgreSQL (SQLite serialises every write)")
    household = AccountFactory()
    start, outcomes = threading.Barrier(6), []

    def create():
        start.wait()
        try:
            profile_create(household=household, name="Sam")
            outcomes.append("created")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["created"] + ["refused"] * 5
    assert Profile.objects.filter(household=household, name__iexact="sam").count() == 1


@pytest.mark.django_db
def test_a_name_differing_only_in_case_is_refused_by_the_service():
    from django.core.exceptions import ValidationError

    from profiles.services import profile_create
    from profiles.tests.factories import AccountFactory

    household = AccountFactory()
    profile_create(household=household, name="Sam")
    with pytest.raises(ValidationError):
        profile_create(household=household, name="sAM ")
