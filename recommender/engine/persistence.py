"""Save and load an :class:`~recommender.engine.Engine` as one ``.npz`` without pickling.

Dense arrays are stored as they are, sparse matrices as ``data``/``indices``/``indptr``/
``shape``, feature names as a unicode array and the parameters as a JSON string, so
``np.load(path, allow_pickle=False)`` reads everything and a web process loads fast.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from recommender.engine.base import sparse_from_arrays, sparse_to_arrays
from recommender.engine.era import Era

FORMAT_VERSION = 2


def save_engine(model, path) -> None:
    """Write the fitted ``model`` to ``path``."""
    model._check_fitted()
    arrays = {
        "format_version": np.asarray(FORMAT_VERSION),
        "params": np.asarray(json.dumps(model.params)),
        "diversity": np.asarray(model.diversity),
        "n_items": np.asarray(model.n_items),
        "head": model.head,
        "head_weights": model.head_weights,
        "tuned": np.asarray(json.dumps(model.tuned)),
        "embedding": model.embedding,
        "popularity_share": model.popularity_share,
        "novelty": model.novelty,
        "long_tail": model.long_tail,
        "calibration": model.calibration,
        "feature_names": model.feature_names,
        "has_features": np.asarray(model.features is not None),
        **sparse_to_arrays("neighbours", model.neighbour_matrix),
    }
    if model.features is not None:
        arrays.update(sparse_to_arrays("features", model.features))
    if model.era is not None:
        arrays["item_years"] = model.era.years
    partner = model.partner
    arrays["has_partner"] = np.asarray(partner is not None)
    if partner is not None:  # what the partner member scores with; it shares the rest
        arrays.update(
            {
                "partner_head": partner.head,
                "partner_head_weights": partner.head_weights,
                "partner_tuned": np.asarray(json.dumps(partner.tuned)),
                **sparse_to_arrays("partner_neighbours", partner.neighbour_matrix),
            }
        )
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)


def load_engine(cls, path):
    """An instance of ``cls`` restored from ``path``; ``ValueError`` on another format."""
    with np.load(Path(path), allow_pickle=False) as arrays:
        if int(arrays["format_version"]) != FORMAT_VERSION:
            raise ValueError(f"{path} has model format {int(arrays['format_version'])}")
        model = cls(**json.loads(str(arrays["params"])))
        model.diversity = float(arrays["diversity"])
        model.n_items = int(arrays["n_items"])
        model.head = arrays["head"]
        # C order: `sparse @ B` copies a Fortran-ordered B on every call (older artifacts).
        model.head_weights = np.ascontiguousarray(arrays["head_weights"])
        model.tuned = json.loads(str(arrays["tuned"]))
        model.embedding = arrays["embedding"]
        model.popularity_share = arrays["popularity_share"]
        model.novelty = arrays["novelty"]
        model.long_tail = arrays["long_tail"]
        model.calibration = arrays["calibration"]
        model.feature_names = arrays["feature_names"]
        model.neighbour_matrix = sparse_from_arrays("neighbours", arrays)
        model.features = (
            sparse_from_arrays("features", arrays) if bool(arrays["has_features"]) else None
        )
        # Models saved before the era prior have no years: popularity alone, as then.
        model.era = Era(arrays["item_years"]) if "item_years" in arrays else None
        if "has_partner" in arrays and bool(arrays["has_partner"]):
            model.partner = _partner_load(cls, model, arrays)
    model._neighbours_by_source = sp.csr_matrix(model.neighbour_matrix.T)
    return model


def _partner_load(cls, model, arrays):
    partner = cls(**model.params)
    partner._is_partner = True
    for name in ("n_items", "features", "feature_names", "popularity_share", "diversity", "era"):
        setattr(partner, name, getattr(model, name))
    partner.head = arrays["partner_head"]
    partner.head_weights = np.ascontiguousarray(arrays["partner_head_weights"])
    partner.tuned = json.loads(str(arrays["partner_tuned"]))
    partner.neighbour_matrix = sparse_from_arrays("partner_neighbours", arrays)
    partner._neighbours_by_source = sp.csr_matrix(partner.neighbour_matrix.T)
    return partner
