"""Research baselines that the engine is measured against, on the same contract.

* :class:`Popularity` - most interacted-with titles first.
* :class:`Trending` - popularity of the given recent-activity vector (e.g. decayed counts).
* :class:`ItemKNN` - item-item cosine (with shrinkage) over the interaction matrix, top-k
  neighbours per title.
* :class:`RP3beta` - Paudel et al. (2017): three-step random walk item-item weights raised to
  ``alpha`` and divided by ``popularity ** beta``, top-k per title.
* :class:`ContentOnly` - cosine between the profile's content taste vector and each title.
* :class:`EASE` - Steck (2019), "Embarrassingly Shallow Autoencoders": closed-form dense item
  weights ``B = I - P / diag(P)`` with ``P = (X'X + lambda I)^-1``, ``diag(B) = 0``.
* :class:`ALS` - implicit-feedback matrix factorisation from the ``implicit`` library.

All take ``fit(interactions, item_features=None, popularity=None)`` and answer
``recommend(user_items, k, exclude_seen, filter_items)`` from the profile rows alone.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from recommender.engine.base import (
    Recommender,
    check_features,
    check_item_ids,
    check_k,
    check_matrix,
    check_vector,
    normalize_rows,
    row_blocks,
    top_k,
)
from recommender.engine.fit import closed_form_weights
from recommender.engine.similarity import keep_top_per_row, top_k_similarity


class _Baseline(Recommender):
    def _check_fit_args(self, interactions, popularity):
        interactions = check_matrix(interactions, "interactions")
        if interactions.shape[1] == 0:
            raise ValueError("interactions has no titles (zero columns)")
        self.n_items = interactions.shape[1]
        if popularity is None:
            popularity = np.asarray((interactions > 0).sum(axis=0)).ravel()
        return interactions, check_vector(popularity, "popularity", self.n_items)

    def _item_vectors(self) -> np.ndarray | sp.csr_matrix:  # pragma: no cover
        raise NotImplementedError

    def similar_items(self, item_ids, k=10, **_ignored):
        """Titles closest to each of ``item_ids`` (the title itself excluded)."""
        self._check_fitted()
        ids = check_item_ids(item_ids, self.n_items)
        k = check_k(k)
        vectors = self._item_vectors()
        sims = vectors[ids] @ vectors.T
        sims = sims.toarray() if sp.issparse(sims) else np.asarray(sims)
        sims = sims.astype(np.float32)
        sims[np.arange(len(ids)), ids] = -np.inf
        return top_k(sims, k)


class Popularity(_Baseline):
    """Same list for everyone: the most popular titles not yet seen."""

    def fit(self, interactions, item_features=None, popularity=None, feature_names=None):
        _, self.popularity = self._check_fit_args(interactions, popularity)
        return self

    def _score_block(self, user_items):
        return np.broadcast_to(self.popularity, (user_items.shape[0], self.n_items)).copy()

    def similar_items(self, item_ids, k=10, **_ignored):
        self._check_fitted()
        ids = check_item_ids(item_ids, self.n_items)
        k = check_k(k)
        sims = np.broadcast_to(self.popularity, (len(ids), self.n_items)).copy()
        sims[np.arange(len(ids)), ids] = -np.inf
        return top_k(sims, k)


class Trending(Popularity):
    """Popularity of recent activity: pass ``popularity`` = e.g. time-decayed recent counts.

    The engine contract has no timestamps, so what "recent" means is the caller's: the site
    uses its trending scores, the offline evaluation decayed counts with a 30-day half-life.
    """


class ItemKNN(_Baseline):
    """Cosine item-kNN: each title keeps its ``neighbours`` most similar titles.

    ``shrink`` is added to the cosine's denominator so pairs seen together rarely count less.
    """

    def __init__(self, neighbours: int = 100, shrink: float = 0.0):
        self.neighbours = neighbours
        self.shrink = shrink

    def fit(self, interactions, item_features=None, popularity=None, feature_names=None):
        interactions, _ = self._check_fit_args(interactions, popularity)
        self.similarity = sp.csr_matrix(
            top_k_similarity(interactions, self.neighbours, shrink=self.shrink).T
        )
        return self

    def _score_block(self, user_items):
        return (user_items @ self.similarity).toarray()

    def _item_vectors(self):
        return self.similarity


class EASE(_Baseline):
    """Closed-form linear autoencoder; dense ``n_items x n_items`` weights, so small catalogues."""

    def __init__(self, regularization: float = 500.0):
        self.regularization = regularization

    def fit(self, interactions, item_features=None, popularity=None, feature_names=None):
        interactions, _ = self._check_fit_args(interactions, popularity)
        # Titles nobody interacted with get all-zero weights; leave them out of the inverse.
        self.active = np.flatnonzero(interactions.getnnz(axis=0))
        x = interactions[:, self.active]
        self.weights = closed_form_weights((x.T @ x).toarray(), self.regularization)
        return self

    def _score_block(self, user_items):
        scores = np.zeros((user_items.shape[0], self.n_items), dtype=np.float32)
        scores[:, self.active] = user_items[:, self.active] @ self.weights
        return scores

    def _item_vectors(self):
        vectors = np.zeros((self.n_items, len(self.active)), dtype=np.float32)
        vectors[self.active] = self.weights.T
        return normalize_rows(vectors)


class ALS(_Baseline):
    """Implicit-feedback ALS (Hu, Koren, Volinsky 2008) via ``implicit``; users refit per call."""

    def __init__(
        self,
        factors: int = 128,
        regularization: float = 1.0,
        alpha: float = 2.0,
        iterations: int = 15,
        random_state: int = 42,
    ):
        self.factors = factors
        self.regularization = regularization
        self.alpha = alpha
        self.iterations = iterations
        self.random_state = random_state

    def fit(self, interactions, item_features=None, popularity=None, feature_names=None):
        from implicit.cpu.als import AlternatingLeastSquares
        from threadpoolctl import threadpool_limits

        interactions, _ = self._check_fit_args(interactions, popularity)
        with threadpool_limits(1, "blas"):  # implicit runs its own threads
            self.model = AlternatingLeastSquares(
                factors=self.factors,
                regularization=self.regularization,
                alpha=self.alpha,
                iterations=self.iterations,
                random_state=self.random_state,
            )
            self.model.fit(interactions, show_progress=False)
        return self

    def _score_block(self, user_items):
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1, "blas"):
            users = self.model.recalculate_user(np.arange(user_items.shape[0]), user_items)
        return (users @ self.model.item_factors.T).astype(np.float32)

    def _item_vectors(self):
        return normalize_rows(self.model.item_factors)


class RP3beta(_Baseline):
    """Graph-based item-item weights (Paudel et al. 2017; Dacrema et al. 2019's strong baseline).

    ``W_ij = (P_ji-walk)^alpha / pop_j^beta`` where the walk goes title -> profile -> title on the
    row-normalised binary matrix; each title keeps its ``neighbours`` largest weights.
    """

    def __init__(self, alpha: float = 1.0, beta: float = 0.5, neighbours: int = 100):
        self.alpha, self.beta, self.neighbours = alpha, beta, neighbours

    def fit(self, interactions, item_features=None, popularity=None, feature_names=None):
        interactions, _ = self._check_fit_args(interactions, popularity)
        x = interactions.copy()
        x.data[:] = 1.0
        user_to_item = normalize_l1(x)
        item_to_user = normalize_l1(sp.csr_matrix(x.T))
        degree = np.asarray(x.sum(axis=0)).ravel()
        penalty = np.power(degree, -self.beta, where=degree > 0, out=np.zeros_like(degree))
        pieces = []
        for block in row_blocks(self.n_items, self.n_items):
            walk = (item_to_user[block] @ user_to_item).toarray()
            walk = np.power(walk, self.alpha) * penalty[None, :]
            walk[np.arange(walk.shape[0]), np.arange(block.start, block.stop)] = 0.0
            pieces.append(keep_top_per_row(walk.astype(np.float32), self.neighbours))
        self.similarity = sp.vstack(pieces, format="csr")
        return self

    def _score_block(self, user_items):
        return (user_items @ self.similarity).toarray()

    def _item_vectors(self):
        return normalize_rows(self.similarity)


class ContentOnly(_Baseline):
    """Content-based: cosine of the profile's taste vector (sum of its titles' features)."""

    def fit(self, interactions, item_features=None, popularity=None, feature_names=None):
        interactions, _ = self._check_fit_args(interactions, popularity)
        if item_features is None:
            raise ValueError("ContentOnly needs item_features")
        self.features, _ = check_features(item_features, feature_names, self.n_items)
        return self

    def _score_block(self, user_items):
        taste = normalize_rows(user_items @ self.features).toarray()
        return np.asarray(self.features @ taste.T).T.astype(np.float32)

    def _item_vectors(self):
        return self.features


def normalize_l1(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Rows scaled to sum to 1 (empty rows stay empty)."""
    sums = np.asarray(matrix.sum(axis=1)).ravel()
    scale = np.divide(1.0, sums, out=np.zeros_like(sums), where=sums > 0)
    return sp.csr_matrix(sp.diags(scale.astype(np.float32)) @ matrix)
