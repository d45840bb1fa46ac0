"""Self-tuning at fit time: the engine chooses its own regularisation and blend on its data.

Three disjoint hold-outs each hide a random 20% of the titles of up to ``tuning_profiles``
profiles (with 5+ titles); candidates are fitted on each fold's remaining matrix and judged by
nDCG@10 on its hidden titles, averaged over the folds. Nothing outside the matrix given to
``fit`` is looked at, so the choice carries to any data set. The search, in order (each step
keeps the winners of the ones before):

1. ``confidence_power`` is not searched: it is given, or 1 on 0/1 input, or fixed per member
   on graded input (as given and the square root, two members: ``recommender.engine.ensemble``);
   the confidences are raised to it before everything below;
2. ``regularization`` - relative to the mean of ``diag(X'X)`` over the head, so it does not
   depend on the scale of the confidences: 10, 20, 40 (extended by a factor 2 beyond an
   edge that wins, up to twice);
3. ``dropout`` (EDLAE's emphasised dropout ``p``): 0.25 at the best regularisation and at half
   of it (the dropout penalty also regularises);
4. ``neighbour_weight`` 0, 0.1, 0.25, 0.5 and ``content_weight`` 0, 0.05, 0.15, 0.3 together
   (the content weight doubled beyond a winning top edge, up to twice);
5. ``cold_start_weight`` ``c`` (the popularity prior weighs ``c / n**3`` for a profile of
   ``n`` titles) 0, 3, 10, 30, 100, 300: the best mean nDCG on the profiles cut down to 3 and to
   10 of their titles, among the values that cost the whole profiles at most 0.5% nDCG, so
   the prior earns its place on short profiles without costing long ones.

A parameter given to ``Engine`` is used as it is and not searched.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp

from recommender.engine.base import mask_unavailable, row_blocks
from recommender.engine.era import popularity_component
from recommender.engine.fit import (
    closed_form_weights,
    head_gram,
    hold_out_folds,
    ndcg_sum,
)
from recommender.engine.hybrid import hybrid_scores

# Used when the matrix is too small to hold anything out (fewer than MIN_PROFILES profiles
# with 5+ titles). They are what the search above chose on the validation split of
# ml-latest-small (the validation stage of the evaluation's split 2: its training part
# carved 75/25 again).
FALLBACK = {
    "confidence_power": 1.0,  # the confidences as given
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
CONTENT_GRID = (0.0, 0.05, 0.15, 0.3)
COLD_START_GRID = (0.0, 3.0, 10.0, 30.0, 100.0, 300.0)
# The prior weighs c / n**3 for a profile of n titles. Power 3 rather than 1 or 2: on the
# validation split of ml-latest-small (seed 2 and temporal), 1 and 2 left 3-title profiles
# below popularity whenever the full profiles kept their accuracy.
FADE_POWER = 3
COLD_START_FULL_LOSS = 0.005
HOLD_OUT_SHARE = 0.2
# Disjoint hold-outs whose scores are averaged. With one, the regularisation chosen on
# ml-latest-small's validation stage (split 1, 0/1) ranged from 10 to 80 over five seeds
# while the validation titles wanted 20: a single 20% hold-out is mostly noise there.
FOLDS = 3
# Up to this share of interactions hidden per fold, one neighbour matrix on the whole matrix
# serves the search and the model (fitting it again costs a minute at 25M interactions).
REUSE_NEIGHBOURS_SHARE = 0.01


def tune(
    engine, x: sp.csr_matrix, popularity_given: bool = False, power: float | None = None
) -> dict[str, float]:
    """The values of the tunable parameters for ``engine`` fitted on ``x`` (see module doc);
    ``power``, when given, is used as the confidence power instead of the engine's."""
    p = {**engine.params, **({} if power is None else {"confidence_power": power})}
    fixed = {name: p[name] for name in FALLBACK if p[name] is not None}
    if len(fixed) == len(FALLBACK):
        return {name: float(value) for name, value in fixed.items()}
    folds, rows = hold_out_folds(
        x, int(p["tuning_profiles"]), HOLD_OUT_SHARE, FOLDS, int(p["random_state"]) + 1
    )
    head = engine.head
    if len(rows) < MIN_PROFILES or len(head) < 2:
        return {**FALLBACK, **fixed}
    search = _Search(engine, x, folds, rows, popularity_given)
    chosen = dict(fixed)
    # Not searched: given, 1 on 0/1 input, or fixed per member on graded input (ensemble.py).
    chosen["confidence_power"] = fixed.get("confidence_power", 1.0)
    search._use_power(chosen["confidence_power"])
    chosen["regularization"], chosen["dropout"] = search.closed_form(
        fixed.get("regularization"), fixed.get("dropout")
    )
    chosen.update(search.blend(chosen, fixed))
    chosen["cold_start_weight"] = search.cold_start(chosen, fixed.get("cold_start_weight"))
    engine.tuning_log = search.log
    engine._tuning_state = search
    return {name: float(chosen[name]) for name in FALLBACK}


