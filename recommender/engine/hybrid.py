"""Blending the engine's component scores into one ranking (usable on its own)."""

from __future__ import annotations

import numpy as np

from recommender.engine.base import check_k, mask_unavailable, top_k


def hybrid_scores(components: dict[str, np.ndarray], weights: dict[str, float]):
    """Blend component score blocks ``[rows, n_items]``: each divided by its row maximum.

    A weight is a number or one number per row. Returns the total and, per component, the
    factor ``weight / row_max`` (shape ``[rows]``) that turned it into its share of the total,
    which is what explanations decompose.
    """
    total = None
    factors = {}
    for name, block in components.items():
        weight = np.asarray(weights.get(name, 0.0), dtype=np.float32)  # scalar or per row
        if not np.any(weight):
            continue
        peak = block.max(axis=1)
        # A peak too small to divide by in float32 (a component that barely reaches a row whose
        # confidences decayed to ~1e-38) counts as none, instead of an infinite factor.
        usable = peak > np.abs(weight).astype(np.float64) / np.finfo(np.float32).max
        factor = np.where(usable, weight / np.where(usable, peak, 1.0), 0.0)
        factors[name] = factor.astype(np.float32)
        part = block * factors[name][:, None]
        total = part if total is None else total + part
    if total is None:
        total = np.zeros(next(iter(components.values())).shape, dtype=np.float32)
    return total.astype(np.float32, copy=False), factors


def rank_with_hybrid(components, weights, k=10, seen=None, filter_items=None):
    """Top-``k`` ``(ids, scores)`` of the blended components; seen and filtered titles removed."""
    total, _ = hybrid_scores(components, weights)
    mask_unavailable(total, seen, filter_items)
    return top_k(total, check_k(k))
