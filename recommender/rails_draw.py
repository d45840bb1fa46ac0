"""One profile's rails drawn from its ranked candidates: For You (with the titles it liked kept
where it saw them), Because you watched, and Top picks in its two favourite genres.

`recommender.services.rails_for_rows` ranks a block of profiles with the engine and hands each
profile's candidates here; the rails come back as unsaved `CachedRecommendations` rows, which
the caller stores. Titles are matrix columns until a rail is built, then title ids.
"""

from collections import Counter
from dataclasses import dataclass
from itertools import islice

import numpy as np
import scipy.sparse as sp

from profiles.models import Profile
from recommender.catalogue_facts import Catalogue, blocked_genres, preferences_applied
from recommender.models import CachedRecommendations
from recommender.rails import FOR_YOU
from recommender.reasons import tile_reasons

KEEP = 60  # titles kept per rail: a page shows 20, the rest refill it when titles are rejected
EXPLAINED = 2  # For You titles with a written reason: the hero shows it (explain ~3 ms each)


@dataclass
class Ranked:
    """One profile's row and its For You candidates from the engine."""

    row: sp.csr_matrix
    ids: np.ndarray
    scores: np.ndarray
    confidence: np.ndarray


def profile_rails(
    bundle, catalogue, profile, ranked: Ranked, excluded, hidden, because, now, kept=()
) -> list[CachedRecommendations]:
    """The profile's rails from its candidates: `excluded` and `hidden` are columns it never
    sees, `because` maps its strongest titles to their similar ones, `kept` places the liked
    titles where it saw them (`services.liked_in_for_you`)."""
    version, row = bundle.version, ranked.row
    hidden_set = set(hidden.tolist()) | excluded | set(row.indices.tolist())
    keep = [
        (c, conf, score)
        for c, conf, score in zip(
            ranked.ids.tolist(), ranked.confidence.tolist(), ranked.scores.tolist(), strict=True
        )
        if c >= 0 and c not in excluded
    ]
    keep = preferences_applied(keep, profile, catalogue)
    blocked = blocked_genres(profile.genre_weights)

    def allowed(column: int) -> bool:
        return (
            column >= 0
            and column not in hidden_set
            and not blocked.intersection(catalogue.genres[column])
        )

    rails = []

    def rail(key, heading, columns, conf=None, reasons=None, position=0, scores=None, source=None):
        columns = columns[:KEEP]
        reasons = (reasons or [])[:KEEP]
        rails.append(
            CachedRecommendations(
                profile=profile,
                rail_key=key,
                heading=heading,
                source_title_id=source,
                position=position,
                title_ids=bundle.title_ids[columns].tolist() if columns else [],
                scores=[round(float(v), 4) for v in (scores or [])[:KEEP]],
                confidence=[None if c is None else round(float(c), 3) for c in (conf or [])[:KEEP]],
                reasons=[text for text, _ in reasons],
                reason_title_ids=[named for _, named in reasons],
                engine_version=version,
                computed_at=now,
            )
        )

    if not row.nnz:
        # A profile with no signal yet: the engine's confidence only restates popularity, so
        # no "% match" is claimed (the hero and tiles show none).
        keep = [(c, None, score) for c, _, score in keep]
    liked = set()
    for n, column, shown in sorted(kept):  # liked titles stay where the viewer saw them
        if column not in excluded:
            keep = [k for k in keep if k[0] != column]
            keep.insert(min(n, len(keep)), (column, shown, 0.0))
            liked.add(column)
    for_you = [c for c, _, _ in keep]
    reasons = tile_reasons(bundle, row, for_you[:EXPLAINED])
    if liked:
        reasons += [("", None)] * (min(len(for_you), KEEP) - len(reasons))
        reasons = [
            ("You liked this", None) if column in liked else reason
            for column, reason in zip(for_you, reasons, strict=False)
        ]
    confidence, scores = [k[1] for k in keep], [k[2] for k in keep]
    if all(c is None for c in confidence):  # a cold profile: no "% match" on the rail at all
        confidence = []
    rail(FOR_YOU, "For You", for_you, confidence, reasons, position=20, scores=scores)
    # Because you watched: `because` maps the strongest positives to their similar titles. The
    # source's name is added when a page reads the rail, if the profile may see it then.
    for n, (source, columns) in enumerate(because.items()):
        picks = [c for c in columns if allowed(c)]
        pk = int(bundle.title_ids[source])
        rail(f"because-{pk}", "Because you watched", picks, position=10 + n, source=pk,
             reasons=[("Because you watched", pk)] * len(picks))  # fmt: skip
    for n, slug in enumerate(_top_genres(profile, row, catalogue)):
        in_genre = [c for c in for_you if slug in catalogue.genres[c]]
        popular = catalogue.popular_by_genre.get(slug, np.zeros(0, int)).tolist()
        fill = list(islice((c for c in popular if allowed(c)), KEEP))  # a rail keeps KEEP
        picks = list(dict.fromkeys(in_genre + fill))
        name = catalogue.genre_names.get(slug, slug)
        rail(f"genre-{slug}", f"Top picks in {name}", picks, position=30 + n)
    return rails


def _top_genres(
    profile: Profile, row: sp.csr_matrix, catalogue: Catalogue, limit: int = 2
) -> list[str]:
    """The profile's stated favourite genres, else the genres of what it liked most."""
    weights = profile.genre_weights
    stated = [g for g, w in sorted(weights.items(), key=lambda kv: -kv[1]) if w > 0]
    if len(stated) >= limit:
        return stated[:limit]
    counts: Counter[str] = Counter()
    for column, value in zip(row.indices, row.data, strict=True):
        for slug in catalogue.genres[column]:
            counts[slug] += value
    blocked = blocked_genres(weights)
    inferred = [g for g, _ in counts.most_common() if g not in stated and g not in blocked]
    return (stated + inferred)[:limit]