class _Fold:
    """One hold-out: the matrix without its hidden titles, and those titles."""

    def __init__(self, kept: sp.csr_matrix, hidden: sp.csr_matrix, rows: np.ndarray):
        self.raw_kept, self.hidden_rows = kept, rows
        self.relevant = hidden[rows]
        self.n_relevant = np.diff(self.relevant.indptr)
        self.hidden_share = hidden.nnz / max(kept.nnz + hidden.nnz, 1)
        self.neighbours_by_source = None

    def use(self, x: sp.csr_matrix, gram: np.ndarray, head: np.ndarray, power: float) -> None:
        """Confidences raised to ``power``; ``gram`` is the whole matrix's, corrected here for
        the rows that hid titles only (the hidden entries are a small part of the matrix)."""
        self.x_in = confidence_power(self.raw_kept, power)
        self.rows = self.x_in[self.hidden_rows]
        self.gram = gram - head_gram(x[self.hidden_rows], head) + head_gram(self.rows, head)
        self.scale = float(np.diag(self.gram).mean())


class _Search:
    def __init__(self, engine, x, folds, rows, popularity_given):
        self.engine, self.head, self.raw_x = engine, engine.head, x
        self.folds = [_Fold(kept, hidden, rows) for kept, hidden in folds]
        self.hidden_share = self.folds[0].hidden_share
        self.neighbour_matrix = None
        self.log: list[tuple[dict, float]] = []
        self.popularity_given = popularity_given
        self.tried: dict[tuple[float, float], float] = {}
        self.current_power: float | None = None

    def _use_power(self, power: float) -> None:
        """Search on the confidences raised to ``power`` from now on."""
        if power == self.current_power:
            return
        self.x = confidence_power(self.raw_x, power)
        self.gram = head_gram(self.x, self.head)
        for fold in self.folds:
            fold.use(self.x, self.gram, self.head, power)
        self.tried, self.current_power = {}, power

    def _score(self, reg: float, drop: float) -> float:
        """Mean nDCG@10 over the folds of the closed form alone (head titles)."""
        if (reg, drop) not in self.tried:

            def one_fold(fold: _Fold) -> float:
                weights = closed_form_weights(fold.gram, reg * fold.scale, drop)
                rows = fold.rows[:, self.head]
                scores = np.asarray(rows @ weights, dtype=np.float32)
                del weights
                mask_unavailable(scores, rows, None)
                relevant = fold.relevant[:, self.head]
                return ndcg_sum(scores, relevant, fold.n_relevant) / len(fold.n_relevant)

            self.tried[(reg, drop)] = float(np.mean(self._over_folds(one_fold, self.folds)))
        return self.tried[(reg, drop)]

    def _over_folds(self, function, items) -> list:
        """``function`` of each fold's item, the folds on up to the engine's threads at once
        (the closed form's LAPACK and numpy's products release the GIL)."""
        threads = min(self.engine.n_threads, len(items))
        if threads < 2:
            return [function(item) for item in items]
        with ThreadPoolExecutor(threads) as workers:
            return list(workers.map(function, items))

    def closed_form(self, regularization, dropout):
        tried = self.tried

        def score(reg, drop):
            if (reg, drop) not in tried:
                self._score(reg, drop)
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

    def _components(self, fold: _Fold, rows):
        """Every component for ``rows``, fitted on the fold's matrix only."""
        engine = self.engine
        collaborative = np.zeros((rows.shape[0], engine.n_items), dtype=np.float32)
        collaborative[:, self.head] = rows[:, self.head] @ fold.weights
        parts = {
            "collaborative": collaborative,
            "neighbours": (rows @ fold.neighbours_by_source).toarray(),
            "popularity": popularity_component(fold.popularity, engine.era, rows),
        }
        if engine.features is not None:
            parts["content"] = engine._components(rows, ("content",), transformed=True)["content"]
        return parts

    def _prepare(self, chosen):
        shared = None
        if self.hidden_share <= REUSE_NEIGHBOURS_SHARE:
            # The folds hide a sliver of the data (a large matrix): one neighbour matrix on
            # the whole of it serves every fold and the fitted model.
            self.neighbour_matrix = self.engine._neighbours(self.x)
            shared = sp.csr_matrix(self.neighbour_matrix.T)
        regularization, dropout = chosen["regularization"], chosen["dropout"]
        weights = self._over_folds(
            lambda fold: closed_form_weights(fold.gram, regularization * fold.scale, dropout),
            self.folds,
        )
        for fold, fold_weights in zip(self.folds, weights, strict=True):
            fold.weights = fold_weights
            if shared is None:
                shared_fold = sp.csr_matrix(self.engine._neighbours(fold.x_in).T)
            fold.neighbours_by_source = shared if shared is not None else shared_fold
            if self.popularity_given:
                fold.popularity = self.engine.popularity_share
            else:
                counts = fold.x_in.getnnz(axis=0).astype(np.float32)
                fold.popularity = counts / max(float(counts.max()), 1.0)

    def _ndcg_of_blends(self, blends: list[dict], cut=None) -> np.ndarray:
        """Mean over the folds of nDCG@10 of each blend (profiles cut to ``cut`` titles)."""
        rng = np.random.default_rng(int(self.engine.params["random_state"]) + 2)
        cuts = [
            fold.rows if cut is None else profiles_cut(fold.rows, cut, rng) for fold in self.folds
        ]

        def one_fold(fold_and_rows) -> np.ndarray:
            fold, rows = fold_and_rows
            fold_total = np.zeros(len(blends))
            for block in row_blocks(rows.shape[0], self.engine.n_items):
                part = rows[block]
                components = self._components(fold, part)
                size = np.maximum(np.diff(part.indptr), 1).astype(np.float32)
                relevant, n_relevant = fold.relevant[block], fold.n_relevant[block]
                for index, blend in enumerate(blends):
                    weights = {
                        "collaborative": 1.0,
                        "neighbours": blend["neighbour_weight"],
                        "content": blend["content_weight"],
                        "popularity": cold_start_prior(blend.get("cold_start_weight", 0.0), size),
                    }
                    scores, _ = hybrid_scores(components, weights)
                    mask_unavailable(scores, part, None)
                    fold_total[index] += ndcg_sum(scores, relevant, n_relevant)
            return fold_total / rows.shape[0]

        totals = self._over_folds(one_fold, list(zip(self.folds, cuts, strict=True)))
        return np.mean(totals, axis=0)

    def blend(self, chosen, fixed):
        self._prepare(chosen)
        neighbour = [fixed["neighbour_weight"]] if "neighbour_weight" in fixed else NEIGHBOUR_GRID
        content = CONTENT_GRID
        if "content_weight" in fixed or self.engine.features is None:
            content = [fixed.get("content_weight", 0.0)]
        blends = [{"neighbour_weight": n, "content_weight": c} for n in neighbour for c in content]
        if len(blends) == 1:
            return blends[0]
        scores = list(self._ndcg_of_blends(blends))
        best = blends[int(np.argmax(scores))]
        for _ in range(2):  # the content weight wins at the top of its grid: look beyond it
            if len(content) == 1 or best["content_weight"] != max(
                c["content_weight"] for c in blends
            ):
                break
            more = [{**best, "content_weight": 2 * best["content_weight"]}]
            blends += more
            scores += list(self._ndcg_of_blends(more))
            best = blends[int(np.argmax(scores))]
        for blend, value in zip(blends, scores, strict=True):
            self.log.append((blend, float(value)))
        return best

    def cold_start(self, chosen, fixed_value):
        if fixed_value is not None:
            return fixed_value
        blends = [{**chosen, "cold_start_weight": c} for c in COLD_START_GRID]
        full = self._ndcg_of_blends(blends)
        short = np.mean([self._ndcg_of_blends(blends, cut=n) for n in (3, 10)], axis=0)
        for blend, value, cut in zip(blends, full, short, strict=True):
            self.log.append(({"cold_start_weight": blend["cold_start_weight"]}, (value, cut)))
        allowed = full >= (1.0 - COLD_START_FULL_LOSS) * full.max()
        return COLD_START_GRID[int(np.argmax(np.where(allowed, short, -np.inf)))]


