"""From the database to the engine's matrices: rows are profiles, columns are titles.

The mapping (row -> Profile.pk, column -> Title.pk) lives here and in the saved artifacts; the
engine itself only ever sees matrix indices.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import scipy.sparse as sp
from django.db import connection

from catalog.models import Credit, Title
from profiles.models import Feedback, Interaction, Rating
from profiles.taste import confidence_from, signals_for
from recommender.content import build_item_features
from recommender.engine.recency import recency_weighted

POPULARITY_WINDOW_DAYS = 30
# How strongly a scored profile's latest titles outweigh its older ones (`exp(-RECENCY * place)`,
# recommender/engine/recency.py; docs/engine.md, "Recency"). On the offline evaluation's temporal
# validation stages, where the titles to find are each profile's next ones as on the site, 4
# scored best (1.188x the best EASE, 1 scored 1.092x, 0 1.005x). The site uses 1: at 4 a
# profile's first sitting (onboarding's picks, given over a minute or two) would count for
# almost nothing against its last minute's (weight 0.018), at 1 it keeps 0.37.
RECENCY = 1.0
# Signals within the same minute share their place (a sitting's onboarding answers, a burst).
RECENCY_RESOLUTION_SECONDS = 60.0


@dataclass
class TrainingSet:
    interactions: sp.csr_matrix
    profile_ids: np.ndarray
    title_ids: np.ndarray
    item_features: sp.csr_matrix
    feature_names: np.ndarray
    popularity: np.ndarray
    years: np.ndarray  # release year of each title, NaN when unknown


def catalogue_columns() -> np.ndarray:
    return np.array(Title.objects.order_by("pk").values_list("pk", flat=True), dtype=np.int64)


def interaction_matrix(
    title_ids: np.ndarray, profile_ids: list[int] | None = None, *, recency: float = 0.0
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Decayed confidence of every (or the given) profile's signals, and the row -> profile map.

    What the engine is fitted on; the profiles it scores pass `recency=RECENCY`, which also
    weighs each title by its place in the profile's history (`scoring_rows`)."""
    confidence = confidence_from(signals_for(profile_ids))
    columns = np.searchsorted(title_ids, confidence.title_ids)
    clipped = np.minimum(columns, max(len(title_ids) - 1, 0))
    known = (columns < len(title_ids)) & (title_ids[clipped] == confidence.title_ids)
    if profile_ids is None:
        rows_for = np.unique(confidence.profile_ids)
    else:
        rows_for = np.array(sorted(set(profile_ids)), dtype=np.int64)
    rows = np.searchsorted(rows_for, confidence.profile_ids[known])
    shape = (len(rows_for), len(title_ids))
    latest = confidence.latest[known]
    sittings = np.floor(latest / RECENCY_RESOLUTION_SECONDS) if recency else latest
    matrix = recency_weighted(rows, columns[known], confidence.weights[known], sittings, shape,
                              recency)  # fmt: skip
    return matrix, rows_for


def scoring_rows(title_ids: np.ndarray, profile_ids: list[int]) -> sp.csr_matrix:
    """The rows the engine scores for these profiles (in sorted id order): their decayed
    confidences, each title weighted by its place in the profile's history (RECENCY)."""
    return interaction_matrix(title_ids, profile_ids, recency=RECENCY)[0]


def session_title_ids(profile_id: int, *, since: datetime) -> list[int]:
    """The titles a profile engaged with since `since`, oldest first: any interaction but an
    impression or a My List removal, a thumbs up or love, a rating of 3.5 stars or more.

    Every re-score reads it, so it is one statement in SQL rather than three querysets that
    the ORM would compile again on each call. The same SQL on SQLite and PostgreSQL; table
    names come from the models, quoted, and every value is a parameter."""
    table = {
        model: connection.ops.quote_name(model._meta.db_table)
        for model in (Interaction, Feedback, Rating)
    }
    sql = f"""
        SELECT created_at, title_id FROM {table[Interaction]}
        WHERE profile_id = %s AND created_at >= %s AND title_id IS NOT NULL
          AND kind NOT IN (%s, %s)
        UNION ALL
        SELECT created_at, title_id FROM {table[Feedback]}
        WHERE profile_id = %s AND created_at >= %s AND value IN (%s, %s)
        UNION ALL
        SELECT created_at, title_id FROM {table[Rating]}
        WHERE profile_id = %s AND created_at >= %s AND value >= %s
    """  # nosec B608
    start = connection.ops.adapt_datetimefield_value(since)
    skipped = [Interaction.Kind.IMPRESSION.value, Interaction.Kind.WATCHLIST_REMOVE.value]
    liked = [Feedback.Value.THUMBS_UP.value, Feedback.Value.LOVE.value]
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [profile_id, start, *skipped, profile_id, start, *liked, profile_id, start, 3.5]
        )
        recent = cursor.fetchall()
    return list(dict.fromkeys(title_id for _, title_id in sorted(recent)))


def content_features(title_ids: np.ndarray) -> tuple[sp.csr_matrix, np.ndarray]:
    index = {pk: i for i, pk in enumerate(title_ids.tolist())}
    n = len(title_ids)
    genres, keywords, cast, crew = ([[] for _ in range(n)] for _ in range(4))
    for pk, name in Title.genres.through.objects.values_list("title_id", "genre__slug"):
        genres[index[pk]].append(name)
    for pk, name in Title.keywords.through.objects.values_list("title_id", "keyword__name"):
        keywords[index[pk]].append(name)
    credits = Credit.objects.values_list("title_id", "person__name", "role", "order")
    for pk, name, role, order in credits.iterator(chunk_size=20000):
        if role == Credit.Role.CAST and order < 6:
            cast[index[pk]].append(name)
        elif role != Credit.Role.CAST:
            crew[index[pk]].append(name)
    overviews = dict(Title.objects.values_list("pk", "overview"))
    overview = [overviews.get(pk, "") for pk in title_ids.tolist()]
    return build_item_features(
        genres=genres, keywords=keywords, cast=cast, crew=crew, overview=overview
    )


def popularity_vector(title_ids: np.ndarray, *, now: datetime) -> np.ndarray:
    """Recent activity (30 days, decayed) blended with all-time popularity, scaled to 0..1."""
    from recommender.trending import trending_scores

    recent = trending_scores(now=now, window=timedelta(days=POPULARITY_WINDOW_DAYS))
    all_time = dict(Title.objects.values_list("pk", "popularity"))
    vector = np.array(
        [recent.get(pk, 0.0) + 0.05 * np.log1p(all_time.get(pk, 0.0)) for pk in title_ids.tolist()]
    )
    top = vector.max(initial=0.0)
    return vector / top if top > 0 else vector


def release_years(title_ids: np.ndarray) -> np.ndarray:
    years = dict(Title.objects.filter(year__isnull=False).values_list("pk", "year"))
    return np.array([years.get(pk, np.nan) for pk in title_ids.tolist()], dtype=np.float64)


def training_set(*, now: datetime) -> TrainingSet:
    title_ids = catalogue_columns()
    interactions, profile_ids = interaction_matrix(title_ids)
    features, names = content_features(title_ids)
    return TrainingSet(
        interactions=interactions,
        profile_ids=profile_ids,
        title_ids=title_ids,
        item_features=features,
        feature_names=names,
        popularity=popularity_vector(title_ids, now=now),
        years=release_years(title_ids),
    )
