"""Research baselines that the engine is measured against, on the same contract.

* :class:`Popularity` - most interacted-with titles first.
* :class:`ItemKNN` - item-item cosine over the interaction matrix, top-100 neighbours per title.
* :class:`EASE` - Steck (2019), "Embarrassingly Shallow Autoencoders": closed-form dense item
  weights ``B = I - P / diag(P)`` with ``P = (X'X + lambda I)^-1``, ``diag(B) = 0``.
* :class:`ALS` - implicit-feedback matrix factorisation from the ``implicit`` library.

All take ``fit(interactions, item_features=None, popularity=None)`` and answer
``recommend(user_items, k, exclude_seen, filter_items)`` from the profile rows alone.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from recommender.engine.base import (
    Recommender,
    check_item_ids,
    check_k,
    check_matrix,
    check_vector,
    top_k,
)
from recommender.engine.similarity import top_k_cosine


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

    def fit(self, interactions, item_features=None, popularity=None):
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


class ItemKNN(_Baseline):
    """Plain cosine item-kNN: each title keeps its ``neighbours`` most similar titles."""

    def __init__(self, neighbours: int = 100):
        self.neighbours = neighbours

    def fit(self, interactions, item_features=None, popularity=None):
        interactions, _ = self._check_fit_args(interactions, popularity)
        self.similarity = top_k_cosine(interactions, self.neighbours)
        return self

    def _score_block(self, user_items):
        return (user_items @ self.similarity).toarray()

    def _item_vectors(self):
        return self.similarity


class EASE(_Baseline):
    """Closed-form linear autoencoder; dense ``n_items x n_items`` weights, so small catalogues."""

    def __init__(self, regularization: float = 500.0):
        self.regularization = regularization

    def fit(self, interactions, item_features=None, popularity=None):
        interactions, _ = self._check_fit_args(interactions, popularity)
        # Titles nobody interacted with get all-zero weights; leave them out of the inverse.
        self.active = np.flatnonzero(interactions.getnnz(axis=0))
        x = interactions[:, self.active]
        gram = (x.T @ x).toarray().astype(np.float64)
        gram[np.diag_indices_from(gram)] += self.regularization
        factor, info = scipy.linalg.lapack.dpotrf(gram, lower=0, overwrite_a=1)
        if info:
            raise ValueError("EASE: the regularised Gram matrix is not positive definite")
        inverse, info = scipy.linalg.lapack.dpotri(factor, lower=0, overwrite_c=1)
        inverse = np.triu(inverse) + np.triu(inverse, 1).T
        weights = -inverse / np.diag(inverse)
        weights[np.diag_indices_from(weights)] = 0.0
        self.weights = weights.astype(np.float32)
        return self

    def _score_block(self, user_items):
        scores = np.zeros((user_items.shape[0], self.n_items), dtype=np.float32)
        scores[:, self.active] = user_items[:, self.active] @ self.weights
        return scores

    def _item_vectors(self):
        vectors = np.zeros((self.n_items, len(self.active)), dtype=np.float32)
        vectors[self.active] = self.weights.T
        return normalize(vectors)


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

    def fit(self, interactions, item_features=None, popularity=None):
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
        return normalize(self.model.item_factors)
