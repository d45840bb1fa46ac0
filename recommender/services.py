"""Computing and storing rails: the nightly batch (recompute_recs) and one profile at a time
(after onboarding, after a signal, through `recommender.changes.rails_rescore`), both through
`rails_for_rows`.

A profile's rails are replaced in one transaction under a lock on its profile row, so an
interrupted run leaves its old rails and two writers one after the other leave one rail set.
The engine sees only the titles a profile may see now: its row is cut to them before it is
scored, so reasons, "Because you watched" sources and confidence never come from a hidden title.
"""

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

import numpy as np
import scipy.sparse as sp
from django.db import transaction
from django.utils import timezone

from catalog.models import MAX_MATURITY, Title
from curator.assignment import variants_for_households
from profiles.models import Feedback, Profile
from profiles.taste import exclusions_for
from recommender.artifacts import Bundle, bundle_current, bundle_publish
from recommender.catalogue_facts import blocked_genres, catalogue_for
from recommender.engine import Engine
from recommender.models import CachedRecommendations
from recommender.rails import FOR_YOU, ROW_FIELDS, TRENDING
from recommender.rails_draw import KEEP, Ranked, profile_rails
from recommender.selectors import scoring_rows, session_title_ids, training_set
from recommender.trending import trending_title_ids
from recommender.variants import ranked

log = logging.getLogger(__name__)

ENGINE_PARAMS: dict = {}  # the engine's defaults, measured in docs/benchmarks.md
POOL = 150  # For You candidates, also mined for the genre rails
SESSION = timedelta(minutes=30)  # a visit: the signals of the last half hour
FOR_YOU_KEPT = 30  # the first page of For You and its spares: where a liked title is put back


def engine_fit(*, now: datetime, params: dict | None = None) -> Bundle:
    """Fit on every signal and publish the model to the artifacts storage under a new version
    (recommender/artifacts.py); returns it."""
    training = training_set(now=now)
    engine = Engine(**(params or ENGINE_PARAMS)).fit(
        training.interactions,
        item_features=training.item_features,
        popularity=training.popularity,
        feature_names=training.feature_names,
        item_years=training.years,
    )
    digest = hashlib.blake2b(
        repr(sorted((params or ENGINE_PARAMS).items())).encode(), digest_size=4
    )
    # The fit's time first (versions sort by age), then the parameters, then a few random
    # characters so that two fits in one second on two hosts never share a name.
    version = f"{now:%Y%m%dT%H%M%S}-{digest.hexdigest()}-{secrets.token_hex(2)}"
    names = dict(Title.objects.values_list("pk", "title"))
    title_names = np.array([names.get(pk, "") for pk in training.title_ids.tolist()], dtype=str)
    bundle = Bundle(version, engine, training.title_ids, title_names)
    bundle_publish(bundle)
    return bundle


def _diversity(profile: Profile) -> float:
    """The novelty slider (0..1) picks the diversity of the ranking, in steps of 0.1."""
    try:
        novelty = profile.preferences.novelty
    except Profile.preferences.RelatedObjectDoesNotExist:
        novelty = 0.3
    return round(0.1 + 0.5 * novelty, 1)


def rails_for_rows(
    *, bundle: Bundle, profiles: list[Profile], user_items: sp.csr_matrix,
    sessions: list[np.ndarray] | None = None, now: datetime,
) -> dict[int, list[CachedRecommendations]]:  # fmt: skip
    """Every personal rail of each profile (row r of user_items belongs to profiles[r]). A
    profile whose rails fail is logged and left out (its stored rails stay)."""
    catalogue = catalogue_for(bundle)
    excluded = exclusions_for([p.pk for p in profiles])
    liked_before = liked_in_for_you([p.pk for p in profiles])
    result: dict[int, list[CachedRecommendations]] = {}
    # A curator experiment's variant (curator.assignment) may rank a household's rails.
    variants = variants_for_households({p.household_id for p in profiles})
    groups: dict[tuple[int, float, str], list[int]] = {}
    for row, profile in enumerate(profiles):
        label = variants.get(profile.household_id, {}).get("label", "")
        groups.setdefault((profile.effective_ceiling, _diversity(profile), label), []).append(row)
    for (ceiling, diversity, label), rows in groups.items():
        hidden = hidden_columns(bundle, ceiling)
        block = visible_only(user_items[rows], hidden)
        block_sessions = None if sessions is None else [sessions[r] for r in rows]
        rejected = _exclusion_matrix(bundle, [profiles[r] for r in rows], excluded)
        config = variants.get(profiles[rows[0]].household_id)
        ids, scores, confidence = ranked(
            bundle, block, config, k=POOL, hidden=hidden, sessions=block_sessions,
            diversity=diversity, rejected=rejected, confidence=True,
        )  # fmt: skip
        if confidence is None:  # another algorithm ranked them: where the engine puts them
            confidence = bundle.engine.confidence_for(
                block, np.where(ids >= 0, ids, 0), filter_items=hidden
            )
        strongest = [_strongest(block[offset]) for offset in range(len(rows))]
        similar = _similar_to(bundle, np.unique(np.concatenate([np.zeros(0, int), *strongest])))
        for offset, row in enumerate(rows):
            profile = profiles[row]
            excluded_columns = set(rejected[offset].indices.tolist())
            ranked_row = Ranked(block[offset], ids[offset], scores[offset], confidence[offset])
            because = {int(c): similar[int(c)] for c in strongest[offset]}
            kept = _columns_kept(bundle, liked_before.get(profile.pk, []), hidden)
            try:
                result[profile.pk] = profile_rails(
                    bundle, catalogue, profile, ranked_row, excluded_columns, hidden, because, now,
                    kept,
                )  # fmt: skip
                for rail in result[profile.pk]:
                    rail.variant = label  # stored rails carry the variant that ranked them
            except Exception:
                log.exception("rails for profile %s failed; its stored rails stay", profile.pk)
    return result


