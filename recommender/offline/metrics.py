"""Top-k ranking metrics for the offline evaluation (pure numpy/scipy)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def ranking_metrics(ids: np.ndarray, relevant: sp.csr_matrix, k: int = 10) -> dict[str, float]:
    """Mean nDCG@k, Precision@k, Recall@k and MAP@k over rows with at least one relevant title.

    ``ids`` are the recommended columns per row (``-1`` = padding, never a hit); ``relevant``
    marks every held-out title of a row. MAP@k is the sum of precision at each hit divided by
    the number of relevant titles; Recall@k divides hits by the number of relevant titles.
    """
    ids = np.asarray(ids)[:, :k]
    relevant = sp.csr_matrix(relevant)
    n_relevant = np.diff(relevant.indptr)
    rows = np.flatnonzero(n_relevant)
    hits = np.zeros((len(rows), ids.shape[1]), dtype=bool)
    for position, row in enumerate(rows):
        wanted = relevant.indices[relevant.indptr[row] : relevant.indptr[row + 1]]
        hits[position] = np.isin(ids[row], wanted) & (ids[row] >= 0)
    n_rel = n_relevant[rows].astype(np.float64)
    discounts = 1.0 / np.log2(np.arange(2, ids.shape[1] + 2))
    dcg = (hits * discounts).sum(axis=1)
    ideal_len = np.minimum(n_rel, ids.shape[1]).astype(int)
    ideal = np.cumsum(discounts)[ideal_len - 1]
    cumulative_hits = np.cumsum(hits, axis=1)
    precision_at = cumulative_hits / np.arange(1, ids.shape[1] + 1)
    return {
        "ndcg": float(np.mean(dcg / ideal)),
        "precision": float(np.mean(hits.sum(axis=1) / k)),
        "recall": float(np.mean(hits.sum(axis=1) / n_rel)),
        "map": float(np.mean((precision_at * hits).sum(axis=1) / n_rel)),
    }


def catalogue_coverage(ids: np.ndarray, n_items: int) -> float:
    """Share of the catalogue that appears in at least one list."""
    shown = np.unique(ids[ids >= 0])
    return float(len(shown) / n_items) if n_items else 0.0


def intra_list_diversity(ids: np.ndarray, genres: sp.csr_matrix) -> float:
    """Mean pairwise genre distance ``1 - Jaccard`` within each list, averaged over lists.

    Two titles that both have no genre count as identical (distance 0).
    """
    genres = sp.csr_matrix(genres, dtype=np.float32)
    genres.data[:] = 1.0
    sizes = np.asarray(genres.sum(axis=1)).ravel()
    dense = genres.toarray()
    values = []
    for row in np.asarray(ids):
        items = row[row >= 0]
        if len(items) < 2:
            continue
        g = dense[items]
        inter = g @ g.T
        union = sizes[items][:, None] + sizes[items][None, :] - inter
        jaccard = np.divide(inter, union, out=np.ones_like(inter), where=union > 0)
        upper = np.triu_indices(len(items), 1)
        values.append(float(np.mean(1.0 - jaccard[upper])))
    return float(np.mean(values)) if values else 0.0
