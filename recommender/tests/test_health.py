"""/health/: the database, the cache and the model artifact's age (#16)."""

import os
import time

import pytest

from recommender.artifacts import artifacts_dir

pytestmark = pytest.mark.django_db


def model_saved(age_seconds: float) -> None:
    """A published version "v1" whose files were written `age_seconds` ago (local storage)."""
    folder = artifacts_dir() / "v1"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "engine.npz").write_bytes(b"")
    (folder / "mapping.npz").write_bytes(b"")
    (artifacts_dir() / "current").write_text("v1")
    stamp = time.time() - age_seconds
    os.utime(folder / "mapping.npz", (stamp, stamp))


def test_health_reports_each_check_and_is_200_when_all_pass(client, artifacts_tmp):
    model_saved(age_seconds=3600)
    response = client.get("/health/?format=json")
    assert response.status_code == 200
    body = response.json()
    assert any("Database" in name for name in body) and any("Cache" in name for name in body)
    assert any("ModelArtifact" in name for name in body)
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_a_model_older_than_two_nights_fails_the_artifact_check(client, artifacts_tmp):
    model_saved(age_seconds=3 * 24 * 3600)
    response = client.get("/health/?format=json")
    assert response.status_code == 500
    artifact = next(v for k, v in response.json().items() if "ModelArtifact" in k)
    assert "72 hours old" in artifact


def test_no_model_yet_fails_the_artifact_check(client, artifacts_tmp):
    response = client.get("/health/?format=json")
    assert response.status_code == 500
    artifact = next(v for k, v in response.json().items() if "ModelArtifact" in k)
    assert "recompute_recs" in artifact


def test_with_redis_down_the_cache_check_fails(client, artifacts_tmp, settings):
    model_saved(age_seconds=60)
    settings.DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
        }
    }
    response = client.get("/health/?format=json")
    assert response.status_code == 500
    cache = next(v for k, v in response.json().items() if "Cache" in k)
    assert cache != "OK"
