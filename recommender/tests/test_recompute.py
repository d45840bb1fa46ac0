import threading
from contextlib import contextmanager
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.tasks import default_task_backend
from django.utils import timezone

from catalog.models import Title
from profiles.models import Profile
from profiles.tests.factories import ProfileFactory
from recommender import recompute as recompute_module
from recommender import services
from recommender.artifacts import current_version, published_versions
from recommender.models import CachedRecommendations
from recommender.recompute import profiles_to_recompute, rails_recompute_batch, recompute_lock

pytestmark = pytest.mark.django_db


def rails_of(profile):
    return {
        rail.rail_key: rail.title_ids
        for rail in CachedRecommendations.objects.filter(profile=profile)
    }


def test_recompute_writes_rails_for_every_profile_and_saves_artifacts(community, artifacts_tmp):
    call_command("recompute_recs", verbosity=0)
    assert (artifacts_tmp / "current").exists()
    for profile in Profile.objects.all():
        assert "for-you" in rails_of(profile)
    fan = community["viewers"][1]  # a sci-fi fan
    scifi = {t.pk for t in community["titles"]["scifi"]}
    for_you = rails_of(fan)["for-you"]
    assert for_you and for_you[0] in scifi
    assert CachedRecommendations.objects.filter(profile__isnull=True, rail_key="trending").exists()


def test_the_published_model_knows_each_titles_release_year(community, artifacts_tmp):
    """The cold-start prior's era (recommender/engine/era.py) reads Title.year."""
    from recommender.artifacts import bundle_current

    Title.objects.filter(pk=community["titles"]["scifi"][0].pk).update(year=1979)
    Title.objects.filter(pk=community["titles"]["scifi"][1].pk).update(year=None)
    call_command("recompute_recs", verbosity=0)
    bundle = bundle_current()
    years = dict(zip(bundle.title_ids.tolist(), bundle.engine.era.years.tolist(), strict=True))
    assert years[community["titles"]["scifi"][0].pk] == 1979
    assert np.isnan(years[community["titles"]["scifi"][1].pk])
    assert years[community["titles"]["scifi"][2].pk] == 2001


def test_recompute_is_idempotent(community):
    call_command("recompute_recs", verbosity=0)
    first = {p.pk: rails_of(p) for p in Profile.objects.all()}
    count = CachedRecommendations.objects.count()
    call_command("recompute_recs", verbosity=0)
    assert CachedRecommendations.objects.count() == count
    assert {p.pk: rails_of(p) for p in Profile.objects.all()} == first


def test_kids_rails_stay_within_the_ceiling(community):
    call_command("recompute_recs", verbosity=0)
    ids = {pk for ids in rails_of(community["kid"]).values() for pk in ids}
    assert ids and set(
        Title.objects.filter(pk__in=ids).values_list("maturity_level", flat=True)
    ) <= {0, 3, 7}


def test_a_profile_with_thumbs_down_never_gets_that_title(community):
    from profiles.services import feedback_set

    fan = community["viewers"][1]
    unseen = [t for t in community["titles"]["scifi"] if not t.ratings.filter(profile=fan).exists()]
    feedback_set(profile=fan, title=unseen[0], value="down")
    call_command("recompute_recs", verbosity=0)
    assert all(unseen[0].pk not in ids for ids in rails_of(fan).values())


