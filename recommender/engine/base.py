"""The shared recommender contract: input checks, batched top-k selection, save/load helpers.

Every model (the hybrid :class:`recommender.engine.Engine` and the baselines) follows the
``implicit``-style contract: ``fit(csr)`` then a batched ``recommend(user_items, k)`` that
returns ``(ids, scores)`` arrays of shape ``[n_profiles, k]``. Ids are matrix columns; the
mapping to database ids lives outside. When fewer than ``k`` titles may be shown (seen titles
and ``filter_items`` removed), the tail of a row is padded with id ``-1`` and score ``-inf``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import scipy.sparse as sp

PAD_ID = -1
PAD_SCORE = -np.inf

# Dense score blocks are bounded to about this many cells (float32: ~64 MB).
BLOCK_CELLS = 16_000_000


def row_owners(matrix: sp.csr_matrix) -> np.ndarray:
    """The row of each stored entry of a CSR ``matrix``, in storage order."""
    return np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))


def normalize_rows(matrix):
    """Rows scaled to unit L2 norm (all-zero rows stay zero); sparse in, sparse out."""
    if sp.issparse(matrix):
        # Scaling the stored values in place of a diagonal product: a profile's taste row is
        # normalised on every scoring, where the product cost five times the row itself.
        matrix = sp.csr_matrix(matrix, dtype=np.float32, copy=True)
        matrix.sum_duplicates()
        owner = row_owners(matrix)
        squares = np.square(matrix.data, dtype=np.float64)
        norms = np.sqrt(np.bincount(owner, weights=squares, minlength=matrix.shape[0]))
        scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
        matrix.data *= scale[owner].astype(np.float32)
        matrix.eliminate_zeros()
        return matrix
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def check_matrix(matrix, name: str, n_cols: int | None = None) -> sp.csr_matrix:
    """Return ``matrix`` as float32 CSR; ``ValueError`` on wrong type, shape, NaN or negatives."""
    if not sp.issparse(matrix):
        raise ValueError(f"{name} must be a scipy.sparse matrix, got {type(matrix).__name__}")
    if matrix.ndim != 2:
        raise ValueError(f"{name} must be two-dimensional, got shape {matrix.shape}")
    if n_cols is not None and matrix.shape[1] != n_cols:
        raise ValueError(
            f"{name} has {matrix.shape[1]} columns but the model was fitted on {n_cols} titles"
        )
    matrix = sp.csr_matrix(matrix, dtype=np.float32)
    if matrix.nnz:
        if not np.all(np.isfinite(matrix.data)):
            raise ValueError(f"{name} contains NaN or infinite weights")
        if matrix.data.min() < 0:
            raise ValueError(f"{name} contains negative weights; confidences must be >= 0")
    if not matrix.has_sorted_indices:
        matrix.sort_indices()
    return matrix


def check_sessions(session_items, n_rows: int, n_items: int) -> np.ndarray | None:
    """Per row, the checked title ids of its current visit (oldest first), or ``None``."""
    if session_items is None:
        return None
    if len(session_items) != n_rows:
        raise ValueError(f"session_items has {len(session_items)} entries for {n_rows} profiles")
    sessions = np.empty(n_rows, dtype=object)
    for row, recent in enumerate(session_items):
        sessions[row] = check_item_ids(recent, n_items, "session_items")
    return sessions


def check_vector(values, name: str, length: int) -> np.ndarray:
    """Return a float32 vector of ``length`` finite, non-negative values or raise ``ValueError``."""
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1 or len(array) != length:
        raise ValueError(f"{name} must be a vector of length {length}, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    if np.any(array < 0):
        raise ValueError(f"{name} contains negative values")
    return array.astype(np.float32)


def check_fraction(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise ValueError(f"{name} must be a number in 0..1, got {value!r}")
    if not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise ValueError(f"{name} must be a number in 0..1, got {value!r}")
    return float(value)


def check_k(k) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    return int(k)


def check_item_ids(item_ids, n_items: int, name: str = "item_ids") -> np.ndarray:
    """Column indices as int64; ``ValueError`` when any is outside ``0..n_items-1``."""
    ids = np.asarray(item_ids)
    if ids.size == 0:
        return np.zeros(0, dtype=np.int64)
    if not np.issubdtype(ids.dtype, np.integer):
        raise ValueError(f"{name} must be integer column indices, got dtype {ids.dtype}")
    ids = ids.astype(np.int64).ravel()
    if ids.min() < 0 or ids.max() >= n_items:
        raise ValueError(f"{name} must lie in 0..{n_items - 1}, got {ids.min()}..{ids.max()}")
    return ids


def row_blocks(n_rows: int, n_cols: int, cells: int = BLOCK_CELLS) -> Iterator[slice]:
    """Consecutive row slices whose dense ``rows x n_cols`` block stays near ``cells``."""
    step = max(1, cells // max(n_cols, 1))
    for start in range(0, n_rows, step):
        yield slice(start, min(start + step, n_rows))


def mask_unavailable(
    scores: np.ndarray,
    seen: sp.csr_matrix | None,
    filter_items: np.ndarray | None,
    excluded: sp.csr_matrix | None = None,
) -> None:
    """Set seen titles (entries of ``seen``), filtered titles (all rows) and excluded titles
    (entries of ``excluded``, row by row) to ``-inf`` in place."""
    for per_row in (seen, excluded):
        if per_row is not None and per_row.nnz:
            scores[row_owners(per_row), per_row.indices] = -np.inf
    if filter_items is not None and len(filter_items):
        scores[:, filter_items] = -np.inf


def top_k(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Best ``k`` columns per row, best first; ``-inf`` cells come back as ``PAD_ID``."""
    n_rows, n_cols = scores.shape
    take = min(k, n_cols)
    if take < n_cols:
        part = np.argpartition(-scores, take - 1, axis=1)[:, :take]
    else:
        part = np.broadcast_to(np.arange(n_cols), (n_rows, n_cols)).copy()
    part_scores = np.take_along_axis(scores, part, axis=1)
    order = np.argsort(-part_scores, axis=1, kind="stable")
    ids = np.take_along_axis(part, order, axis=1).astype(np.int64)
    best = np.take_along_axis(part_scores, order, axis=1).astype(np.float32)
    ids[~np.isfinite(best)] = PAD_ID
    best[ids == PAD_ID] = PAD_SCORE
    if take < k:
        ids = np.hstack([ids, np.full((n_rows, k - take), PAD_ID, dtype=np.int64)])
        best = np.hstack([best, np.full((n_rows, k - take), PAD_SCORE, dtype=np.float32)])
    return ids, best


