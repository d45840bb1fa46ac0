"""One registry of ranking algorithms, all on the same contract, selected by name.

    from recommender.engine.registry import available, create
    model = create("ease", regularization=300.0).fit(interactions)
    ids, scores = model.recommend(rows, k=10)

Every model takes ``fit(interactions, item_features=None, popularity=None,
feature_names=None)`` and answers ``recommend(user_items, k, exclude_seen, filter_items)`` and
``similar_items(item_ids, k)``; the hybrid ``engine`` adds diversity, sessions, explanations,
confidence and an optional ``item_years`` for its cold-start prior. ``als`` is offered only
when the ``implicit`` package imports. A/B experiments and the JSON API choose from
:func:`available`.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.util import find_spec

from recommender.engine.baselines import (
    ALS,
    EASE,
    ContentOnly,
    ItemKNN,
    Popularity,
    RP3beta,
    Trending,
)
from recommender.engine.model import Engine

_FACTORIES: dict[str, Callable] = {
    "popularity": Popularity,
    "trending": Trending,
    "item-knn": ItemKNN,
    "ease": EASE,
    "rp3beta": RP3beta,
    "als": ALS,
    "content": ContentOnly,
    "engine": Engine,
}
NEEDS_FEATURES = frozenset({"content"})
DENSE = frozenset({"ease"})  # dense titles x titles weights: memory grows with the square


def _implicit_installed() -> bool:
    try:
        return find_spec("implicit") is not None and find_spec("implicit.cpu.als") is not None
    except ImportError:
        return False


def available() -> list[str]:
    """Names that :func:`create` accepts here (``als`` only when ``implicit`` is installed)."""
    return [name for name in _FACTORIES if name != "als" or _implicit_installed()]


def create(name: str, **params):
    """A new, unfitted model called ``name`` with ``params``; ``ValueError`` on unknown names."""
    if name not in available():
        raise ValueError(f"unknown or unavailable algorithm {name!r}; choose from {available()}")
    return _FACTORIES[name](**params)
