"""The published model on shared storage (recommender/artifacts.py): written through Django's
storage API, the `current` pointer last, loaded by version, downloaded into a local cache when
the storage is remote."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from recommender import artifacts
from recommender.engine import Engine

ROOT = Path(__file__).resolve().parents[2]


def publish(version: str) -> None:
    """A model fitted on a tiny matrix, published as `version`, then forgotten by this process."""
    interactions = sp.csr_matrix(np.array([[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1]], float))
    engine = Engine().fit(interactions)
    title_ids, names = np.array([10, 20, 30, 40]), np.array(["a", "b", "c", "d"])
    artifacts.bundle_publish(artifacts.Bundle(version, engine, title_ids, names))
    artifacts.process_cache_clear()


@pytest.fixture
def remote(settings, tmp_path, monkeypatch):
    """An artifacts storage shared by every host that, like S3, offers no local path (so
    readers download), and this host's own cache folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "artifacts": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "shared"},
        },
    }
    monkeypatch.setattr(artifacts, "_local_path", lambda storage, name: None)
    settings.MARQUEE_ARTIFACTS_DIR = tmp_path / "host-a"
    artifacts.process_cache_clear()
    yield tmp_path
    artifacts.process_cache_clear()


def test_publish_writes_the_version_then_the_pointer(artifacts_tmp):
    publish("20260101T030000-aaaa")
    assert (artifacts_tmp / "current").read_text() == "20260101T030000-aaaa"
    assert sorted(p.name for p in (artifacts_tmp / "20260101T030000-aaaa").iterdir()) == [
        "engine.npz",
        "mapping.npz",
    ]
    bundle = artifacts.bundle_current()
    assert bundle.version == "20260101T030000-aaaa"
    assert bundle.columns_of([20, 99]).tolist() == [1, -1]
    assert artifacts.published_at("20260101T030000-aaaa") is not None


def test_a_version_without_the_pointer_is_never_served(artifacts_tmp):
    publish("20260101T030000-aaaa")
    # A publish interrupted after the files and before the pointer.
    (artifacts_tmp / "20260102T030000-bbbb").mkdir()
    (artifacts_tmp / "20260102T030000-bbbb" / "engine.npz").write_bytes(b"half")
    assert artifacts.bundle_current().version == "20260101T030000-aaaa"


def test_old_versions_are_pruned_but_a_pinned_one_still_loads(artifacts_tmp):
    for day in range(1, 5):
        publish(f"2026010{day}T030000-aaaa")
    assert artifacts.published_versions() == ["20260103T030000-aaaa", "20260104T030000-aaaa"]
    assert artifacts.bundle_for_version("20260103T030000-aaaa").version.startswith("20260103")
    assert artifacts.bundle_for_version("20260101T030000-aaaa") is None  # pruned: fallback


def test_a_remote_storage_is_downloaded_once_into_each_hosts_cache(remote, settings):
    publish("20260101T030000-aaaa")
    assert (remote / "shared" / "current").read_text() == "20260101T030000-aaaa"
    assert artifacts.bundle_current().version == "20260101T030000-aaaa"
    assert (remote / "host-a" / "20260101T030000-aaaa" / "engine.npz").exists()

    # Another host, with its own working folder, reads the same version from the storage.
    settings.MARQUEE_ARTIFACTS_DIR = remote / "host-b"
    artifacts.process_cache_clear()
    bundle = artifacts.bundle_for_version("20260101T030000-aaaa")
    assert bundle is not None and bundle.title_ids.tolist() == [10, 20, 30, 40]
    assert (remote / "host-b" / "20260101T030000-aaaa" / "mapping.npz").exists()
    assert not [p for p in (remote / "host-b").iterdir() if p.name.startswith(".")]


def test_a_remote_pointer_is_read_again_only_after_a_while(remote, monkeypatch):
    publish("20260101T030000-aaaa")
    assert artifacts.current_version() == "20260101T030000-aaaa"
    (remote / "shared" / "current").write_text("20260102T030000-bbbb")  # another host's run
    assert artifacts.current_version() == "20260101T030000-aaaa"  # no storage call per page
    monkeypatch.setattr(artifacts, "REMOTE_POINTER_SECONDS", 0)
    assert artifacts.current_version() == "20260102T030000-bbbb"


def test_s3_settings_select_django_storages_s3_backend(tmp_path):
    """MARQUEE_ARTIFACTS_S3_* make STORAGES["artifacts"] an S3Storage (no request is made)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MARQUEE_VAR_DIR": str(tmp_path),
        "MARQUEE_ARTIFACTS_S3_BUCKET": "marquee-models",
        "MARQUEE_ARTIFACTS_S3_PREFIX": "prod/artifacts",
        "MARQUEE_ARTIFACTS_S3_ENDPOINT": "http://127.0.0.1:9000",
        "MARQUEE_ARTIFACTS_S3_REGION": "eu-west-1",
    }
    script = (
        "import django, json; django.setup();"
        "from django.core.files.storage import storages; s = storages['artifacts'];"
        "print(json.dumps([type(s).__module__, s.bucket_name, s.location, s.endpoint_url,"
        " s.region_name, s.file_overwrite]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        "storages.backends.s3",
        "marquee-models",
        "prod/artifacts",
        "http://127.0.0.1:9000",
        "eu-west-1",
        True,
    ]


def test_a_storage_that_fails_mid_download_serves_the_fallback_not_an_error(remote, monkeypatch):
    publish("20260101T030000-aaaa")
    storage = artifacts.artifact_storage()

    def unreachable(name, mode="rb"):
        raise ConnectionError("storage unreachable")

    monkeypatch.setattr(storage, "open", unreachable)
    assert artifacts.bundle_for_version("20260101T030000-aaaa") is None
    assert not [p for p in (remote / "host-a").iterdir() if p.name.startswith(".")]
