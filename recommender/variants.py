"""A curator experiment's ranking configuration, applied where rails are scored.

A variant (curator.models.Variant.config()) names an algorithm from the registry, a diversity,
a popularity weight and whether the session lift applies. `ranked` scores a block of profiles
with it: the published engine for "engine", otherwise the registry's model fitted on the same
signals and columns as the published model, once per process and model version (the demo
catalogue fits in well under a second; the nightly job reuses it for every batch). The JSON
API's `?algorithm=` (recommender.algorithms) reads the same fitted models.
"""

import logging
import threading

import numpy as np
import scipy.sparse as sp
from django.core.exceptions import ValidationError

from recommender.artifacts import Bundle
from recommender.engine.registry import DENSE, NEEDS_FEATURES, create
from recommender.selectors import content_features, interaction_matrix

log = logging.getLogger(__name__)
_models: dict[tuple[str, str], object] = {}  # (model version, algorithm) -> fitted model
_lock = threading.Lock()
# EASE's fit holds about three titles x titles float64 matrices (the Gram matrix, its inverse,
# the weights): 8.0 s and 1.6 GB peak at ml-latest-small's 9,742 titles, about 3.5 GB at this
# bound, 92 GB at ml-25m's 62,000, which would end a web worker.
DENSE_MAX_TITLES = 12_000


class AlgorithmTooLarge(ValidationError):
    """The algorithm cannot be fitted for a catalogue this large (a 400 from the API)."""


def too_large(algorithm: str, titles: int) -> str:
    """Why `algorithm` cannot be fitted for a catalogue of `titles` titles ("" if it can)."""
    if algorithm not in DENSE or titles <= DENSE_MAX_TITLES:
        return ""
    gigabytes = 3 * 8 * titles**2 / 1e9
    return (
        f"{algorithm} is not offered for a catalogue of {titles:,} titles: its title-by-title "
        f"weights would need about {gigabytes:,.0f} GB (it is offered up to "
        f"{DENSE_MAX_TITLES:,} titles)."
    )


def variant_model(bundle: Bundle, algorithm: str):
    """The model a variant ranks with: the published engine, or a registry model fitted on the
    published model's columns (AlgorithmTooLarge for a dense one past DENSE_MAX_TITLES)."""
    if algorithm == "engine":
        return bundle.engine
    if reason := too_large(algorithm, len(bundle.title_ids)):
        raise AlgorithmTooLarge(reason)
    key = (bundle.version, algorithm)
    with _lock:
        if key not in _models:
            interactions, _ = interaction_matrix(bundle.title_ids)
            features, names = (
                content_features(bundle.title_ids) if algorithm in NEEDS_FEATURES else (None, None)
            )
            for stale in [k for k in _models if k[0] != bundle.version]:
                del _models[stale]  # one model version at a time, each algorithm fitted once
            _models[key] = create(algorithm).fit(
                interactions,
                item_features=features,
                popularity=bundle.engine.popularity_share,
                feature_names=names,
            )
        return _models[key]


def ranked(
    bundle: Bundle, block: sp.csr_matrix, config: dict | None, *, k: int, hidden: np.ndarray,
    sessions, diversity: float, rejected: sp.csr_matrix, confidence: bool = False,
):  # fmt: skip
    """(ids, scores) of the block, ranked as the variant says (the engine as is without one, or
    when the variant's algorithm is too large for the catalogue: logged). With `confidence`, a
    third item: the engine's confidence in each pick, read from the scores that ranked them,
    or None when another algorithm ranked them (the caller asks `confidence_for`)."""
    config = config or {}
    try:
        model = variant_model(bundle, config.get("algorithm", "engine"))
    except AlgorithmTooLarge as error:
        log.warning("variant ranked by the engine instead: %s", error.message)
        model = bundle.engine
    shared = confidence and model is bundle.engine
    result = ranked_by(
        model, bundle.engine.popularity_share, block, config, k=k, hidden=hidden,
        sessions=sessions, diversity=diversity, rejected=rejected, return_confidence=shared,
    )  # fmt: skip
    if confidence and not shared:
        return (*result, None)
    return result


def ranked_by(
    model, popularity: np.ndarray, block: sp.csr_matrix, config: dict, *, k: int,
    hidden=None, sessions=None, diversity: float | None = None, rejected=None,
    return_confidence: bool = False,
):  # fmt: skip
    """(ids, scores) from a fitted model with a variant's diversity, session lift and
    popularity weight (also the offline replay's path, curator.replay); `return_confidence`
    (an Engine only) adds each pick's confidence, kept beside it through the re-ranking."""
    if config.get("diversity") is not None:
        diversity = float(config["diversity"])
    if not config.get("session_lift", True):
        sessions = None
    extra = {"return_confidence": True} if return_confidence else {}
    ids, scores, *sure = model.recommend(
        block, k=k, filter_items=hidden, session_items=sessions, diversity=diversity,
        exclude_items=rejected, **extra,
    )  # fmt: skip
    weight = float(config.get("popularity_weight") or 0.0)
    if weight > 0:
        ids, scores, *sure = popularity_blended(ids, scores, popularity, weight, *sure)
    return (ids, scores, *sure)


def popularity_blended(ids, scores, popularity, weight: float, *carried):
    """Re-rank each row's candidates by (1 - w) * score / best score + w * popularity share;
    arrays `carried` beside the ids (their confidence) are put in the same order."""
    ids, scores = np.array(ids), np.array(scores, dtype=np.float64)
    valid = ids >= 0
    safe = np.where(valid, scores, 0.0)
    top = np.abs(safe).max(axis=1, keepdims=True)
    top[top == 0] = 1.0
    blended = (1 - weight) * safe / top + weight * popularity[np.where(valid, ids, 0)]
    blended = np.where(valid, blended, -np.inf)
    order = np.argsort(-blended, axis=1, kind="stable")
    reordered = [np.take_along_axis(np.asarray(a), order, 1) for a in carried]
    return np.take_along_axis(ids, order, 1), np.take_along_axis(blended, order, 1), *reordered
