"""An experiment's lifecycle: settings locked once started, one running at a time, stop and
ship; and its variants reach the viewers' stored rails, which carry the variant's label."""

import pytest
from django.core.management import call_command

from curator.experiments import (
    ExperimentRefused,
    experiment_save,
    experiment_ship,
    experiment_start,
    experiment_stop,
)
from curator.models import Experiment
from profiles.tests.sessions import login_as
from recommender.models import CachedRecommendations

pytestmark = pytest.mark.django_db
VARIANTS = [
    {"name": "control", "is_control": True, "weight": 50, "algorithm": "engine"},
    {"name": "popular", "is_control": False, "weight": 50, "algorithm": "popularity"},
]


def _draft(curator, name="E"):
    return experiment_save(actor=curator, name=name, rail_keys=["for-you"], variants=VARIANTS)


def test_settings_are_locked_once_started(curator_user):
    experiment = _draft(curator_user)
    experiment_start(actor=curator_user, experiment=experiment)
    with pytest.raises(ExperimentRefused, match="locked"):
        experiment_save(actor=curator_user, experiment=experiment, name="Changed",
                        rail_keys=["genre"], variants=VARIANTS[::-1])  # fmt: skip
    experiment.refresh_from_db()
    assert experiment.name == "E" and experiment.rail_keys == ["for-you"]
    assert list(experiment.variants.values_list("algorithm", flat=True)) == [
        "engine", "popularity"
    ]  # fmt: skip


def test_locked_settings_answer_409_on_the_page(client, curator_user):
    experiment = _draft(curator_user)
    experiment_start(actor=curator_user, experiment=experiment)
    client.force_login(curator_user)
    data = {"name": "Changed", "rail_keys": ["for-you"], "v-TOTAL_FORMS": 2,
            "v-INITIAL_FORMS": 0, "v-0-name": "a", "v-0-is_control": "on", "v-0-weight": 50,
            "v-0-algorithm": "engine", "v-0-popularity_weight": 0, "v-1-name": "b",
            "v-1-weight": 50, "v-1-algorithm": "engine", "v-1-popularity_weight": 0}  # fmt: skip
    response = client.post(f"/curator/experiments/{experiment.pk}/", data)
    assert response.status_code == 409 and b"locked" in response.content
    assert Experiment.objects.get().name == "E"


def test_only_one_experiment_runs_at_a_time(curator_user):
    experiment_start(actor=curator_user, experiment=_draft(curator_user, "first"))
    with pytest.raises(ExperimentRefused, match="first is running"):
        experiment_start(actor=curator_user, experiment=_draft(curator_user, "second"))


def test_lifecycle_runs_draft_running_stopped_shipped_and_not_backwards(curator_user):
    experiment = _draft(curator_user)
    with pytest.raises(ExperimentRefused):
        experiment_stop(actor=curator_user, experiment=experiment)
    experiment_start(actor=curator_user, experiment=experiment)
    with pytest.raises(ExperimentRefused):
        experiment_start(actor=curator_user, experiment=experiment)
    experiment_stop(actor=curator_user, experiment=experiment)
    winner = experiment.variants.get(name="popular")
    experiment_ship(actor=curator_user, experiment=experiment, variant=winner)
    experiment.refresh_from_db()
    assert (experiment.status, experiment.winner) == ("shipped", winner)
    assert experiment.started_at <= experiment.stopped_at


def test_an_experiment_needs_exactly_one_control(curator_user):
    both = [v | {"is_control": True} for v in VARIANTS]
    experiment = experiment_save(actor=curator_user, name="E", rail_keys=["for-you"],
                                 variants=both)  # fmt: skip
    with pytest.raises(ExperimentRefused, match="control"):
        experiment_start(actor=curator_user, experiment=experiment)


def test_stored_rails_carry_the_variant_that_ranked_them(client, curator_user, community):
    call_command("recompute_recs", verbosity=0)
    viewer = community["viewers"][0]
    login_as(client, viewer)
    client.get("/")
    assert set(CachedRecommendations.objects.filter(profile=viewer).values_list(
        "variant", flat=True)) == {""}  # fmt: skip
    experiment = _draft(curator_user)
    experiment_start(actor=curator_user, experiment=experiment)
    client.get("/")  # the stored rails were ranked without a variant: ranked again
    variant = experiment.assignments.get(household=viewer.household).variant
    labels = set(CachedRecommendations.objects.filter(profile=viewer).values_list(
        "variant", flat=True))  # fmt: skip
    assert labels == {f"x{experiment.pk}:{variant.name}"}
    experiment_ship(actor=curator_user, experiment=experiment,
                    variant=experiment.variants.get(name="popular"))  # fmt: skip
    client.get("/")
    labels = set(CachedRecommendations.objects.filter(profile=viewer).values_list(
        "variant", flat=True))  # fmt: skip
    assert labels == {f"x{experiment.pk}:popular"}


def test_a_popularity_variant_ranks_for_you_by_popularity(client, curator_user, community):
    call_command("recompute_recs", verbosity=0)
    experiment = experiment_save(actor=curator_user, name="E", rail_keys=["for-you"], variants=[
        VARIANTS[0] | {"weight": 0}, VARIANTS[1] | {"weight": 100}])  # fmt: skip
    experiment_start(actor=curator_user, experiment=experiment)
    viewer = community["viewers"][1]
    login_as(client, viewer)
    client.get("/")
    row = CachedRecommendations.objects.get(profile=viewer, rail_key="for-you")
    assert row.variant == f"x{experiment.pk}:popular"
    assert row.scores == sorted(row.scores, reverse=True) and len(row.title_ids) > 0


def test_a_variant_on_an_algorithm_too_large_for_the_catalogue_is_refused(monkeypatch):
    from types import SimpleNamespace

    from curator import forms
    from recommender import variants

    monkeypatch.setattr(variants, "DENSE_MAX_TITLES", 5)
    monkeypatch.setattr(forms, "bundle_current", lambda: SimpleNamespace(title_ids=range(10)))
    data = {"name": "dense", "weight": 50, "popularity_weight": 0}
    refused = forms.VariantForm(data | {"algorithm": "ease"})
    assert not refused.is_valid()
    assert "ease is not offered for a catalogue of 10 titles" in refused.errors["algorithm"][0]
    assert forms.VariantForm(data | {"algorithm": "rp3beta"}).is_valid()
