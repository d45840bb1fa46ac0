"""Re-ranking that sits on top of the hybrid score: diversity (MMR) and the current session.

Both work on a candidate pool per profile, ``ids``/``scores`` of shape ``[n, pool]`` as
returned by ``recommend`` (``-1`` ids are padding and stay at the end). Similarity between
titles comes from item vectors whose rows are L2-normalised (``vectors[a] @ vectors[b]`` is a
cosine) or, for the session, from any ``similarity(a_ids, b_ids)`` function.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from recommender.engine.base import PAD_ID, PAD_SCORE, top_k

EMBEDDING_DIMENSIONS = 64


def diversity_embedding(item_vectors, dimensions: int = EMBEDDING_DIMENSIONS, seed: int = 0):
    """Dense float32 item vectors with unit rows whose dot products approximate the cosines of
    ``item_vectors`` (L2-normalised rows, sparse or dense).

    With at most ``dimensions`` columns they are the vectors themselves; otherwise their
    projection on the top ``dimensions`` singular directions (randomised SVD, two power
    iterations). Re-ranking a pool is then one small batched product instead of a sparse
    product per few profiles, which is what keeps diversity cheap.
    """
    n_features = item_vectors.shape[1]
    if n_features <= dimensions:
        dense = item_vectors.toarray() if sp.issparse(item_vectors) else item_vectors
        return _unit_rows(np.asarray(dense, dtype=np.float32))
    a = sp.csr_matrix(item_vectors, dtype=np.float32) if sp.issparse(item_vectors) else None
    a = item_vectors if a is None else a
    rng = np.random.default_rng(seed)
    basis = np.asarray(a @ rng.standard_normal((n_features, dimensions + 8)).astype(np.float32))
    for _ in range(2):
        basis, _ = np.linalg.qr(basis)
        basis = np.asarray(a @ np.asarray(a.T @ basis))
    basis, _ = np.linalg.qr(basis)
    small = np.asarray(a.T @ basis).T  # (d + 8) x features
    u, singular, _ = np.linalg.svd(small, full_matrices=False)
    projected = basis @ (u[:, :dimensions] * singular[:dimensions])
    return _unit_rows(projected.astype(np.float32))


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def _pool_similarity(ids: np.ndarray, item_vectors, rows_per_product: int = 4) -> np.ndarray:
    """``[n, pool, pool]`` cosine similarities between the candidates of each row.

    Dense vectors (see :func:`diversity_embedding`) take one batched product.
    Rows are handled a few at a time: their candidates' vectors are multiplied in one product
    and the per-row diagonal blocks are kept, so memory stays bounded for large pools.
    """
    n, pool = ids.shape
    safe = np.where(ids >= 0, ids, 0)
    if isinstance(item_vectors, np.ndarray):
        vectors = item_vectors[safe]
        return np.matmul(vectors, vectors.transpose(0, 2, 1))
    out = np.zeros((n, pool, pool), dtype=np.float32)
    for start in range(0, n, rows_per_product):
        chunk = safe[start : start + rows_per_product]
        vectors = item_vectors[chunk.ravel()]
        product = vectors @ vectors.T
        product = product.toarray() if sp.issparse(product) else np.asarray(product)
        for offset in range(chunk.shape[0]):
            cut = slice(offset * pool, (offset + 1) * pool)
            out[start + offset] = product[cut, cut]
    return out


def cosine_between(item_vectors):
    """A ``similarity(a_ids, b_ids)`` function: cosine of L2-normalised ``item_vectors`` rows."""

    def similarity(a_ids: np.ndarray, b_ids: np.ndarray) -> np.ndarray:
        product = item_vectors[a_ids] @ item_vectors[b_ids].T
        return product.toarray() if sp.issparse(product) else np.asarray(product)

    return similarity


def _relevance(scores: np.ndarray) -> np.ndarray:
    """Scores rescaled per row to 0..1 (min-max over the valid candidates)."""
    valid = np.isfinite(scores)
    low = np.where(valid, scores, np.inf).min(axis=1, keepdims=True)
    high = np.where(valid, scores, -np.inf).max(axis=1, keepdims=True)
    span = np.where(high > low, high - low, 1.0)
    return np.where(valid, (scores - np.where(np.isfinite(low), low, 0.0)) / span, -np.inf)


def rerank_for_diversity(
    ids: np.ndarray,
    scores: np.ndarray,
    item_vectors,
    k: int,
    lambda_: float = 0.7,
    novelty: np.ndarray | None = None,
    long_tail: np.ndarray | None = None,
    tail_slots: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Maximal Marginal Relevance: pick ``k`` of each row's candidates greedily.

    Each step takes the candidate maximising
    ``lambda_ * relevance + novelty - (1 - lambda_) * max_similarity_to_already_picked``,
    with relevance the candidate score rescaled to 0..1 within the row and ``novelty`` an
    optional per-title bonus. ``lambda_ = 1`` keeps the order.

    ``long_tail`` flags titles outside the popular head; when given, the last ``tail_slots``
    picks of a row are reserved for its best long-tail candidates (if its pool has any), which
    is what spreads recommendations over the catalogue without touching the top positions.
    Returns the picked ids and their original scores, in pick order.
    """
    if not 0.0 <= lambda_ <= 1.0:
        raise ValueError(f"lambda_ must lie in 0..1, got {lambda_}")
    ids = np.asarray(ids)
    scores = np.asarray(scores, dtype=np.float32)
    n, pool = ids.shape
    k = min(k, pool)
    gain = lambda_ * _relevance(scores)
    if novelty is not None:
        gain = gain + np.where(ids >= 0, novelty[np.where(ids >= 0, ids, 0)], 0.0)
    gain = np.where(ids >= 0, gain, -np.inf)
    similarity = _pool_similarity(ids, item_vectors)
    closest = np.zeros((n, pool), dtype=np.float32)  # max similarity to the picked set
    open_gain = gain.copy()  # -inf once picked: every step is a few array operations
    penalty = 1.0 - lambda_
    cells = np.arange(n) * pool
    by_pick = similarity.reshape(n * pool, pool)  # row r's similarities to its candidate c
    picks = np.zeros((n, k), dtype=np.int64)
    tail_slots = min(int(tail_slots), k) if long_tail is not None else 0
    is_tail = (
        (ids >= 0) & long_tail[np.where(ids >= 0, ids, 0)]
        if tail_slots
        else np.zeros((n, pool), dtype=bool)
    )
    tail_taken = np.zeros(n, dtype=np.int64)
    exhausted = np.zeros((n, k), dtype=bool)  # no candidate left for this pick
    for step in range(k):
        value = open_gain - penalty * closest
        # Rows whose remaining picks are all owed to the long tail choose among tail titles.
        owed = (tail_slots - tail_taken) >= (k - step)
        if owed.any():
            tail_value = np.where(is_tail, value, -np.inf)
            use_tail = owed & np.isfinite(tail_value.max(axis=1))
            value = np.where(use_tail[:, None], tail_value, value)
        choice = np.argmax(value, axis=1)
        flat = cells + choice  # (row, choice) in the flattened [rows, pool] arrays
        exhausted[:, step] = ~np.isfinite(value.take(flat))
        tail_taken += is_tail.take(flat)
        picks[:, step] = choice
        open_gain.put(flat, -np.inf)
        np.maximum(closest, by_pick[flat], out=closest)
    out_ids = np.take_along_axis(ids, picks, axis=1)
    out_scores = np.take_along_axis(scores, picks, axis=1)
    # Once real candidates run out the picks are padding: keep it at the end.
    invalid = (out_ids < 0) | exhausted
    out_ids[invalid], out_scores[invalid] = PAD_ID, PAD_SCORE
    order = np.argsort(invalid, axis=1, kind="stable")
    return np.take_along_axis(out_ids, order, axis=1), np.take_along_axis(out_scores, order, axis=1)


