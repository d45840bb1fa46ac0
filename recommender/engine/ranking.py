"""One block of rows ranked: scored, masked, pooled, lifted by the visit, diversified; and,
when asked, each pick's calibrated confidence ("NN% match") read from the same scores.

The confidence is where a pick ranks among the titles the profile has not seen (and the
filters allow): a title left out of this row's picks only because it was excluded (a thumbs
down) or seen in the current visit still counts among those candidates, as
``recommender.engine.explain.confidence_for`` counts it. Their scores are set aside before
they are masked and put back before the picks are measured, so asking for the confidence
costs no second scoring of the row.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from recommender.engine.base import mask_unavailable, row_owners, top_k
from recommender.engine.explain import percentile_in_row
from recommender.engine.rerank import pool_with_long_tail, rerank_for_diversity, session_rerank


def rank_block(
    model, rows: sp.csr_matrix, k: int, *, pool: int, exclude_seen: bool, filters,
    excluded: sp.csr_matrix | None, sessions, diversity: float, vectors, confidence: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:  # fmt: skip
    """``(ids, scores, confidence or None)`` of the top ``k`` of each row (``Engine.recommend``
    for one block; ``sessions`` holds the block's visits, ``vectors`` the diversity space)."""
    total = model._score_block(rows)
    mask_unavailable(total, rows if exclude_seen else None, filters)
    visits = sessions if exclude_seen else None
    set_aside = _cells_left_out(total, excluded, visits) if confidence else None
    mask_unavailable(total, None, None, excluded)
    if visits is not None:
        for offset, recent in enumerate(visits):
            total[offset, recent] = -np.inf
    if diversity > 0 and model.params["tail_slots"]:
        ids, scores = pool_with_long_tail(
            total, pool, model.long_tail, int(model.params["tail_pool"])
        )
    else:
        ids, scores = top_k(total, pool)
    if not confidence:
        del total  # the block's scores are its largest array: freed before the re-ranking
    if sessions is not None:
        ids, scores = session_rerank(
            ids, scores, sessions, model.item_similarity, model.params["session_weight"],
            model.params["session_half_life"],
        )  # fmt: skip
    if diversity > 0:
        ids, scores = rerank_for_diversity(
            ids, scores, vectors, k, lambda_=1.0 - diversity,
            novelty=model.params["tail_lift"] * model.novelty, long_tail=model.long_tail,
            tail_slots=int(model.params["tail_slots"]),
        )  # fmt: skip
    ids, scores = ids[:, :k], scores[:, :k]
    if not confidence:
        return ids, scores, None
    if set_aside is not None:
        at_rows, at_columns, values = set_aside
        total[at_rows, at_columns] = values
    return ids, scores, model.calibrate(percentile_in_row(total, ids))


def _cells_left_out(total: np.ndarray, excluded: sp.csr_matrix | None, visits):
    """(rows, columns, scores) of the cells about to be masked for this block only, or None."""
    rows, columns = [], []
    if excluded is not None and excluded.nnz:
        rows.append(row_owners(excluded))
        columns.append(excluded.indices)
    for offset, recent in enumerate(() if visits is None else visits):
        rows.append(np.full(len(recent), offset))
        columns.append(np.asarray(recent, dtype=np.int64))
    if not rows:
        return None
    at_rows, at_columns = np.concatenate(rows), np.concatenate(columns)
    return at_rows, at_columns, total[at_rows, at_columns].copy()
