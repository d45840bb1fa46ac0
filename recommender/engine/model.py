"""Marquee's recommender engine: a hybrid item-based ranker with diversity, session re-ranking,
explanations and calibrated confidence. Pure numpy/scipy; no Django.

Score of title ``i`` for a profile row ``x`` (see docs/engine.md):

* ``collaborative`` - closed-form item-item weights over the ``head_size`` most-interacted
  titles: EASE (Steck 2019) with the emphasised-dropout penalty of EDLAE (Steck 2020); dense
  but only ``head_size**2``;
* ``neighbours`` - sparse top-``neighbours`` cosine similarity over the whole catalogue, with
  heavy profiles down-weighted by ``degree ** -user_degree_power``; covers the long tail;
* ``content`` - cosine between the profile's TF-IDF taste vector and the title's features;
* ``popularity`` - the given popularity (e.g. time-decayed counts) divided by its maximum, and
  by release year close to the profile's titles when years are given (``engine/era.py``),
  weighted ``popularity_weight + cold_start_weight / n**3`` for a profile with ``n`` titles, so
  a short profile leans on what is popular and the prior fades as the profile grows.

Each component is divided by its largest value in the row, then blended with the weights.
Confidences are divided by their mean at fit time and regularisation is relative to the mean
of ``diag(X'X)``, so multiplying every confidence by a constant changes no ranking. The
regularisation, dropout and blend weights left as ``None`` are chosen at fit time on an
internal hold-out of the training matrix (``recommender.engine.tuning``).
Ids are matrix columns/rows; the caller maps them to database ids.
"""

from __future__ import annotations

import math
import numbers
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp

from recommender.engine.base import (
    PAD_ID,
    PAD_SCORE,
    Recommender,
    check_features,
    check_fraction,
    check_matrix,
    check_sessions,
    check_vector,
    mask_unavailable,
    normalize_rows,
    row_blocks,
)
from recommender.engine.ensemble import (
    PRIMARY_POWER,
    ensemble_scores,
    is_graded,
    partner_fit,
)
from recommender.engine.era import Era, popularity_component
from recommender.engine.explain import (
    calibrate,
    calibration_curve,
    confidence_for,
    explain,
    explain_items,
    percentile_in_row,
)
from recommender.engine.fit import (
    closed_form_weights,
    head_gram,
    head_titles,
    hold_out_for_calibration,
)
from recommender.engine.hybrid import hybrid_scores
from recommender.engine.persistence import load_engine, save_engine
from recommender.engine.ranking import rank_block
from recommender.engine.rerank import diversity_embedding
from recommender.engine.similarity import hybrid_similarity, similar_items, top_k_similarity
from recommender.engine.tuning import cold_start_prior, confidence_power, tune

COMPONENTS = ("collaborative", "neighbours", "content", "popularity")
# Chosen at fit time when left as None (see recommender.engine.tuning).
TUNED = ("confidence_power", "regularization", "dropout", "neighbour_weight", "content_weight",
         "cold_start_weight")  # fmt: skip


