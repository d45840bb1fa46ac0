"""Every curator change writes one audit entry (who, what, before, after) and moves everyone's
rails version through `rails_changed`, the pipeline's one invalidation point."""

import pytest
from django.core.cache import cache

from curator.experiments import (
    experiment_save,
    experiment_ship,
    experiment_split_set,
    experiment_start,
    experiment_stop,
)
from curator.models import AuditEntry, Collection
from curator.services import collection_save, curated_delete, hero_save, pin_save
from recommender.versions import EVERYONE_KEY

pytestmark = pytest.mark.django_db
OPEN = {"audience": "all", "starts_at": None, "ends_at": None}
VARIANTS = [
    {"name": "control", "is_control": True, "weight": 50, "algorithm": "engine"},
    {"name": "popular", "is_control": False, "weight": 50, "algorithm": "engine",
     "popularity_weight": 0.5},
]  # fmt: skip


def _moves_everyone(change):
    cache.set(EVERYONE_KEY, 1, None)
    before = AuditEntry.objects.count()
    result = change()
    assert cache.get(EVERYONE_KEY) != 1, "the change did not say rails_changed(everyone=True)"
    assert AuditEntry.objects.count() == before + 1
    return result, AuditEntry.objects.first()


def test_pin_create_update_delete_are_audited_with_before_and_after(curator_user, cast):
    g, pg13 = cast["titles"]["g"], cast["titles"]["pg13"]
    fields = {"title": g, "rail_key": "for-you", "position": 2} | OPEN
    pin, entry = _moves_everyone(lambda: pin_save(actor=curator_user, fields=fields))
    assert (entry.actor, entry.action, entry.object_type) == (curator_user, "created", "pin")
    assert entry.before is None and entry.after["title_id"] == g.pk
    _, entry = _moves_everyone(
        lambda: pin_save(actor=curator_user, pin=pin, fields=fields | {"title": pg13})
    )
    assert entry.action == "updated"
    assert entry.before["title_id"] == g.pk and entry.after["title_id"] == pg13.pk
    _, entry = _moves_everyone(lambda: curated_delete(actor=curator_user, obj=pin))
    assert entry.action == "deleted" and entry.before["title_id"] == pg13.pk and not entry.after


def test_collection_changes_record_their_titles_before_and_after(curator_user, cast):
    g, r = cast["titles"]["g"], cast["titles"]["r"]
    fields = {"name": "Picks", "description": "", "position": 2} | OPEN
    collection, entry = _moves_everyone(
        lambda: collection_save(actor=curator_user, fields=fields, title_ids=[g.pk])
    )
    assert entry.after["title_ids"] == [g.pk]
    _, entry = _moves_everyone(
        lambda: collection_save(
            actor=curator_user, collection=collection, fields=fields, title_ids=[r.pk, g.pk]
        )
    )
    assert entry.before["title_ids"] == [g.pk] and entry.after["title_ids"] == [r.pk, g.pk]
    assert list(collection.items.values_list("title_id", flat=True)) == [r.pk, g.pk]
    _, entry = _moves_everyone(lambda: curated_delete(actor=curator_user, obj=collection))
    assert entry.before["title_ids"] == [r.pk, g.pk] and not Collection.objects.exists()


def test_hero_override_changes_are_audited(curator_user, cast):
    fields = {"title": cast["titles"]["g"], "message": "Tonight"} | OPEN
    hero, entry = _moves_everyone(lambda: hero_save(actor=curator_user, fields=fields))
    assert entry.object_type == "herooverride" and entry.after["message"] == "Tonight"
    _, entry = _moves_everyone(
        lambda: hero_save(actor=curator_user, hero=hero, fields=fields | {"message": "Now"})
    )
    assert (entry.before["message"], entry.after["message"]) == ("Tonight", "Now")


def test_every_experiment_change_is_audited(curator_user, cast):
    experiment = experiment_save(
        actor=curator_user, name="Pop", rail_keys=["for-you"], variants=VARIANTS
    )
    assert AuditEntry.objects.first().action == "created"
    experiment_save(actor=curator_user, experiment=experiment, name="Pop 2",
                    rail_keys=["for-you"], variants=VARIANTS)  # fmt: skip
    entry = AuditEntry.objects.first()
    assert (entry.before["name"], entry.after["name"]) == ("Pop", "Pop 2")
    _, entry = _moves_everyone(lambda: experiment_start(actor=curator_user, experiment=experiment))
    assert entry.action == "start" and entry.after["status"] == "running"
    control, popular = experiment.variants.order_by("pk")
    experiment_split_set(actor=curator_user, experiment=experiment,
                         weights={control.pk: 80, popular.pk: 20})  # fmt: skip
    entry = AuditEntry.objects.first()
    assert entry.action == "split changed"
    assert [v["weight"] for v in entry.after["variants"]] == [80, 20]
    _, entry = _moves_everyone(lambda: experiment_stop(actor=curator_user, experiment=experiment))
    assert entry.action == "stop"
    _, entry = _moves_everyone(
        lambda: experiment_ship(actor=curator_user, experiment=experiment, variant=popular)
    )
    assert entry.action == "ship" and entry.after["winner_id"] == popular.pk
