"""One profile's recommendations from any algorithm of the registry (the JSON API's
`?algorithm=`): the published hybrid engine (`engine`, with diversity), or a baseline fitted
on the same signals and columns as the published model.

A baseline is fitted once per web process and published model version, on its first use,
and kept in memory (`recommender.variants.variant_model`, which the A/B experiments' variants
share: one fitted model per name; a new model version replaces them). As for the
rails, the profile's row is cut to the titles it may see before scoring, titles above its
ceiling and titles it rejected are filtered out, and the caller re-reads the titles through
`titles_for_profile`."""

from dataclasses import dataclass

import numpy as np

from catalog.models import Title
from profiles.models import Profile
from recommender.artifacts import bundle_current
from recommender.engine.registry import available
from recommender.rails import excluded_title_ids
from recommender.selectors import scoring_rows
from recommender.services import hidden_columns, visible_only
from recommender.variants import variant_model

ENGINE = "engine"


@dataclass(frozen=True)
class Recommended:
    title_id: int
    score: float
    confidence: float | None = None


def algorithms() -> list[str]:
    return available()


def recommendations_for(
    *, profile: Profile, algorithm: str, k: int, diversity: float | None = None
) -> list[Recommended]:
    """The profile's top `k` by `algorithm`, best first (ValueError for an unknown name).
    Without a published model, the most popular visible titles."""
    if algorithm not in available():
        raise ValueError(f"Unknown algorithm {algorithm!r}; choose from {', '.join(available())}.")
    bundle = bundle_current()
    if bundle is None:
        popular = Title.objects.filter(maturity_level__lte=profile.effective_ceiling)
        ids = popular.order_by("-popularity", "pk").values_list("pk", "popularity")[:k]
        return [Recommended(pk, float(score)) for pk, score in ids]
    hidden = hidden_columns(bundle, profile.effective_ceiling)
    rejected = bundle.columns_of(excluded_title_ids(profile))
    filtered = np.union1d(hidden, rejected[rejected >= 0]).astype(np.int64)
    row = scoring_rows(bundle.title_ids, [profile.pk])
    row = visible_only(row, hidden)
    k = min(k, len(bundle.title_ids))
    if algorithm == ENGINE:
        ids, scores = bundle.engine.recommend(row, k=k, filter_items=filtered, diversity=diversity)
        shown = np.where(ids >= 0, ids, 0)
        confidence = bundle.engine.confidence_for(row, shown, filter_items=hidden)[0].tolist()
    else:
        ids, scores = variant_model(bundle, algorithm).recommend(row, k=k, filter_items=filtered)
        confidence = [None] * k
    return [
        Recommended(int(bundle.title_ids[column]), float(score), conf)
        for column, score, conf in zip(ids[0].tolist(), scores[0].tolist(), confidence, strict=True)
        if column >= 0
    ]
