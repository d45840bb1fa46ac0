"""Offline replay before an experiment starts: each variant's nDCG@10 on the site's own
held-out signals, with the evaluation code's metric (recommender.offline.metrics).

Every profile with at least MIN_SIGNALS positive signals gives a random HOLDOUT share of them
(seeded, so a replay is repeatable) to the test side; each variant's model is fitted on the rest
and ranks with the variant's diversity, session setting and popularity weight through the same
function the live rails use (`recommender.variants.ranked_by`). Runs as a task (in-process by
default, on a worker with a queue backend), never inside the page that asks for it otherwise.
"""

import numpy as np
import scipy.sparse as sp
from django.contrib.auth import get_user_model
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from curator.models import Experiment
from curator.services import audit_record
from recommender.engine import Engine
from recommender.engine.registry import NEEDS_FEATURES, create
from recommender.offline.metrics import ranking_metrics
from recommender.selectors import training_set
from recommender.services import ENGINE_PARAMS
from recommender.variants import ranked_by, too_large

K = 10
HOLDOUT = 0.2
MIN_SIGNALS = 5
SEED = 13


def held_out(interactions: sp.csr_matrix, *, seed: int = SEED):
    """(train, test): a random HOLDOUT share of each row with MIN_SIGNALS or more positives."""
    x = sp.csr_matrix(interactions, copy=True)
    x.data[x.data < 0] = 0
    x.eliminate_zeros()
    rng = np.random.default_rng(seed)
    test_mask = np.zeros(x.nnz, dtype=bool)
    for row in range(x.shape[0]):
        start, end = x.indptr[row], x.indptr[row + 1]
        if end - start >= MIN_SIGNALS:
            picked = rng.choice(end - start, max(1, int(HOLDOUT * (end - start))), replace=False)
            test_mask[start + picked] = True
    test = x.copy()
    test.data = np.where(test_mask, 1.0, 0.0).astype(np.float32)
    test.eliminate_zeros()
    train = x.copy()
    train.data[test_mask] = 0
    train.eliminate_zeros()
    return train, test


def fitted(algorithm: str, training, train):
    model = Engine(**ENGINE_PARAMS) if algorithm == "engine" else create(algorithm)
    features = training.item_features if algorithm in NEEDS_FEATURES | {"engine"} else None
    years = {"item_years": training.years} if algorithm == "engine" else {}  # as the nightly fit
    return model.fit(
        train, item_features=features, popularity=training.popularity,
        feature_names=training.feature_names if features is not None else None, **years,
    )  # fmt: skip


def variant_ndcg(config: dict, model, training, train, test) -> float:
    rows = np.flatnonzero(np.diff(test.indptr))
    peak = training.popularity.max() if len(training.popularity) else 0
    popularity = training.popularity / peak if peak > 0 else training.popularity
    ids, _ = ranked_by(model, popularity, train[rows], config, k=K)
    return ranking_metrics(ids, test[rows], k=K)["ndcg"]


@task
def experiment_replay(*, experiment_id: int, actor_id: int | None = None) -> dict:
    """Replay every variant of a draft experiment; stores the report on the experiment."""
    experiment = Experiment.objects.get(pk=experiment_id)
    training = training_set(now=timezone.now())
    train, test = held_out(training.interactions)
    profiles = int((np.diff(test.indptr) > 0).sum())
    report = {"profiles": profiles, "k": K, "computed_at": timezone.now().isoformat()}
    models: dict[str, object] = {}  # variants on one algorithm share its fit
    report["ndcg"] = {}
    for variant in experiment.variants.select_related("experiment"):
        if not profiles:
            report["ndcg"][variant.name] = None
            continue
        if reason := too_large(variant.algorithm, train.shape[1]):
            report["ndcg"][variant.name] = None  # saved before the catalogue grew past it
            report.setdefault("notes", []).append(reason)
            continue
        if variant.algorithm not in models:
            models[variant.algorithm] = fitted(variant.algorithm, training, train)
        ndcg = variant_ndcg(variant.config(), models[variant.algorithm], training, train, test)
        report["ndcg"][variant.name] = round(ndcg, 4)
    with transaction.atomic():
        Experiment.objects.filter(pk=experiment_id).update(offline_report=report)
        experiment.offline_report = report
        audit_record(
            actor=None if actor_id is None else _actor(actor_id), action="replayed",
            obj=experiment, summary=f"Offline replay of {experiment.name}", before=None,
            after=report,
        )  # fmt: skip
    return report


def _actor(actor_id: int):
    return get_user_model().objects.filter(pk=actor_id).first()