def sparse_to_arrays(prefix: str, matrix: sp.csr_matrix) -> dict[str, np.ndarray]:
    """A CSR matrix as plain arrays for ``np.savez`` (no pickling)."""
    return {
        f"{prefix}_data": matrix.data,
        f"{prefix}_indices": matrix.indices,
        f"{prefix}_indptr": matrix.indptr,
        f"{prefix}_shape": np.asarray(matrix.shape, dtype=np.int64),
    }


def sparse_from_arrays(prefix: str, arrays) -> sp.csr_matrix:
    shape = tuple(int(v) for v in arrays[f"{prefix}_shape"])
    return sp.csr_matrix(
        (arrays[f"{prefix}_data"], arrays[f"{prefix}_indices"], arrays[f"{prefix}_indptr"]),
        shape=shape,
    )


class Recommender:
    """Base of every model: subclasses implement ``fit`` and ``_score_block``.

    ``_score_block(user_items)`` returns dense float32 scores ``[rows, n_items]`` for a block of
    profiles given only their rows, so profiles unseen at fit time are scored the same way.
    """

    n_items: int = 0

    def _check_fitted(self) -> None:
        if not self.n_items:
            raise ValueError(f"{type(self).__name__} is not fitted; call fit() first")

    def _score_block(self, user_items: sp.csr_matrix) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def _check_exclusions(self, exclude_items, n_rows: int) -> sp.csr_matrix | None:
        if exclude_items is None:
            return None
        if not sp.issparse(exclude_items) or exclude_items.shape != (n_rows, self.n_items):
            raise ValueError(
                f"exclude_items must be a sparse matrix of shape ({n_rows}, {self.n_items})"
            )
        return sp.csr_matrix(exclude_items)

    def _check_recommend_args(self, user_items, k, filter_items):
        self._check_fitted()
        user_items = check_matrix(user_items, "user_items", self.n_items)
        k = check_k(k)
        filters = None
        if filter_items is not None:
            filters = check_item_ids(filter_items, self.n_items, "filter_items")
        return user_items, k, filters

    def recommend(self, user_items, k=10, exclude_seen=True, filter_items=None, **_ignored):
        """Top-``k`` ``(ids, scores)`` per row of ``user_items``; see the module docstring."""
        user_items, k, filters = self._check_recommend_args(user_items, k, filter_items)
        n = user_items.shape[0]
        ids = np.full((n, k), PAD_ID, dtype=np.int64)
        scores = np.full((n, k), PAD_SCORE, dtype=np.float32)
        for block in row_blocks(n, self.n_items):
            rows = user_items[block]
            dense = self._score_block(rows)
            mask_unavailable(dense, rows if exclude_seen else None, filters)
            ids[block], scores[block] = top_k(dense, k)
        return ids, scores


def check_features(item_features, feature_names, n_items: int):
    """L2-normalised item features and their names (generated when not given)."""
    if item_features is None:
        if feature_names is not None:
            raise ValueError("feature_names given without item_features")
        return None, np.zeros(0, dtype=str)
    features = check_matrix(item_features, "item_features")
    if features.shape[0] != n_items:
        raise ValueError(
            f"item_features has {features.shape[0]} rows but interactions has {n_items} titles"
        )
    features = normalize_rows(features)
    if feature_names is None:
        names = np.asarray([f"feature:{j}" for j in range(features.shape[1])], dtype=str)
    else:
        names = np.asarray(feature_names, dtype=str)
        if names.shape != (features.shape[1],):
            raise ValueError(
                f"feature_names has {names.size} names for {features.shape[1]} features"
            )
    return features, names