def confidence_power(rows: sp.csr_matrix, power: float) -> sp.csr_matrix:
    """``rows`` with each stored confidence ``c > 0`` replaced by ``c ** power`` (0: by 1)."""
    if power == 1.0 or not rows.nnz:
        return rows
    out = rows.copy()
    out.data = np.where(out.data > 0, np.power(out.data, power), 0.0).astype(np.float32)
    return out


def cold_start_prior(weight: float, size: np.ndarray) -> np.ndarray:
    """Weight of the popularity prior for profiles of ``size`` titles: ``weight / size**3``."""
    return (weight / np.maximum(size, 1.0) ** FADE_POWER).astype(np.float32)


def profiles_cut(rows: sp.csr_matrix, n: int, rng) -> sp.csr_matrix:
    """Each row cut down to ``n`` of its titles, chosen at random (a cold-start profile)."""
    coo = rows.tocoo()
    order = np.lexsort((rng.random(coo.nnz), coo.row))
    row_sorted = coo.row[order]
    starts = np.r_[0, np.flatnonzero(np.diff(row_sorted)) + 1]
    position = np.arange(coo.nnz) - np.repeat(starts, np.diff(np.r_[starts, coo.nnz]))
    keep = order[position < n]
    return sp.csr_matrix((coo.data[keep], (coo.row[keep], coo.col[keep])), shape=rows.shape)
