"""Sparse top-k item-item similarity, computed in row blocks so ``n x n`` never exists densely.

The collaborative similarity is the cosine family generalised by three knobs:

* ``alpha`` - asymmetric cosine (Aiolli 2013): ``c_ij / (n_i^alpha * n_j^(1 - alpha))``;
  ``alpha = 0.5`` is the ordinary cosine;
* ``shrink`` - added to the denominator so pairs seen together only a few times count less;
* ``user_weights`` - per-profile weights on the co-occurrence (``c_ij = sum_u w_u x_ui x_uj``);
  down-weighting heavy profiles stops them from linking everything to everything.

Row ``i`` of the result holds the ``neighbours`` largest similarities of title ``i``.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp

from recommender.engine.base import PAD_ID, PAD_SCORE, check_item_ids, check_k, row_blocks, top_k


def keep_top_per_row(dense: np.ndarray, neighbours: int) -> sp.csr_matrix:
    """Keep each row's ``neighbours`` largest positive entries of a dense block as CSR."""
    n_rows, n_cols = dense.shape
    take = min(neighbours, n_cols)
    if take < n_cols:
        cols = np.argpartition(-dense, take - 1, axis=1)[:, :take]
    else:
        cols = np.broadcast_to(np.arange(n_cols), (n_rows, n_cols))
    values = np.take_along_axis(dense, cols, axis=1)
    keep = values > 0
    rows = np.broadcast_to(np.arange(n_rows)[:, None], cols.shape)
    block = sp.csr_matrix(
        (values[keep].astype(np.float32), (rows[keep], cols[keep])), shape=(n_rows, n_cols)
    )
    block.sort_indices()
    return block


def top_k_similarity(
    interactions: sp.csr_matrix,
    neighbours: int,
    alpha: float = 0.5,
    shrink: float = 0.0,
    user_weights: np.ndarray | None = None,
    cells: int = 16_000_000,
    threads: int = 1,
) -> sp.csr_matrix:
    """Top-``neighbours`` asymmetric-cosine similarity between the columns of ``interactions``.

    Blocks of rows are independent; with ``threads > 1`` they run in a thread pool (scipy's
    sparse products and numpy's partitions release the GIL).
    """
    x = sp.csr_matrix(interactions, dtype=np.float32)
    n_items = x.shape[1]
    weighted = x if user_weights is None else sp.diags(user_weights.astype(np.float32)) @ x
    # Weighted squared norm of each title: sum_u w_u x_ui^2.
    norms = np.asarray(weighted.multiply(x).sum(axis=0)).ravel().astype(np.float64)
    left = np.power(norms, alpha, where=norms > 0, out=np.zeros_like(norms)).astype(np.float32)
    right = np.power(norms, 1.0 - alpha, where=norms > 0, out=np.zeros_like(norms))
    right = right.astype(np.float32)
    items_users = sp.csr_matrix(weighted.T)

    def similarity_block(block: slice) -> sp.csr_matrix:
        co = (items_users[block] @ x).toarray()
        denominator = np.outer(left[block], right)
        denominator += shrink
        np.divide(co, denominator, out=co, where=denominator > 0)
        del denominator
        co[np.arange(co.shape[0]), np.arange(block.start, block.stop)] = 0.0
        return keep_top_per_row(co, neighbours)

    blocks = list(row_blocks(n_items, n_items, cells))
    if not blocks:
        return sp.csr_matrix((0, n_items), dtype=np.float32)
    if threads > 1 and len(blocks) > 1:
        with ThreadPoolExecutor(threads) as pool:
            pieces = list(pool.map(similarity_block, blocks))
    else:
        pieces = [similarity_block(block) for block in blocks]
    return sp.vstack(pieces, format="csr")


def top_k_cosine(interactions: sp.csr_matrix, neighbours: int) -> sp.csr_matrix:
    """Plain cosine similarity with ``neighbours`` kept per title (the item-kNN baseline)."""
    return top_k_similarity(interactions, neighbours, alpha=0.5, shrink=0.0)


def hybrid_similarity(model, a_ids: np.ndarray, b_ids: np.ndarray | None = None) -> np.ndarray:
    """``model``'s similarity of titles ``a_ids`` to ``b_ids`` (every title when None): cosine
    neighbours (either direction) and content, weighted ``similar_content_share``.

    Both directions are read as rows of ``a_ids`` (``N[b, a]`` is row ``a`` of ``N``'s
    transpose), so a few titles against the whole catalogue never copy the neighbour matrix."""
    a_ids = np.asarray(a_ids)
    forward = model.neighbour_matrix[a_ids]
    backward = model._neighbours_by_source[a_ids]
    others = model.features
    if b_ids is not None:
        b_ids = np.asarray(b_ids)
        forward, backward = forward[:, b_ids], backward[:, b_ids]
        others = None if model.features is None else model.features[b_ids]
    collaborative = np.maximum(forward.toarray(), backward.toarray())
    if model.features is None:
        return collaborative
    content = (model.features[a_ids] @ others.T).toarray()
    share = model.params["similar_content_share"]
    return (1 - share) * collaborative + share * content


def similar_items(model, item_ids, k=10, mode="hybrid"):
    """Titles most like each of ``item_ids`` for a fitted engine; mode is hybrid,
    collaborative (cosine neighbours) or content. The title itself and titles with nothing in
    common are left out (padding ``-1``)."""
    model._check_fitted()
    ids = check_item_ids(item_ids, model.n_items)
    k = check_k(k)
    if mode not in ("hybrid", "collaborative", "content"):
        raise ValueError(f"mode must be hybrid, collaborative or content, got {mode!r}")
    if mode == "content" and model.features is None:
        raise ValueError("mode='content' needs item_features at fit time")
    out_ids = np.full((len(ids), k), PAD_ID, dtype=np.int64)
    out_scores = np.full((len(ids), k), PAD_SCORE, dtype=np.float32)
    for block in row_blocks(len(ids), model.n_items):
        chosen = ids[block]
        if mode == "collaborative":
            sims = model.neighbour_matrix[chosen].toarray()
        elif mode == "content":
            sims = (model.features[chosen] @ model.features.T).toarray()
        else:
            sims = hybrid_similarity(model, chosen)
        sims = sims.astype(np.float32)
        sims[sims <= 0] = -np.inf  # nothing in common: not similar
        sims[np.arange(len(chosen)), chosen] = -np.inf
        out_ids[block], out_scores[block] = top_k(sims, k)
    return out_ids, out_scores