def test_interrupted_write_keeps_the_old_rails(community, monkeypatch):
    call_command("recompute_recs", verbosity=0)
    before = {p.pk: rails_of(p) for p in Profile.objects.all()}

    def fail(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(CachedRecommendations.objects, "bulk_create", fail)
    with pytest.raises(CommandError, match="batches failed"):  # each batch is a task
        call_command("recompute_recs", verbosity=0)
    assert {p.pk: rails_of(p) for p in Profile.objects.all()} == before
    monkeypatch.undo()
    call_command("recompute_recs", verbosity=0)  # the lock went with the failed run


@contextmanager
def lock_held_elsewhere(name: str):
    """The recompute lock held by another thread (its own database connection or lock file)."""
    held, release = threading.Event(), threading.Event()

    def hold():
        try:
            with recompute_lock(name):
                held.set()
                release.wait(30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(30)
    try:
        yield
    finally:
        release.set()
        holder.join()


def test_a_second_run_refuses_to_start(community):
    with lock_held_elsewhere("recompute:0/1"):
        with pytest.raises(CommandError, match="another recompute_recs is running"):
            call_command("recompute_recs", verbosity=0)
        call_command("recompute_recs", fit_only=True, verbosity=0)  # its own lock too
        call_command("recompute_recs", shard="1/2", verbosity=0)  # another shard's own lock
    call_command("recompute_recs", verbosity=0)  # released when the holder ends


def test_members_that_cannot_sign_in_train_the_model_but_get_no_rails(community):
    member = ProfileFactory()
    member.household.is_active = False
    member.household.save()
    ids = profiles_to_recompute(profile_id=None, active_since=None, shard=(0, 1))
    assert member.pk not in ids and community["viewers"][0].pk in ids


def test_shards_together_cover_every_profile_once(community):
    all_ids = profiles_to_recompute(profile_id=None, active_since=None, shard=(0, 1))
    shards = [
        profiles_to_recompute(profile_id=None, active_since=None, shard=(i, 3)) for i in range(3)
    ]
    assert sorted(pk for shard in shards for pk in shard) == sorted(all_ids)
    assert all(shards)


def test_profile_and_active_since_options(community):
    fan = community["viewers"][0]
    call_command("recompute_recs", profile=fan.pk, verbosity=0)
    assert set(
        CachedRecommendations.objects.exclude(profile=None).values_list("profile", flat=True)
    ) == {fan.pk}
    idle = ProfileFactory()
    active = profiles_to_recompute(
        profile_id=None, active_since=timezone.now() - timezone.timedelta(days=1), shard=(0, 1)
    )
    assert fan.pk in active and idle.pk in active  # a new profile counts as active
    Profile.objects.filter(pk=idle.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=30)
    )
    active = profiles_to_recompute(
        profile_id=None, active_since=timezone.now() - timezone.timedelta(days=1), shard=(0, 1)
    )
    assert idle.pk not in active


@pytest.mark.parametrize("shard", ["2/2", "x", "1/0", "-1/3"])
def test_bad_shard_is_a_clear_error(community, shard):
    with pytest.raises(CommandError, match="--shard must look like i/n"):
        call_command("recompute_recs", shard=shard, verbosity=0)


def test_unknown_profile_is_a_clear_error(community):
    with pytest.raises(CommandError, match="no profile with id 999999"):
        call_command("recompute_recs", profile=999999, verbosity=0)


def engine_versions() -> set[str]:
    return set(
        CachedRecommendations.objects.exclude(profile=None).values_list("engine_version", flat=True)
    )


def test_the_run_publishes_once_and_every_batch_scores_with_that_version(community, monkeypatch):
    monkeypatch.setattr(recompute_module, "BATCH", 5)  # 25 profiles: 5 batches
    call_command("recompute_recs", verbosity=0)
    (version,) = published_versions()
    assert current_version() == version
    assert engine_versions() == {version}


def test_a_batch_scores_with_the_version_it_was_given_not_a_newer_one(community):
    call_command("recompute_recs", verbosity=0)
    first = current_version()
    call_command("recompute_recs", fit_only=True, verbosity=0)
    assert current_version() != first
    fan = community["viewers"][0]
    counts = rails_recompute_batch.call(profile_ids=[fan.pk], model_version=first)
    assert counts == {"profiles": 1, "rails": len(rails_of(fan)), "failed": 0}
    assert set(
        CachedRecommendations.objects.filter(profile=fan).values_list("engine_version", flat=True)
    ) == {first}


def test_a_profile_that_fails_is_skipped_and_its_batch_goes_on(community, monkeypatch):
    call_command("recompute_recs", verbosity=0)
    broken = community["viewers"][2]
    before = rails_of(broken)
    real = services.profile_rails

    def fail_for_one(bundle, catalogue, profile, *args):
        if profile.pk == broken.pk:
            raise ValueError("bad row")
        return real(bundle, catalogue, profile, *args)

    monkeypatch.setattr(services, "profile_rails", fail_for_one)
    out = StringIO()
    call_command("recompute_recs", verbosity=0, stdout=out)
    assert "1 failed (logged)" in out.getvalue()
    assert rails_of(broken) == before
    newest = current_version()
    others = CachedRecommendations.objects.exclude(profile=None).exclude(profile=broken)
    assert set(others.values_list("engine_version", flat=True)) == {newest}


def test_fit_only_publishes_the_model_and_trending_and_no_profiles_rails(community):
    call_command("recompute_recs", fit_only=True, verbosity=0)
    assert current_version() is not None
    assert CachedRecommendations.objects.filter(profile=None, rail_key="trending").exists()
    assert not CachedRecommendations.objects.exclude(profile=None).exists()


def test_shards_score_with_the_published_model_and_fit_nothing(community):
    with pytest.raises(CommandError, match="no published model yet"):
        call_command("recompute_recs", shard="0/2", verbosity=0)
    call_command("recompute_recs", fit_only=True, verbosity=0)
    published = published_versions()
    call_command("recompute_recs", shard="0/2", verbosity=0)
    call_command("recompute_recs", shard="1/2", verbosity=0)
    assert published_versions() == published  # nothing refitted
    assert engine_versions() == {published[-1]}
    assert set(
        CachedRecommendations.objects.exclude(profile=None).values_list("profile", flat=True)
    ) == set(Profile.objects.values_list("pk", flat=True))


def test_with_a_queue_backend_the_batches_are_queued_with_the_published_version(
    community, settings
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    out = StringIO()
    call_command("recompute_recs", verbosity=0, stdout=out)
    queued = default_task_backend.results
    assert {r.task.module_path for r in queued} == {"recommender.recompute.rails_recompute_batch"}
    assert {r.kwargs["model_version"] for r in queued} == {current_version()}
    assert sorted(pk for r in queued for pk in r.kwargs["profile_ids"]) == sorted(
        Profile.objects.values_list("pk", flat=True)
    )
    assert f"{Profile.objects.count()} profiles queued for the task workers" in out.getvalue()
    assert not CachedRecommendations.objects.exclude(profile=None).exists()  # the workers' job


@pytest.mark.parametrize("other", [{"profile": 1}, {"shard": "0/2"}, {"active_since": 3}])
def test_fit_only_takes_no_selection_of_profiles(community, other):
    with pytest.raises(CommandError, match="--fit-only takes no"):
        call_command("recompute_recs", fit_only=True, verbosity=0, **other)