class Engine(Recommender):
    """The hybrid recommender; see the module docstring and docs/engine.md."""

    def __init__(
        self,
        *,
        head_size: int = 3000,
        confidence_power: float | None = None,
        regularization: float | None = None,
        dropout: float | None = None,
        neighbours: int = 50,
        user_degree_power: float = 0.25,
        collaborative_weight: float = 1.0,
        neighbour_weight: float | None = None,
        content_weight: float | None = None,
        popularity_weight: float = 0.0,
        cold_start_weight: float | None = None,
        diversity: float = 0.05,
        tail_lift: float = 0.4,
        tail_slots: int = 1,
        long_tail_share: float = 0.1,
        candidate_pool: int = 50,
        similar_content_share: float = 0.5,
        tail_pool: int = 500,
        session_weight: float = 1.0,
        session_half_life: float = 2.0,
        calibration_profiles: int = 1000,
        tuning_profiles: int = 1000,
        random_state: int = 42,
        threads: int = 0,
    ):
        arguments = dict(locals())
        self.params = {k: v for k, v in arguments.items() if k not in ("self", "__class__")}
        for name in ("head_size", "neighbours", "candidate_pool", "tail_pool"):
            if int(self.params[name]) < 1:
                raise ValueError(f"{name} must be >= 1, got {self.params[name]}")
        for name, value in self.params.items():
            if value is None and name in TUNED:
                continue
            if not (isinstance(value, numbers.Real) and math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
        if dropout is not None and dropout >= 1:
            raise ValueError(f"dropout must be below 1, got {dropout}")
        check_fraction(diversity, "diversity")
        check_fraction(long_tail_share, "long_tail_share")
        check_fraction(similar_content_share, "similar_content_share")
        self.diversity = float(diversity)
        self.n_items = 0
        self.partner: Engine | None = None  # the second member on graded input
        self.era: Era | None = None  # release years for the cold-start prior
        self._is_partner = False
        self.tuned = {name: self.params[name] for name in TUNED}

    # ----------------------------------------------------------------------------- fitting
    def fit(
        self, interactions, item_features=None, popularity=None, feature_names=None,
        item_years=None,
    ):  # fmt: skip
        """Learn every component from ``interactions`` (profiles x titles, confidences >= 0)."""
        p = self.params
        x = check_matrix(interactions, "interactions")
        if x.shape[1] == 0:
            raise ValueError("interactions has no titles (zero columns)")
        if x.nnz:  # scale invariance: only the relative size of confidences matters
            x = x.multiply(1.0 / float(np.mean(x.data, dtype=np.float64))).tocsr()
            x.data = x.data.astype(np.float32)
        n_items = x.shape[1]
        features, names = check_features(item_features, feature_names, n_items)
        counts = x.getnnz(axis=0).astype(np.float32)
        pop = counts if popularity is None else check_vector(popularity, "popularity", n_items)
        peak = float(pop.max()) if pop.size else 0.0
        self.popularity_share = (pop / peak if peak > 0 else pop).astype(np.float32)
        self.features, self.feature_names = features, names
        self.n_items = n_items
        self.era = Era.of(item_years, n_items)

        x_fit, hidden_rows, hidden_cols = hold_out_for_calibration(
            x, p["calibration_profiles"], p["random_state"]
        )
        self.head = head_titles(x_fit, int(p["head_size"]))
        self._tuning_state = None
        # Graded input with no power given: two members (recommender.engine.ensemble).
        ensemble = p["confidence_power"] is None and is_graded(x) and not self._is_partner
        self.tuned = tune(
            self, x_fit, popularity_given=popularity is not None,
            power=PRIMARY_POWER if ensemble else None,
        )  # fmt: skip
        search, self._tuning_state = self._tuning_state, None
        self.partner = None
        if ensemble and search is not None:  # too small to tune: one member, FALLBACK's
            side = (item_features, popularity, feature_names, item_years)
            self.partner = partner_fit(self, interactions, *side)
        x_model = self.confidences(x_fit)
        gram = head_gram(x_model, self.head) if search is None else search.gram
        scale = float(np.diag(gram).mean()) if len(self.head) else 1.0
        self.head_weights = closed_form_weights(
            gram, self.tuned["regularization"] * scale, self.tuned["dropout"]
        )
        del gram
        if search is not None and search.neighbour_matrix is not None:
            self.neighbour_matrix = search.neighbour_matrix  # the search's, on the whole matrix
        else:
            self.neighbour_matrix = self._neighbours(x_model)
        del search, x_model
        self._neighbours_by_source = sp.csr_matrix(self.neighbour_matrix.T)
        log_pop = np.log1p(counts)
        self.novelty = (1.0 - log_pop / max(float(log_pop.max()), 1e-9)).astype(np.float32)
        # The long tail: everything outside the long_tail_share most-interacted titles.
        rank = np.empty(n_items, dtype=np.int64)
        rank[np.argsort(-counts, kind="stable")] = np.arange(n_items)
        self.long_tail = rank >= round(p["long_tail_share"] * n_items)
        self.calibration = np.zeros(0, dtype=np.float32)
        if self._is_partner:  # it only scores: the primary keeps the rest
            return self
        self.embedding = diversity_embedding(self.item_vectors())
        if len(hidden_rows):
            rows = x_fit[hidden_rows]
            totals = np.concatenate([self._score_block(rows[b]) for b in row_blocks(*rows.shape)])
            mask_unavailable(totals, rows, None)
            self.calibration = calibration_curve(
                percentile_in_row(totals, hidden_cols[:, None]).ravel()
            )
        return self

    def _neighbours(self, x: sp.csr_matrix) -> sp.csr_matrix:
        """Row ``i`` keeps title ``i``'s nearest neighbours; scoring sums them over a profile."""
        degree = np.asarray(x.getnnz(axis=1), dtype=np.float64)
        user_weights = np.power(np.maximum(degree, 1.0), -float(self.params["user_degree_power"]))
        return top_k_similarity(
            x, int(self.params["neighbours"]), user_weights=user_weights, threads=self.n_threads
        )

    @property
    def n_threads(self) -> int:
        """Worker threads for batch work: the ``threads`` parameter, 0 meaning every core."""
        return int(self.params["threads"]) or (os.cpu_count() or 1)

    # ----------------------------------------------------------------------------- scoring
    @property
    def weights(self) -> dict[str, float]:
        p, tuned = self.params, self.tuned
        return {
            "collaborative": p["collaborative_weight"],
            "neighbours": tuned["neighbour_weight"],
            "content": tuned["content_weight"] if self.features is not None else 0.0,
            "popularity": p["popularity_weight"],
        }

    def row_weights(self, rows: sp.csr_matrix) -> dict[str, float | np.ndarray]:
        """The blend weights for a block of rows: the popularity prior fades with profile size."""
        weights = dict(self.weights)
        cold = float(self.tuned["cold_start_weight"] or 0.0)
        size = np.diff(rows.indptr).astype(np.float32)
        if cold > 0 or not size.all():  # an empty row is ranked by the prior alone
            prior = np.where(size > 0, cold_start_prior(cold, size), 1.0)
            weights["popularity"] = weights["popularity"] + prior
        return weights

    def confidences(self, rows: sp.csr_matrix) -> sp.csr_matrix:
        """``rows`` with every confidence raised to the tuned ``confidence_power`` (0: 0/1)."""
        power = self.tuned.get("confidence_power")
        return confidence_power(rows, 1.0 if power is None else float(power))

    def _components(
        self, rows: sp.csr_matrix, names=COMPONENTS, transformed: bool = False
    ) -> dict[str, np.ndarray]:
        if not transformed:
            rows = self.confidences(rows)
        n = rows.shape[0]
        parts = {}
        if "collaborative" in names:
            collaborative = np.zeros((n, self.n_items), dtype=np.float32)
            if len(self.head):
                collaborative[:, self.head] = rows[:, self.head] @ self.head_weights
            parts["collaborative"] = collaborative
        if "neighbours" in names:
            parts["neighbours"] = (rows @ self._neighbours_by_source).toarray()
        if "popularity" in names:
            parts["popularity"] = popularity_component(self.popularity_share, self.era, rows)
        if "content" in names and self.features is not None:
            taste = normalize_rows(rows @ self.features).toarray()
            # sparse @ dense is much faster than sparse @ sparse for these dense-ish tastes
            parts["content"] = np.asarray(self.features @ taste.T).T
        return parts

    def _hybrid(self, rows: sp.csr_matrix, components: dict[str, np.ndarray] | None = None):
        weights = self.row_weights(rows)
        if components is None:
            active = [n for n in COMPONENTS if np.any(np.asarray(weights.get(n, 0.0)) != 0)]
            components = self._components(rows, active or ["popularity"])
        return hybrid_scores(components, weights)

    def _score_block(self, user_items):
        total = self._hybrid(user_items)[0]
        if self.partner is None:
            return total
        return ensemble_scores(total, self.partner._hybrid(user_items)[0])

    def item_vectors(self):
        """L2-normalised vectors used for diversity: content if known, else neighbour rows."""
        if self.features is not None and self.features.shape[1]:
            return self.features
        return normalize_rows(self.neighbour_matrix + sp.identity(self.n_items, format="csr"))

    def item_similarity(self, a_ids: np.ndarray, b_ids: np.ndarray) -> np.ndarray:
        """Hybrid title-title similarity: cosine neighbours (either direction) and content."""
        return hybrid_similarity(self, a_ids, b_ids)

    def recommend(
        self,
        user_items,
        k=10,
        exclude_seen=True,
        filter_items=None,
        session_items=None,
        diversity=None,
        exclude_items=None,
        return_confidence=False,
    ):
        """Top-``k`` ``(ids, scores)`` per row; padded with ``-1``/``-inf`` when titles run out.

        ``diversity=None`` uses the model's default, ``0`` ranks purely by accuracy.
        ``session_items`` holds, per row, the titles of the current visit (oldest first).
        ``exclude_items`` (sparse, rows x titles) leaves out each row's own titles, such as
        thumbs down; ``filter_items`` leaves titles out of every row. ``return_confidence``
        adds a third array: each pick's ``confidence_for``, read from the same scores.
        """
        user_items, k, filters = self._check_recommend_args(user_items, k, filter_items)
        excluded = self._check_exclusions(exclude_items, user_items.shape[0])
        diversity = self.diversity if diversity is None else check_fraction(diversity, "diversity")
        n = user_items.shape[0]
        sessions = check_sessions(session_items, n, self.n_items)
        reranked = diversity > 0 or sessions is not None
        pool = max(k, int(self.params["candidate_pool"])) if reranked else k
        ids = np.full((n, k), PAD_ID, dtype=np.int64)
        scores = np.full((n, k), PAD_SCORE, dtype=np.float32)
        confidence = np.zeros((n, k), dtype=np.float32) if return_confidence else None
        vectors = self.embedding if diversity > 0 else None

        def one_block(block: slice):
            ids[block], scores[block], sure = rank_block(
                self, user_items[block], k, pool=pool, exclude_seen=exclude_seen,
                filters=filters, excluded=None if excluded is None else excluded[block],
                sessions=None if sessions is None else sessions[block], diversity=diversity,
                vectors=vectors, confidence=return_confidence,
            )  # fmt: skip
            if return_confidence:
                confidence[block] = sure

        blocks = list(row_blocks(n, self.n_items))
        if self.n_threads > 1 and len(blocks) > 1:
            with ThreadPoolExecutor(self.n_threads) as workers:
                list(workers.map(one_block, blocks))
        else:
            for block in blocks:
                one_block(block)
        return (ids, scores, confidence) if return_confidence else (ids, scores)

    def similar_items(self, item_ids, k=10, mode="hybrid"):
        """Titles most like each of ``item_ids``; mode is hybrid, collaborative or content."""
        return similar_items(self, item_ids, k, mode)

    # ----------------------------------------------------------------- confidence and why
    def confidence_for(self, user_items, item_ids, exclude_seen=True, filter_items=None):
        """Calibrated 0..1 confidence ("NN% match") for ``item_ids[r]`` of each row ``r``."""
        return confidence_for(self, user_items, item_ids, exclude_seen, filter_items)

    def calibrate(self, percentiles: np.ndarray) -> np.ndarray:
        """Map score percentiles to the share of held-out liked titles ranked no higher."""
        return calibrate(self.calibration, percentiles)

    def explain(self, user_row, item_id, top=3):
        """Why ``item_id`` scores for ``user_row``; see ``recommender.engine.explain.explain``."""
        return explain(self, user_row, item_id, top=top)

    def explain_items(self, user_row, item_ids, top=3, confidence=True):
        """``explain`` for several titles of one row, scoring the row once (``confidence``
        False: reasons only, each confidence None)."""
        return explain_items(self, user_row, item_ids, top=top, confidence=confidence)

    # ----------------------------------------------------------------------- persistence
    def save(self, path) -> None:
        """Write the fitted model to ``path`` (.npz, no pickled objects)."""
        self._check_fitted()
        save_engine(self, path)

    @classmethod
    def load(cls, path) -> Engine:
        """Read a model written by :meth:`save`."""
        return load_engine(cls, path)