def liked_in_for_you(profile_ids: list[int]) -> dict[int, list[tuple[int, int, float]]]:
    """profile id -> (position, title id, confidence shown) of each title its current For You
    shows (the first page and its spares) that it has since given a thumbs up or a love.

    The engine never recommends what a profile already engaged with, so a thumbs up on a For
    You tile would silently take the title out of For You at the next scoring. A viewer who
    says "I like this" expects to find it where it was: those titles are put back in place."""
    liked = set(
        Feedback.objects.filter(
            profile_id__in=profile_ids,
            value__in=[Feedback.Value.THUMBS_UP, Feedback.Value.LOVE],
        ).values_list("profile_id", "title_id")
    )
    if not liked:
        return {}
    rows = CachedRecommendations.objects.filter(
        profile_id__in=profile_ids, rail_key=FOR_YOU
    ).values_list("profile_id", "title_ids", "confidence")
    return {
        profile_id: [
            (n, pk, confidence[n] if n < len(confidence) else None)
            for n, pk in enumerate(title_ids[:FOR_YOU_KEPT])
            if (profile_id, pk) in liked
        ]
        for profile_id, title_ids, confidence in rows
    }


def _columns_kept(bundle: Bundle, kept: list[tuple], hidden: np.ndarray) -> list[tuple]:
    """The (position, column, confidence) of the liked titles to put back, none now hidden."""
    if not kept:
        return []
    columns = bundle.columns_of([pk for _, pk, _ in kept])
    hidden_set = set(hidden.tolist())
    return [
        (n, int(c), confidence)
        for (n, _, confidence), c in zip(kept, columns, strict=True)
        if c >= 0 and c not in hidden_set
    ]


def hidden_columns(bundle: Bundle, ceiling: int) -> np.ndarray:
    """Columns above this ceiling, read from the titles now (a certification raised since the
    model was fitted counts at once)."""
    if ceiling >= MAX_MATURITY:
        return np.zeros(0, dtype=np.int64)
    visible = bundle.columns_of(
        Title.objects.filter(maturity_level__lte=ceiling).values_list("pk", flat=True)
    )
    mask = np.ones(len(bundle.title_ids), dtype=bool)
    mask[visible[visible >= 0]] = False
    return np.flatnonzero(mask)


def visible_only(rows: sp.csr_matrix, hidden: np.ndarray) -> sp.csr_matrix:
    """The rows with the hidden columns' signals removed, so that nothing the profile may not
    see drives its ranking, its reasons or its confidence."""
    if not len(hidden) or not rows.nnz:
        return rows
    keep = np.ones(rows.shape[1], dtype=rows.dtype)
    keep[hidden] = 0
    cut = sp.csr_matrix(rows.multiply(keep.reshape(1, -1)))
    cut.eliminate_zeros()
    return cut


def _strongest(row: sp.csr_matrix) -> np.ndarray:
    """The row's two strongest positives, most recent weight first (decay is built in)."""
    return row.indices[np.argsort(-row.data, kind="stable")][:2] if row.nnz else np.zeros(0, int)


def _similar_to(bundle: Bundle, sources: np.ndarray) -> dict[int, list[int]]:
    """Because-you-watched candidates of each source title, for a whole batch in one call."""
    if not len(sources):
        return {}
    similar, _ = bundle.engine.similar_items(sources, k=KEEP + 40, mode="hybrid")
    return dict(zip(sources.tolist(), similar.tolist(), strict=True))


