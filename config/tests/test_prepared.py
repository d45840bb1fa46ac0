"""Prepared querysets (config/prepared.py): the rows their queryset would give, for each call's
values, compiled once per connection; a value the queryset would not pass through unchanged is
refused when it is compiled."""

import threading

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from config.prepared import Prepared
from profiles.models import PreferenceWeights, Profile
from profiles.tests.factories import AccountFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def _profile_query():
    return Prepared(
        lambda pk, household: Profile.objects.select_related("household", "preferences").filter(
            pk=pk, household_id=household
        ),
        pk=int,
        household=int,
    )


def test_model_rows_with_their_related_rows_as_the_queryset_gives_them():
    first, second = ProfileFactory(name="Ann"), ProfileFactory(name="Bo")
    prepared = _profile_query()
    for profile in (first, second):
        got = prepared.one(pk=profile.pk, household=profile.household_id)
        assert (got.pk, got.name, got.household.email) == (
            profile.pk,
            profile.name,
            profile.household.email,
        )
        assert got.created_at == Profile.objects.get(pk=profile.pk).created_at  # converted
        assert got.preferences.pk == profile.preferences.pk
        assert got.effective_ceiling == profile.effective_ceiling


def test_no_row_is_none_and_a_missing_related_row_raises_as_select_related_does():
    profile = ProfileFactory()
    prepared = _profile_query()
    assert prepared.one(pk=profile.pk, household=profile.household_id + 1) is None
    assert prepared.all(pk=profile.pk + 1000, household=profile.household_id) == []
    PreferenceWeights.objects.filter(profile=profile).delete()
    got = prepared.one(pk=profile.pk, household=profile.household_id)
    with pytest.raises(Profile.preferences.RelatedObjectDoesNotExist):
        _ = got.preferences


def test_an_id_beyond_any_integer_column_is_no_row_and_a_ceiling_beyond_it_is_every_row():
    profile = ProfileFactory()
    assert _profile_query().one(pk=10**30, household=profile.household_id) is None
    at_most = Prepared(
        lambda ceiling: Profile.objects.filter(maturity_ceiling__lte=ceiling).values_list("pk"),
        ceiling=int,
    )
    assert at_most.all(ceiling=10**30) == [(profile.pk,)]


def test_values_and_flat_values_lists():
    household = AccountFactory()
    ann, bo = ProfileFactory(household=household, name="Ann"), ProfileFactory(household=household)
    rows = Prepared(
        lambda household: (
            Profile.objects.filter(household_id=household).order_by("pk").values("pk", "name")
        ),
        household=int,
    )
    names = Prepared(
        lambda household, name: Profile.objects.filter(
            household_id=household, name=name
        ).values_list("pk", flat=True),
        household=int,
        name=str,
    )
    assert rows.all(household=household.pk) == [
        {"pk": ann.pk, "name": "Ann"},
        {"pk": bo.pk, "name": bo.name},
    ]
    assert names.all(household=household.pk, name="Ann") == [ann.pk]
    assert names.all(household=household.pk, name="Nobody") == []


def test_compiled_once_per_connection(monkeypatch):
    profile = ProfileFactory()
    built = []
    prepared = Prepared(
        lambda pk: built.append(pk) or Profile.objects.filter(pk=pk).values_list("name"), pk=int
    )
    prepared.all(pk=profile.pk)
    compiled = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(1) or original(self, *a, **k)
    )
    with CaptureQueriesContext(connection) as queries:
        assert prepared.all(pk=profile.pk) == [(profile.name,)]
    assert (len(built), compiled, len(queries)) == (1, [], 1)


@pytest.mark.django_db(transaction=True)
def test_each_thread_runs_on_its_own_connection():
    profile = ProfileFactory(name="Threaded")
    prepared = Prepared(lambda pk: Profile.objects.filter(pk=pk).values_list("name"), pk=int)
    assert prepared.all(pk=profile.pk) == [("Threaded",)]
    got = []

    def read():
        try:
            got.append(prepared.all(pk=profile.pk))
        finally:
            connection.close()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    assert got == [[("Threaded",)]]


def test_a_value_changed_or_repeated_on_its_way_to_the_sql_is_refused():
    contains = Prepared(lambda name: Profile.objects.filter(name__icontains=name), name=str)
    twice = Prepared(lambda pk: Profile.objects.filter(pk=pk, household_id=pk), pk=int)
    with pytest.raises(ValueError, match="'name' must reach the SQL once"):
        contains.all(name="ann")
    with pytest.raises(ValueError, match="'pk' must reach the SQL once"):
        twice.all(pk=1)


def test_arguments_are_named_ints_or_strs():
    with pytest.raises(TypeError):
        Prepared(lambda when: Profile.objects.filter(created_at=when), when=float)
    prepared = Prepared(lambda pk: Profile.objects.filter(pk=pk), pk=int)
    with pytest.raises(TypeError, match="takes"):
        prepared.all(id=1)
    with pytest.raises(ValueError):
        prepared.all(pk="1 OR 1=1")  # made an int first, never text in the SQL
