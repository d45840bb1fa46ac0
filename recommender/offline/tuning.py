"""Choosing every method's hyperparameters on a validation split, with the same budget each.

    python -m recommender.offline.tune --data ../shared/data/movielens/ml-latest-small

The validation split is carved from the training part only (the same kind of split as the
test one: per-user random 75/25 with another seed, or each profile's latest 20%), every
candidate is fitted on what remains and judged by nDCG@10 on the validation titles, and the
winner is refitted on the whole training part by :mod:`recommender.offline.evaluate`. The test
split is never looked at here.

Budget: at most six candidates per method. The engine tunes its model inside ``fit`` on three
internal hold-outs of the matrix it is given (about 25 closed-form fits of its head, then blend
weights; ``recommender.engine.tuning``), which here is the training part, so it sees no more
data than the baselines do, though it tries more candidates than their six. What it cannot
choose from its matrix is chosen here: how strongly a scored profile's recent titles outweigh
its old ones (``recency``, ``recommender.engine.recency``), which depends on whether the titles
to be found are a profile's next ones or random ones. The five strengths share one fit; only
the scoring differs.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from recommender.engine.recency import recency_weighted
from recommender.engine.registry import create
from recommender.engine.tuning import profiles_cut
from recommender.offline.metrics import ranking_metrics

# EASE's lambda as a multiple of the mean diagonal of X'X (the mean number of profiles per
# title on 0/1 input), so one grid fits both input scales: 5..160 covers lambda 36..1,150 on
# ml-latest-small's 0/1 training part.
EASE_RELATIVE = (5.0, 10.0, 20.0, 40.0, 80.0, 160.0)
GRIDS: dict[str, list[dict]] = {
    "popularity": [{}],
    "trending": [{}],
    "content": [{}],
    "engine": [{"recency": r} for r in (0.0, 1.0, 2.0, 4.0, 8.0)],
    "ease": [{"relative": r} for r in EASE_RELATIVE],
    "item-knn": [{"neighbours": n, "shrink": s} for n in (50, 100, 200) for s in (0.0, 10.0)],
    "rp3beta": [
        {"alpha": a, "beta": b, "neighbours": 100}
        for a, b in ((0.5, 0.3), (0.5, 0.5), (1.0, 0.3), (1.0, 0.5), (1.0, 0.7), (1.5, 0.5))
    ],
    "als": [
        {"factors": f, "regularization": r, "alpha": a, "iterations": 15}
        for f, r, a in ((64, 1.0, 1.0), (64, 10.0, 1.0), (128, 1.0, 1.0), (128, 10.0, 1.0),
                        (128, 1.0, 10.0), (128, 10.0, 10.0))
    ],
}  # fmt: skip
# Parameters of how the profiles are scored, not of the fit: candidates differing only in them
# share one fitted model.
SCORING = ("recency",)


def concrete(name: str, candidate: dict, interactions: sp.csr_matrix) -> dict:
    """Constructor parameters for ``candidate`` on ``interactions`` (EASE's relative lambda)."""
    if name != "ease":
        return dict(candidate)
    squares = np.asarray(interactions.multiply(interactions).sum(axis=0)).ravel()
    mean_diagonal = float(squares[squares > 0].mean()) if np.any(squares > 0) else 1.0
    return {"regularization": candidate["relative"] * mean_diagonal}


def fit_model(name: str, params: dict, stage: dict):
    """``name`` with ``params`` fitted on ``stage["train"]`` with the stage's side data."""
    model = create(name, **{key: value for key, value in params.items() if key not in SCORING})
    popularity = stage["trending"] if name == "trending" else stage["popularity"]
    features = stage["features"] if name in ("engine", "content") else None
    names = stage["feature_names"] if features is not None else None
    # Release years feed the engine's cold-start prior; the baselines' contract has none.
    years = {"item_years": stage["years"]} if name == "engine" else {}
    return model.fit(
        stage["train"], item_features=features, popularity=popularity, feature_names=names,
        **years,
    )  # fmt: skip


def scored_rows(params: dict, history: tuple, shape: tuple[int, int]) -> sp.csr_matrix:
    """The profiles a model with ``params`` scores, from their ``history`` (rows, columns,
    confidences, times): the confidences as they are, or weighted by recency."""
    rows, cols, values, times = history
    return recency_weighted(rows, cols, values, times, shape, params.get("recency", 0.0))


def history_cut(history: tuple, shape: tuple[int, int], n: int, rng) -> tuple:
    """``history`` with each profile cut down to ``n`` random titles (a cold-start profile):
    the titles `profiles_cut` keeps of the matrix of ``history`` with the same ``rng``."""
    rows, cols = history[0], history[1]
    index = sp.csr_matrix((np.arange(1.0, len(rows) + 1), (rows, cols)), shape=shape)
    index.sort_indices()
    keep = profiles_cut(index, n, rng).data.astype(np.int64) - 1
    return tuple(np.asarray(column)[keep] for column in history)


def tune(name: str, stage: dict) -> tuple[dict, list[tuple[dict, float]]]:
    """The best of ``GRIDS[name]`` on a validation ``stage``; returns it and every score."""
    grid = GRIDS[name]
    if len(grid) == 1:
        return concrete(name, grid[0], stage["train"]), []
    log, fitted = [], {}
    for candidate in grid:
        params = concrete(name, candidate, stage["train"])
        fit_key = repr(sorted((k, v) for k, v in params.items() if k not in SCORING))
        if fit_key not in fitted:
            fitted = {fit_key: fit_model(name, params, stage)}  # one model held at a time
        rows = scored_rows(params, stage["history"], stage["train"].shape)
        ids, _ = fitted[fit_key].recommend(rows, k=10)
        log.append((candidate, ranking_metrics(ids, stage["test"], k=10)["ndcg"]))
    best = max(log, key=lambda entry: entry[1])[0]
    return concrete(name, best, stage["train"]), log