def _exclusion_matrix(bundle: Bundle, profiles: list[Profile], excluded: dict) -> sp.csr_matrix:
    """Each profile's thumbs-down and not-interested titles, as rows x columns, so that the
    candidate pool never fills up with titles the rails would drop."""
    columns = [bundle.columns_of(excluded.get(p.pk, ())) for p in profiles]
    columns = [c[c >= 0] for c in columns]
    indptr = np.concatenate([[0], np.cumsum([len(c) for c in columns])])
    indices = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64)
    data = np.ones(len(indices), dtype=np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(profiles), len(bundle.title_ids)))


def rails_store(rails: dict[int, list[CachedRecommendations]]) -> int:
    """Replace the given profiles' rails in one transaction; returns the number of rails.

    The profile rows are locked first (in id order, so two writers never deadlock): a second
    writer waits and then replaces the first one's rails, instead of colliding with them. A
    profile deleted meanwhile is skipped. The caller says `rails_changed` (recommender.changes)
    in the same transaction."""
    with transaction.atomic():
        alive = list(
            Profile.objects.select_for_update()
            .filter(pk__in=list(rails))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        CachedRecommendations.objects.filter(profile_id__in=alive).delete()
        rows = [r for pk in alive for r in rails[pk]]
        CachedRecommendations.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def session_columns(bundle: Bundle, profile: Profile, *, now: datetime) -> np.ndarray:
    """Titles this profile engaged with in the current visit, oldest first, as columns."""
    columns = bundle.columns_of(session_title_ids(profile.pk, since=now - SESSION))
    return columns[columns >= 0]


def recommendations_refresh(*, profile: Profile, session: bool = True) -> list[dict]:
    """Recompute one profile's rails now (onboarding finish, feedback); returns them as rows."""
    now = timezone.now()
    bundle = bundle_current()
    if bundle is None:
        rails = {profile.pk: fallback_rails(profile=profile, now=now)}
    else:
        user_items = scoring_rows(bundle.title_ids, [profile.pk])
        sessions = [session_columns(bundle, profile, now=now)] if session else None
        if sessions is not None and not len(sessions[0]):
            sessions = None
        rails = rails_for_rows(
            bundle=bundle, profiles=[profile], user_items=user_items, sessions=sessions, now=now
        )
    rails_store(rails)
    return [_as_row(r) for r in sorted(rails[profile.pk], key=lambda r: r.position)]


def _as_row(rail: CachedRecommendations) -> dict:
    return {name: getattr(rail, name) for name in ROW_FIELDS}


def fallback_rails(*, profile: Profile, now: datetime) -> list[CachedRecommendations]:
    """Before any model exists: popular titles, in the profile's favourite genres first, none
    of a genre it blocked (as the engine's rails leave them out)."""
    weights = profile.genre_weights
    visible = (
        Title.objects.filter(maturity_level__lte=profile.effective_ceiling)
        .exclude(genres__slug__in=sorted(blocked_genres(weights)))
        .order_by("-popularity", "pk")
    )
    favourites = [g for g, w in weights.items() if w > 0]
    liked = list(
        visible.filter(genres__slug__in=favourites).distinct().values_list("pk", flat=True)[:KEEP]
    )
    popular = list(visible.values_list("pk", flat=True)[:KEEP])
    picks = list(dict.fromkeys(liked + popular))[:KEEP]
    return [
        CachedRecommendations(
            profile=profile,
            rail_key=FOR_YOU,
            heading="For You",
            position=20,
            title_ids=picks,
            reasons=[
                "Popular in your favourite genres" if pk in liked else "Popular on Marquee"
                for pk in picks
            ],
            reason_title_ids=[None] * len(picks),
            engine_version="fallback",
            computed_at=now,
        )
    ]


def shared_rails_refresh(*, now: datetime | None = None) -> list[dict]:
    """Recompute the rails every profile shares (Trending Now); safe to run concurrently. The
    caller says `rails_changed(everyone=True)`."""
    now = now or timezone.now()
    with transaction.atomic():
        rail, _ = CachedRecommendations.objects.update_or_create(
            profile=None,
            rail_key=TRENDING,
            defaults={
                "heading": "Trending Now", "position": 5, "computed_at": now,
                "title_ids": trending_title_ids(now=now), "scores": [], "confidence": [],
                "reasons": [], "reason_title_ids": [], "source_title_id": None,
            },
        )  # fmt: skip
    return [_as_row(rail)]
