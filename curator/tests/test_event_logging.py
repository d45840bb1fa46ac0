"""Experiment events on the server: an impression when an experiment rail renders with tiles
(home page or its lazy fragment, one write per page), a click when a tile is followed from it."""

import pytest

from curator.experiments import experiment_stop
from curator.models import ExperimentEvent
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db


def test_each_home_view_logs_one_impression_per_experiment_rail(client, cast, running_experiment):
    login_as(client, cast["adult"])
    client.get("/")
    client.get("/")  # the second comes from the fragment cache and still counts
    events = ExperimentEvent.objects.filter(kind="impression")
    assert events.count() == 2
    assert set(events.values_list("rail_key", flat=True)) == {"for-you"}
    assignment = running_experiment.assignments.get(household=cast["adult"].household)
    assert set(events.values_list("variant", flat=True)) == {assignment.variant_id}


def test_a_lazily_loaded_experiment_rail_logs_its_impression(client, cast, running_experiment):
    login_as(client, cast["adult"])
    client.get("/rails/for-you/", headers={"HX-Request": "true"})
    assert ExperimentEvent.objects.filter(kind="impression", rail_key="for-you").count() == 1


def test_rails_outside_the_experiment_log_nothing(client, cast, running_experiment):
    login_as(client, cast["adult"])
    client.get("/rails/new/", headers={"HX-Request": "true"})
    client.get(f"/title/{cast['titles']['g'].slug}/?rail=new")
    assert not ExperimentEvent.objects.exists()


def test_following_a_tile_from_an_experiment_rail_logs_a_click(client, cast, running_experiment):
    login_as(client, cast["adult"])
    title = cast["titles"]["g"]
    assert client.get(f"/title/{title.slug}/?rail=for-you").status_code == 200
    click = ExperimentEvent.objects.get(kind="click")
    assert (click.rail_key, click.title_id) == ("for-you", title.pk)
    assert click.household_id == cast["adult"].household_id
    client.get(f"/title/{title.slug}/")  # not from a rail: no click
    assert ExperimentEvent.objects.filter(kind="click").count() == 1


def test_nothing_is_logged_once_the_experiment_stopped(
    client, cast, running_experiment, curator_user
):
    experiment_stop(actor=curator_user, experiment=running_experiment)
    login_as(client, cast["adult"])
    client.get("/")
    client.get(f"/title/{cast['titles']['g'].slug}/?rail=for-you")
    assert not ExperimentEvent.objects.exists()


def test_nothing_is_logged_without_an_experiment(client, cast):
    login_as(client, cast["adult"])
    client.get("/")
    client.get(f"/title/{cast['titles']['g'].slug}/?rail=for-you")
    assert not ExperimentEvent.objects.exists()