def session_lift(ids: np.ndarray, session_items, similarity, half_life: float = 2.0) -> np.ndarray:
    """Per candidate, the age-decayed similarity to the session's recent titles.

    ``session_items[r]`` lists the titles of row ``r``'s current visit, oldest first; the
    newest has weight 1 and each step back multiplies it by ``0.5 ** (1 / half_life)``.
    The lift is the weighted mean of similarities, so it lies in 0..1 for cosine-like
    similarities. ``similarity`` is a function ``(a_ids, b_ids) -> [len(a), len(b)]`` or item
    vectors with L2-normalised rows (see :func:`cosine_between`).
    """
    if not callable(similarity):
        similarity = cosine_between(similarity)
    lift = np.zeros(ids.shape, dtype=np.float32)
    decay = 0.5 ** (1.0 / half_life)
    for row, recent in enumerate(session_items):
        recent = np.asarray(recent, dtype=np.int64)
        valid = ids[row] >= 0
        if recent.size == 0 or not valid.any():
            continue
        weights = decay ** np.arange(recent.size)[::-1]
        sims = similarity(ids[row][valid], recent)
        lift[row, valid] = (sims @ weights) / weights.sum()
    return lift


def session_rerank(
    ids: np.ndarray,
    scores: np.ndarray,
    session_items,
    similarity,
    weight: float = 1.0,
    half_life: float = 2.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Lift candidates close to the current visit's titles and re-sort each row.

    New score = relevance (0..1 within the row) + ``weight`` * :func:`session_lift`; titles of
    the session itself are not removed here (``recommend`` excludes them as seen).
    """
    if weight < 0 or not np.isfinite(weight):
        raise ValueError(f"session weight must be a finite number >= 0, got {weight}")
    ids = np.asarray(ids)
    boosted = _relevance(np.asarray(scores, dtype=np.float32))
    boosted = boosted + weight * session_lift(ids, session_items, similarity, half_life)
    boosted = np.where(ids >= 0, boosted, -np.inf).astype(np.float32)
    order = np.argsort(-boosted, axis=1, kind="stable")
    return np.take_along_axis(ids, order, axis=1), np.take_along_axis(boosted, order, axis=1)


def pool_with_long_tail(
    total: np.ndarray, pool: int, long_tail: np.ndarray, tail_pool: int, extra: int = 10
):
    """The top ``pool`` candidates of ``total`` plus up to ``extra`` long-tail titles.

    Long-tail titles rarely reach the top ``pool``; the best ``extra`` of them within the
    top ``tail_pool`` join the pool so the reserved tail slots have personal choices.
    """
    ids, scores = top_k(total, max(pool, tail_pool))
    rest_ids, rest_scores = ids[:, pool:], scores[:, pool:]
    flagged = (rest_ids >= 0) & long_tail[np.where(rest_ids >= 0, rest_ids, 0)]
    order = np.argsort(~flagged, axis=1, kind="stable")[:, :extra]
    keep = np.take_along_axis(flagged, order, axis=1)
    tail_ids = np.where(keep, np.take_along_axis(rest_ids, order, axis=1), PAD_ID)
    tail_scores = np.where(keep, np.take_along_axis(rest_scores, order, axis=1), PAD_SCORE)
    return (
        np.hstack([ids[:, :pool], tail_ids]),
        np.hstack([scores[:, :pool], tail_scores]).astype(np.float32),
    )
