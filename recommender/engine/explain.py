"""Explanations and confidence: decompose a title's hybrid score into its real contributions.

The hybrid score is a sum, so it splits exactly: per liked title ``j`` (the collaborative and
neighbour terms ``x_j * w_ji``), per content feature ``f`` (``taste_f * feature_if``) and the
popularity term. :func:`explain` reports the largest positive parts as reasons.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from recommender.engine.base import check_item_ids, check_matrix, mask_unavailable, row_blocks
from recommender.engine.ensemble import ensemble_scores

CALIBRATION_POINTS = 101


def percentile_in_row(total: np.ndarray, item_ids: np.ndarray) -> np.ndarray:
    """Share of each row's candidates (finite scores) that score below each of ``item_ids``.

    Ties count half. A title that is not a candidate (``-inf``) or a ``-1`` id gets 0.
    """
    item_ids = np.asarray(item_ids)
    out = np.zeros(item_ids.shape, dtype=np.float32)
    for row in range(total.shape[0]):
        candidates = np.sort(total[row][np.isfinite(total[row])])
        if len(candidates) < 2:
            continue
        wanted = item_ids[row]
        valid = wanted >= 0
        values = total[row][np.where(valid, wanted, 0)]
        below = np.searchsorted(candidates, values, side="left")
        ties = np.searchsorted(candidates, values, side="right") - below
        share = (below + 0.5 * (ties - 1)) / (len(candidates) - 1)
        out[row] = np.where(valid & np.isfinite(values), np.clip(share, 0.0, 1.0), 0.0)
    return out


def calibration_curve(held_out_percentiles: np.ndarray) -> np.ndarray:
    """Quantiles of the percentiles reached by held-out liked titles (strictly increasing).

    ``Engine.calibrate`` maps a percentile ``p`` to the share of held-out titles at or below
    ``p``: "92% match" means the title outranks 92% of titles profiles went on to like.
    """
    values = np.asarray(held_out_percentiles, dtype=np.float64)
    if values.size < 10:  # too few to say anything: fall back to the raw percentile
        return np.zeros(0, dtype=np.float32)
    curve = np.quantile(values, np.linspace(0.0, 1.0, CALIBRATION_POINTS))
    curve = np.maximum.accumulate(curve) + np.arange(CALIBRATION_POINTS) * 1e-7
    return curve.astype(np.float32)


def _as_row(model, user_row) -> sp.csr_matrix:
    if sp.issparse(user_row):
        row = check_matrix(user_row, "user_row", model.n_items)
    else:
        dense = np.asarray(user_row, dtype=np.float64).reshape(1, -1)
        row = check_matrix(sp.csr_matrix(dense), "user_row", model.n_items)
    if row.shape[0] != 1:
        raise ValueError(f"user_row must be a single profile row, got {row.shape[0]} rows")
    return row


def explain(model, user_row, item_id, top: int = 3) -> dict:
    """JSON-ready explanation of ``model``'s score for ``item_id`` given one profile row.

    ``{"item", "score", "confidence", "reasons": [...]}`` where reasons, largest first, are
    ``{"kind": "because_you_liked", "item": j, "weight": w}`` for the profile's titles that
    contributed most, ``{"kind": "content", "feature": "genre:sci-fi", "weight": w}`` for the
    taste features shared with the title, and ``{"kind": "popular", "weight": w}``. Weights are
    the parts of the score (they sum to at most ``score``); ``confidence`` is calibrated 0..1.
    """
    return explain_items(model, user_row, [item_id], top=top)[0]


def explain_items(model, user_row, item_ids, top: int = 3, confidence: bool = True) -> list[dict]:
    """``explain`` for several titles of one profile row: the row is scored once. Without
    ``confidence`` (only the reasons wanted) each explanation's confidence is None, and the
    partner member's scoring and the row's sort that measure it are skipped."""
    model._check_fitted()
    row = model.confidences(_as_row(model, user_row))
    items = check_item_ids(item_ids, model.n_items, "item_id")
    components = model._components(row, transformed=True)
    total, factors = model._hybrid(row, components)
    taste = np.asarray((row @ model.features).toarray()).ravel() if "content" in factors else None
    sure = [None] * len(items)
    if confidence:
        # The reasons are the primary member's parts; where the title ranks (the confidence)
        # is the engine's ranking, both members' on graded input (recommender.engine.ensemble).
        ranked = total
        if model.partner is not None:
            ranked = ensemble_scores(total, model.partner._hybrid(row)[0])
        sure = [float(c) for c in model.calibrate(_percentiles(row, ranked, items))]
    return [
        _explain_one(model, row, int(item), components, total, c, factors, taste, top)
        for item, c in zip(items, sure, strict=True)
    ]


def _percentiles(row, ranked: np.ndarray, items: np.ndarray) -> np.ndarray:
    """Where each title ranks among the titles the profile has not seen; a title it has seen,
    among all titles. One sort of the row for all of them."""
    candidates = ranked.copy()
    mask_unavailable(candidates, row, None)
    wanted = np.asarray(items).reshape(1, -1)
    out = percentile_in_row(candidates, wanted)[0]
    seen = ~np.isfinite(candidates[0, wanted[0]])
    if seen.any():
        out[seen] = percentile_in_row(ranked, wanted[:, seen])[0]
    return out


def _explain_one(model, row, item, components, total, confidence, factors, taste, top) -> dict:
    liked, strength = row.indices, row.data
    reasons: list[dict] = []

    per_title = np.zeros(len(liked), dtype=np.float64)
    if "collaborative" in factors and len(model.head):
        head_position = np.searchsorted(model.head, item)
        if head_position < len(model.head) and model.head[head_position] == item:
            where = np.searchsorted(model.head, liked)
            in_head = (where < len(model.head)) & (
                model.head[np.minimum(where, len(model.head) - 1)] == liked
            )
            weights = model.head_weights[where[in_head], head_position]
            per_title[in_head] += factors["collaborative"][0] * strength[in_head] * weights
    if "neighbours" in factors:
        neighbour_row = model.neighbour_matrix[item].toarray().ravel()
        per_title += factors["neighbours"][0] * strength * neighbour_row[liked]
    for position in np.argsort(-per_title)[:top]:
        if per_title[position] > 0:
            reasons.append(
                {
                    "kind": "because_you_liked",
                    "item": int(liked[position]),
                    "weight": float(per_title[position]),
                }
            )

    if taste is not None:
        norm = np.linalg.norm(taste)
        if norm > 0:
            per_feature = (
                factors["content"][0] * (taste / norm) * model.features[item].toarray().ravel()
            )
            for feature in np.argsort(-per_feature)[:2]:
                if per_feature[feature] > 0:
                    reasons.append(
                        {
                            "kind": "content",
                            "feature": str(model.feature_names[feature]),
                            "weight": float(per_feature[feature]),
                        }
                    )
    if "popularity" in factors:
        share = float(factors["popularity"][0] * components["popularity"][0, item])
        if share > 0:
            reasons.append({"kind": "popular", "weight": share})
    reasons.sort(key=lambda reason: -reason["weight"])

    return {
        "item": item,
        "score": float(total[0, item]),
        "confidence": confidence,
        "reasons": reasons,
    }


def confidence_for(model, user_items, item_ids, exclude_seen=True, filter_items=None):
    """Calibrated 0..1 confidence ("NN% match") for ``item_ids[r]`` of each row ``r``."""
    model._check_fitted()
    user_items = check_matrix(user_items, "user_items", model.n_items)
    item_ids = np.asarray(item_ids)
    if item_ids.ndim != 2 or item_ids.shape[0] != user_items.shape[0]:
        raise ValueError(
            f"item_ids must have shape [{user_items.shape[0]}, m], got {item_ids.shape}"
        )
    filters = None if filter_items is None else check_item_ids(filter_items, model.n_items)
    out = np.zeros(item_ids.shape, dtype=np.float32)
    for block in row_blocks(*user_items.shape):
        rows = user_items[block]
        total = model._score_block(rows)
        mask_unavailable(total, rows if exclude_seen else None, filters)
        out[block] = calibrate(model.calibration, percentile_in_row(total, item_ids[block]))
    return out


def calibrate(curve: np.ndarray, percentiles: np.ndarray) -> np.ndarray:
    """Map score percentiles to the share of held-out liked titles ranked no higher."""
    percentiles = np.asarray(percentiles, dtype=np.float32)
    if not len(curve):
        return percentiles
    grid = np.linspace(0.0, 1.0, len(curve), dtype=np.float32)
    return np.interp(percentiles, curve, grid).astype(np.float32)
