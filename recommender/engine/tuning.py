"""Self-tuning at fit time: the engine chooses its own regularisation and blend on its data.

A random 20% of the titles of up to ``tuning_profiles`` profiles (with 5+ titles) is hidden
from the training matrix; candidates are fitted on the rest and judged by nDCG@10 on the
hidden titles. Nothing outside the matrix given to ``fit`` is looked at, so the choice carries
to any data set. The search, in order (each step keeps the winner of the one before):

1. ``regularization`` - relative to the mean of ``diag(X'X)`` over the head, so it does not
   depend on the scale of the confidences: 10, 20, 40 (extended by a factor 2 beyond an
   edge that wins, up to twice);
2. ``dropout`` (EDLAE's emphasised dropout ``p``): 0.25 at the best regularisation and at half
   of it (the dropout penalty also regularises);
3. ``neighbour_weight`` 0, 0.1, 0.25, 0.5 and ``content_weight`` 0, 0.05, 0.15 together;
4. ``cold_start_weight`` ``c`` (the popularity prior weighs ``c / n**3`` for a profile of
   ``n`` titles) 0, 3, 10, 30, 100, 300: the best mean nDCG on the profiles cut down to 3 and to
   10 of their titles, among the values that cost the whole profiles at most 0.5% nDCG, so
   the prior earns its place on short profiles without costing long ones.

A parameter given to ``Engine`` is used as it is and not searched.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from recommender.engine.base import mask_unavailable, row_blocks
from recommender.engine.fit import (
    closed_form_weights,
    head_gram,
    hold_out_for_tuning,
    ndcg_sum,
)
from recommender.engine.hybrid import hybrid_scores

# Used when the matrix is too small to hold anything out (fewer than MIN_PROFILES profiles
# with 5+ titles). They are what the search above chose on the validation split of
# ml-latest-small (the validation stage of the evaluation's split 2: its training part
# carved 75/25 again).
FALLBACK = {
    "regularization": 40.0,
    "dropout": 0.25,
    "neighbour_weight": 0.0,
    "content_weight": 0.15,
    "cold_start_weight": 3.0,  # not the 100 chosen there: counts of a few profiles are noise
}
MIN_PROFILES = 50
REGULARIZATION_GRID = (10.0, 20.0, 40.0)
DROPOUT_GRID = (0.25,)
NEIGHBOUR_GRID = (0.0, 0.1, 0.25, 0.5)
CONTENT_GRID = (0.0, 0.05, 0.15)
COLD_START_GRID = (0.0, 3.0, 10.0, 30.0, 100.0, 300.0)
# The prior weighs c / n**3 for a profile of n titles. Power 3 rather than 1 or 2: on the
# validation split of ml-latest-small (seed 2 and temporal), 1 and 2 left 3-title profiles
# below popularity whenever the full profiles kept their accuracy.
FADE_POWER = 3
COLD_START_FULL_LOSS = 0.005
HOLD_OUT_SHARE = 0.2


def tune(engine, x: sp.csr_matrix, popularity_given: bool = False) -> dict[str, float]:
    """The values of the tunable parameters for ``engine`` fitted on ``x`` (see module doc)."""
    p = engine.params
    fixed = {name: p[name] for name in FALLBACK if p[name] is not None}
    if len(fixed) == len(FALLBACK):
        return {name: float(value) for name, value in fixed.items()}
    x_in, hidden, rows = hold_out_for_tuning(
        x, int(p["tuning_profiles"]), HOLD_OUT_SHARE, int(p["random_state"]) + 1
    )
    head = engine.head
    if len(rows) < MIN_PROFILES or len(head) < 2:
        return {**FALLBACK, **fixed}
    search = _Search(engine, x_in, hidden, rows, head, popularity_given)
    chosen = dict(fixed)
    chosen["regularization"], chosen["dropout"] = search.closed_form(
        fixed.get("regularization"), fixed.get("dropout")
    )
    chosen.update(search.blend(chosen, fixed))
    chosen["cold_start_weight"] = search.cold_start(chosen, fixed.get("cold_start_weight"))
    engine.tuning_log = search.log
    engine._tuning_state = search
    return {name: float(chosen[name]) for name in FALLBACK}


class _Search:
    def __init__(self, engine, x_in, hidden, rows, head, popularity_given):
        self.engine, self.x_in, self.head = engine, x_in, head
        self.rows = x_in[rows]
        self.relevant = hidden[rows]
        self.n_relevant = np.diff(self.relevant.indptr)
        self.hidden_rows, self.hidden_share = rows, hidden.nnz / max(x_in.nnz + hidden.nnz, 1)
        self.gram = head_gram(x_in, head)
        self.neighbour_matrix = None
        self.scale = float(np.diag(self.gram).mean())
        self.log: list[tuple[dict, float]] = []
        self.popularity_given = popularity_given

    def _head_ndcg(self, weights: np.ndarray) -> float:
        rows = self.rows[:, self.head]
        scores = np.asarray(rows @ weights, dtype=np.float32)
        mask_unavailable(scores, rows, None)
        relevant = self.relevant[:, self.head]
        return ndcg_sum(scores, relevant, self.n_relevant) / len(self.n_relevant)

    def closed_form(self, regularization, dropout):
        tried: dict[tuple[float, float], float] = {}

        def score(reg, drop):
            if (reg, drop) not in tried:
                weights = closed_form_weights(self.gram, reg * self.scale, drop)
                tried[(reg, drop)] = self._head_ndcg(weights)
                self.log.append(({"regularization": reg, "dropout": drop}, tried[(reg, drop)]))
            return tried[(reg, drop)]

        base_drop = 0.0 if dropout is None else dropout
        if regularization is None:
            grid = list(REGULARIZATION_GRID)
            for value in grid:
                score(value, base_drop)
            for _ in range(2):  # the best is at an edge: look one step beyond it
                best = max(grid, key=lambda v: tried[(v, base_drop)])
                if best == grid[0]:
                    grid.insert(0, best / 2)
                    score(grid[0], base_drop)
                elif best == grid[-1]:
                    grid.append(best * 2)
                    score(grid[-1], base_drop)
                else:
                    break
            regularization = max(grid, key=lambda v: tried[(v, base_drop)])
        candidates = [(regularization, base_drop)]
        if dropout is None:
            for drop in DROPOUT_GRID:
                for reg in (regularization, regularization / 2):
                    score(reg, drop)
                    candidates.append((reg, drop))
        if len(candidates) == 1:
            return candidates[0]
        return max(candidates, key=lambda c: score(*c))

    def _components(self, rows):
        """Every component for ``rows``, fitted on ``x_in`` only."""
        engine = self.engine
        collaborative = np.zeros((rows.shape[0], engine.n_items), dtype=np.float32)
        collaborative[:, self.head] = rows[:, self.head] @ self.weights
        parts = {
            "collaborative": collaborative,
            "neighbours": (rows @ self.neighbours_by_source).toarray(),
            "popularity": np.broadcast_to(self.popularity, collaborative.shape),
        }
        if engine.features is not None:
            parts["content"] = engine._components(rows, ("content",))["content"]
        return parts

    def _prepare(self, chosen):
        self.weights = closed_form_weights(
            self.gram, chosen["regularization"] * self.scale, chosen["dropout"]
        )
        self.neighbour_matrix = self.engine._neighbours(self.x_in)
        self.neighbours_by_source = sp.csr_matrix(self.neighbour_matrix.T)
        if self.popularity_given:
            self.popularity = self.engine.popularity_share
        else:
            counts = self.x_in.getnnz(axis=0).astype(np.float32)
            self.popularity = counts / max(float(counts.max()), 1.0)

    def _ndcg_of_blends(self, rows, blends: list[dict]) -> list[float]:
        totals = np.zeros(len(blends))
        for block in row_blocks(rows.shape[0], self.engine.n_items):
            part = rows[block]
            components = self._components(part)
            size = np.maximum(np.diff(part.indptr), 1).astype(np.float32)
            for index, blend in enumerate(blends):
                weights = {
                    "collaborative": 1.0,
                    "neighbours": blend["neighbour_weight"],
                    "content": blend["content_weight"],
                    "popularity": cold_start_prior(blend.get("cold_start_weight", 0.0), size),
                }
                scores, _ = hybrid_scores(components, weights)
                mask_unavailable(scores, part, None)
                totals[index] += ndcg_sum(scores, self.relevant[block], self.n_relevant[block])
        return list(totals / rows.shape[0])

    def blend(self, chosen, fixed):
        self._prepare(chosen)
        neighbour = [fixed["neighbour_weight"]] if "neighbour_weight" in fixed else NEIGHBOUR_GRID
        content = CONTENT_GRID
        if "content_weight" in fixed or self.engine.features is None:
            content = [fixed.get("content_weight", 0.0)]
        blends = [{"neighbour_weight": n, "content_weight": c} for n in neighbour for c in content]
        if len(blends) == 1:
            return blends[0]
        scores = self._ndcg_of_blends(self.rows, blends)
        for blend, value in zip(blends, scores, strict=True):
            self.log.append((blend, value))
        return blends[int(np.argmax(scores))]

    def cold_start(self, chosen, fixed_value):
        if fixed_value is not None:
            return fixed_value
        rng = np.random.default_rng(int(self.engine.params["random_state"]) + 2)
        blends = [{**chosen, "cold_start_weight": c} for c in COLD_START_GRID]
        full = np.asarray(self._ndcg_of_blends(self.rows, blends))
        short = np.mean(
            [self._ndcg_of_blends(_keep_first(self.rows, n, rng), blends) for n in (3, 10)],
            axis=0,
        )
        for blend, value, cut in zip(blends, full, short, strict=True):
            self.log.append(({"cold_start_weight": blend["cold_start_weight"]}, (value, cut)))
        allowed = full >= (1.0 - COLD_START_FULL_LOSS) * full.max()
        return COLD_START_GRID[int(np.argmax(np.where(allowed, short, -np.inf)))]


def full_gram(search: _Search, x: sp.csr_matrix) -> np.ndarray:
    """``X_head' X_head`` of the whole matrix from the search's, correcting only the rows that
    hid titles (the hidden entries are disjoint from the rest), so it is computed once."""
    gram = search.gram.copy()
    gram -= head_gram(search.x_in[search.hidden_rows], search.head)
    gram += head_gram(x[search.hidden_rows], search.head)
    return gram


def cold_start_prior(weight: float, size: np.ndarray) -> np.ndarray:
    """Weight of the popularity prior for profiles of ``size`` titles: ``weight / size**3``."""
    return (weight / np.maximum(size, 1.0) ** FADE_POWER).astype(np.float32)


def _keep_first(rows: sp.csr_matrix, n: int, rng) -> sp.csr_matrix:
    """Each row cut down to ``n`` of its titles, chosen at random."""
    coo = rows.tocoo()
    order = np.lexsort((rng.random(coo.nnz), coo.row))
    row_sorted = coo.row[order]
    starts = np.r_[0, np.flatnonzero(np.diff(row_sorted)) + 1]
    position = np.arange(coo.nnz) - np.repeat(starts, np.diff(np.r_[starts, coo.nnz]))
    keep = order[position < n]
    return sp.csr_matrix((coo.data[keep], (coo.row[keep], coo.col[keep])), shape=rows.shape)
