"""Offline replay: each variant's nDCG@10 on the site's own held-out signals."""

import numpy as np
import pytest
import scipy.sparse as sp

from curator.experiments import experiment_save
from curator.models import AuditEntry
from curator.replay import MIN_SIGNALS, held_out

pytestmark = pytest.mark.django_db


def test_held_out_split_takes_a_share_of_each_long_enough_row_only():
    rows = sp.csr_matrix(np.array([[1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 0, 0, 0, 0, 0, 0, 0, 0]],
                                  dtype=np.float32))  # fmt: skip
    train, test = held_out(rows)
    assert test[0].nnz == 2 and train[0].nnz == 8  # 20% of 10
    assert test[1].nnz == 0 and train[1].nnz == 2  # fewer than MIN_SIGNALS: all kept
    assert train.multiply(test).nnz == 0
    assert MIN_SIGNALS == 5
    assert (held_out(rows)[1] != test).nnz == 0  # seeded: the same split every time


def test_replay_scores_every_variant_and_the_better_one_higher(client, curator_user, community):
    experiment = experiment_save(actor=curator_user, name="E", rail_keys=["for-you"], variants=[
        {"name": "control", "is_control": True, "weight": 50, "algorithm": "item-knn"},
        {"name": "popular", "is_control": False, "weight": 50, "algorithm": "popularity"},
    ])  # fmt: skip
    client.force_login(curator_user)
    response = client.post(f"/curator/experiments/{experiment.pk}/replay/")
    assert response.status_code == 302
    experiment.refresh_from_db()
    report = experiment.offline_report
    assert report["profiles"] > 0 and report["k"] == 10
    assert set(report["ndcg"]) == {"control", "popular"}
    assert all(0 <= value <= 1 for value in report["ndcg"].values())
    # Genre-blocked fans: similar titles beat whatever is popular overall.
    assert report["ndcg"]["control"] > report["ndcg"]["popular"]
    assert AuditEntry.objects.filter(action="replayed").exists()
    page = client.get(f"/curator/experiments/{experiment.pk}/").content.decode()
    assert "nDCG@10" in page


def test_a_variant_too_large_for_the_catalogue_is_not_replayed(
    client, curator_user, community, monkeypatch
):
    """Saved before the catalogue grew past EASE's bound: the replay says why, fits nothing."""
    from recommender import variants
    from recommender.engine import baselines

    experiment = experiment_save(actor=curator_user, name="E", rail_keys=["for-you"], variants=[
        {"name": "control", "is_control": True, "weight": 50, "algorithm": "popularity"},
        {"name": "dense", "is_control": False, "weight": 50, "algorithm": "ease"},
    ])  # fmt: skip
    monkeypatch.setattr(variants, "DENSE_MAX_TITLES", 5)
    monkeypatch.setattr(baselines.EASE, "fit", lambda *a, **k: pytest.fail("EASE was fitted"))
    client.force_login(curator_user)
    client.post(f"/curator/experiments/{experiment.pk}/replay/")
    experiment.refresh_from_db()
    report = experiment.offline_report
    assert report["ndcg"]["dense"] is None and 0 <= report["ndcg"]["control"] <= 1
    page = client.get(f"/curator/experiments/{experiment.pk}/").content.decode()
    assert "ease is not offered for a catalogue of" in page
