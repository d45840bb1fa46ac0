"""Fitting steps of the engine that are worth reading on their own."""

from __future__ import annotations

import numpy as np
import scipy.linalg
import scipy.sparse as sp


def closed_form_head(
    interactions: sp.csr_matrix, head_size: int, regularization: float
) -> tuple[np.ndarray, np.ndarray]:
    """Closed-form item-item weights over the ``head_size`` most-interacted titles.

    Ridge-regress every head title on all the other head titles (Steck 2019):
    ``P = (X'X + lambda I)^-1``, ``W = -P / diag(P)``, ``diag(W) = 0``. The cost is
    ``head_size**3`` once and ``head_size**2`` floats of memory, independent of the catalogue
    size, which is why only the head gets it; the sparse neighbours cover the rest.
    Returns the head column indices (ascending) and the float32 weights ``[head, head]``.
    """
    counts = interactions.getnnz(axis=0)
    active = np.flatnonzero(counts)
    if not len(active):
        return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
    busiest = active[np.argsort(-counts[active], kind="stable")[:head_size]]
    head = np.sort(busiest).astype(np.int64)
    x = interactions[:, head]
    gram = (x.T @ x).toarray().astype(np.float64)
    gram[np.diag_indices_from(gram)] += regularization
    factor, info = scipy.linalg.lapack.dpotrf(gram, lower=0, overwrite_a=1)
    if info:
        raise ValueError("regularization too small: the head Gram matrix is not invertible")
    inverse, info = scipy.linalg.lapack.dpotri(factor, lower=0, overwrite_c=1)
    del factor
    inverse = np.triu(inverse) + np.triu(inverse, 1).T
    diagonal = np.diag(inverse).copy()
    inverse /= -diagonal[None, :]
    inverse[np.diag_indices_from(inverse)] = 0.0
    return head, inverse.astype(np.float32)


def hold_out_for_calibration(
    interactions: sp.csr_matrix, n_profiles: int, seed: int, max_share: float = 0.01
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """Hide one random title from up to ``n_profiles`` profiles (at most 1% of all entries).

    The model is fitted without them; where they land among each profile's candidates is what
    calibrates the confidence, so "92% match" is measured on titles the model never saw.
    Only profiles with at least three titles give one up.
    """
    degree = np.diff(interactions.indptr)
    eligible = np.flatnonzero(degree >= 3)
    budget = min(int(n_profiles), len(eligible), int(max_share * interactions.nnz))
    if budget < 1:
        empty = np.zeros(0, dtype=np.int64)
        return interactions, empty, empty
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(eligible, size=budget, replace=False))
    positions = interactions.indptr[rows] + rng.integers(0, degree[rows])
    cols = interactions.indices[positions].astype(np.int64)
    kept = np.ones(interactions.nnz, dtype=bool)
    kept[positions] = False
    new_degree = degree.copy()
    new_degree[rows] -= 1
    indptr = np.concatenate([[0], np.cumsum(new_degree)]).astype(interactions.indptr.dtype)
    fitted = sp.csr_matrix(
        (interactions.data[kept], interactions.indices[kept], indptr), shape=interactions.shape
    )
    return fitted, rows.astype(np.int64), cols
