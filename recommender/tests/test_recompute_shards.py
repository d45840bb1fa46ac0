"""Cron-only setups split the night with `recompute_recs --shard i/n` on several hosts: each
host runs from its own working folder with its own var/, and all of them score with the one
model version published to the shared artifacts storage (real processes)."""

import json

import pytest

from recommender.tests.processes import manage, site_environment

VERSIONS = """
import json
from recommender.artifacts import current_version, published_versions
from recommender.models import CachedRecommendations
from recommender.recompute import profiles_to_recompute
rails = CachedRecommendations.objects.exclude(profile=None)
print(json.dumps({
    "current": current_version(),
    "published": published_versions(),
    "profiles": sorted(profiles_to_recompute(profile_id=None, active_since=None, shard=(0, 1))),
    "scored": sorted(set(rails.values_list("profile_id", flat=True))),
    "versions": sorted(set(rails.values_list("engine_version", flat=True))),
}))
"""


@pytest.mark.django_db
def test_two_shards_from_different_working_folders_score_with_the_same_model(tmp_path):
    shared = tmp_path / "shared-artifacts"  # e.g. a network mount (or S3) every host sees
    hosts = [tmp_path / "host-a", tmp_path / "host-b"]
    for host in hosts:
        host.mkdir()
    with site_environment(tmp_path / "db", sqlite_file=tmp_path / "marquee.sqlite3") as (env, _):
        env["MARQUEE_ARTIFACTS_DIR"] = str(shared)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_demo", "--members", "40", "-v0")
        manage(env, "recompute_recs", "--fit-only", "-v0", cwd=hosts[0])
        for index, host in enumerate(hosts):
            host_env = env | {"MARQUEE_VAR_DIR": str(host / "var")}
            done = manage(host_env, "recompute_recs", "--shard", f"{index}/2", cwd=host)
            assert "no fit" in done.stdout
        state = json.loads(manage(env, "shell", "-v0", "-c", VERSIONS).stdout.splitlines()[-1])
    assert len(state["published"]) == 1  # the shards published nothing of their own
    assert state["versions"] == [state["current"]] == state["published"]
    assert state["scored"] == state["profiles"] and len(state["profiles"]) >= 2
