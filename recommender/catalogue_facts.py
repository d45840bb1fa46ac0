"""Per-column facts about the catalogue that rail computation needs (maturity, genres,
runtime, language, popular titles per genre), read once per model version, and the profile's
stated preferences applied to a ranking."""

import logging
from dataclasses import dataclass

import numpy as np
from django.db import DatabaseError, connections

from catalog.models import Title
from profiles.models import Profile
from recommender import artifacts
from recommender.artifacts import Bundle


@dataclass
class Catalogue:
    """Per-column facts the rails need, read once per model version."""

    maturity: np.ndarray
    genres: list[tuple[str, ...]]
    genre_names: dict[str, str]
    popular_by_genre: dict[str, np.ndarray]
    names: np.ndarray
    runtime: np.ndarray  # minutes, 0 when unknown
    language: np.ndarray


_catalogues: dict[str, Catalogue] = {}


def catalogue_for(bundle: Bundle) -> Catalogue:
    if bundle.version in _catalogues:
        return _catalogues[bundle.version]
    facts = {
        pk: rest
        for pk, *rest in Title.objects.values_list(
            "pk", "maturity_level", "popularity", "runtime", "original_language"
        )
    }
    maturity = {pk: f[0] for pk, f in facts.items()}
    popularity = {pk: f[1] for pk, f in facts.items()}
    genres: dict[int, list[str]] = {}
    names: dict[str, str] = {}
    for pk, slug, name in Title.genres.through.objects.values_list(
        "title_id", "genre__slug", "genre__name"
    ):
        genres.setdefault(pk, []).append(slug)
        names[slug] = name
    ids = bundle.title_ids.tolist()
    column_genres = [tuple(genres.get(pk, ())) for pk in ids]
    by_genre: dict[str, list[int]] = {}
    for column, slugs in enumerate(column_genres):
        for slug in slugs:
            by_genre.setdefault(slug, []).append(column)
    pop = np.array([popularity.get(pk, 0.0) for pk in ids])
    catalogue = Catalogue(
        maturity=np.array([maturity.get(pk, 18) for pk in ids], dtype=np.int16),
        genres=column_genres,
        genre_names=names,
        popular_by_genre={
            g: np.array(sorted(c, key=lambda col: -pop[col])) for g, c in by_genre.items()
        },
        names=bundle.title_names,
        runtime=np.array([facts.get(pk, (0, 0, 0, ""))[2] or 0 for pk in ids], dtype=np.int32),
        language=np.array([facts.get(pk, (0, 0, 0, ""))[3] or "" for pk in ids], dtype=str),
    )
    _catalogues.clear()
    _catalogues[bundle.version] = catalogue
    return catalogue


def preferences_applied(
    candidates: list[tuple], profile: Profile, catalogue: Catalogue
) -> list[tuple]:
    """Re-order (column, ...) candidates by the profile's stated preferences: genre weights
    (-1..+1) scale a title by up to ±50%, a runtime or language outside the preference demotes it.
    The engine's order is kept as a rank prior, so preferences nudge rather than replace it.
    A genre at -1 (the slider's end, "keep it away") is a rule, not a nudge: its titles go."""
    try:
        preferences = profile.preferences
    except Profile.preferences.RelatedObjectDoesNotExist:
        return candidates
    weights, languages = preferences.genre_weights or {}, set(preferences.languages or [])
    blocked = blocked_genres(weights)
    if blocked:
        candidates = [c for c in candidates if not blocked.intersection(catalogue.genres[c[0]])]
    low, high = _runtime_range(preferences)

    def factor(column: int) -> float:
        stated = [weights[g] for g in catalogue.genres[column] if g in weights]
        value = 1 + 0.5 * (sum(stated) / len(stated)) if stated else 1.0
        runtime = int(catalogue.runtime[column])
        if runtime and not low <= runtime <= high:
            value *= 0.7
        if languages and catalogue.language[column] not in languages:
            value *= 0.8
        return value

    adjusted = [(factor(c[0]) / (1 + rank / 10), rank) for rank, c in enumerate(candidates)]
    order = sorted(range(len(candidates)), key=lambda i: (-adjusted[i][0], adjusted[i][1]))
    return [candidates[i] for i in order]


def blocked_genres(genre_weights: dict) -> set[str]:
    """Genres the profile keeps out of its rails: those at the slider's end (-1)."""
    return {genre for genre, weight in genre_weights.items() if weight <= -1}


def _runtime_range(preferences) -> tuple[int, int]:
    low = preferences.runtime_min or 0
    high = preferences.runtime_max or 10_000
    if preferences.runtime == "short":
        high = min(high, 100)
    elif preferences.runtime == "long":
        low = max(low, 130)
    return low, high


def process_caches_clear() -> None:
    """Forget the models and facts this process has loaded (tests; a changed artifacts folder)."""
    artifacts.process_cache_clear()
    _catalogues.clear()


def warm_up() -> None:
    """Load the live model and its catalogue facts in a web worker before its first request; a
    missing or broken model is not an error here (pages fall back until recompute_recs runs)."""
    try:
        bundle = artifacts.bundle_current()
        if bundle is not None:
            catalogue_for(bundle)
    except (DatabaseError, OSError, ValueError) as error:
        logging.getLogger(__name__).warning("recommender warm-up skipped: %s", error)
    finally:
        connections.close_all()  # never hand a connection opened here to a forked child
