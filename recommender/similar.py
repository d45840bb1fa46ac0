"""The title page's recommendations: why this title suits the profile, and three carousels —
More like this (hybrid), Shared cast (people in common) and Same vibe (content only)."""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from django.core.cache import cache
from django.db.models import Count

from catalog.models import Credit, Title
from catalog.selectors import names_visible, titles_for_tiles
from profiles.models import Profile
from recommender.artifacts import Bundle, bundle_current
from recommender.rails import RAIL_SIZE, Rail, Tile
from recommender.reasons import reason_parts
from recommender.selectors import scoring_rows
from recommender.services import catalogue_for, hidden_columns, visible_only
from recommender.versions import versions_read

CAROUSEL_POOL = 60
ROW_SECONDS = 10 * 60
REASONS_FROM = 0.3  # below this match, small contributions would read as false praise


@dataclass
class Explanation:
    confidence: float
    reasons: list[str]

    @property
    def match_percent(self) -> int:
        return round(100 * self.confidence)


def title_explanation(*, profile: Profile, title: Title) -> Explanation | None:
    """The engine's reasons for this title and this profile, or None without a model or history."""
    bundle = bundle_current()
    if bundle is None:
        return None
    column = int(bundle.columns_of([title.pk])[0])
    if column < 0:
        return None
    row = _profile_row(bundle, profile)
    # Only what the profile may see now explains a title to it (and sets the confidence).
    row = visible_only(row, hidden_columns(bundle, profile.effective_ceiling))
    if not row.nnz:
        return None
    explanation = bundle.engine.explain(row, column)
    confidence = float(explanation.get("confidence", 0.0))
    if confidence < REASONS_FROM:
        return Explanation(confidence, ["Not much like what you usually watch"])
    parts = [reason_parts(bundle, r) for r in explanation.get("reasons", [])]
    cited = {pk for _, pk in parts if pk}
    visible = names_visible(cited, ceiling=profile.effective_ceiling)
    names = {pk: name for pk, (name, _) in visible.items()}
    reasons = [
        f"{text} {names[pk]}" if pk else text
        for text, pk in parts
        if text and (not pk or pk in names)
    ]
    return Explanation(confidence, list(dict.fromkeys(reasons))[:3])


def _profile_row(bundle: Bundle, profile: Profile) -> sp.csr_matrix:
    """The profile's decayed signals over the model's columns. Its title pages share it until
    the profile's rails version moves (every signal moves it, through `rails_changed`) or the
    model changes; it expires after ROW_SECONDS, which bounds how stale the decay gets."""
    own, _ = versions_read(profile)
    key = f"profilerow:{profile.pk}:{own}:{bundle.version}"
    found = cache.get(key)
    if found is not None:
        columns, weights = found
        rows = np.zeros(len(columns), dtype=np.int32)
        return sp.csr_matrix((weights, (rows, columns)), shape=(1, len(bundle.title_ids)))
    row = scoring_rows(bundle.title_ids, [profile.pk])
    cache.set(key, (row.indices, row.data), ROW_SECONDS)
    return row


def title_carousels(
    *, ceiling: int, title: Title, size: int = RAIL_SIZE, whole: bool = True
) -> list[Rail]:
    """The title page's carousels as a profile with this ceiling sees them, up to `size` tiles
    each (a page shows RAIL_SIZE; more leaves spares for titles a profile rejected).

    Candidates are ranked by id first; only the tiles that will show are then fetched whole,
    and with `whole=False` not even those: the tiles carry title ids for `tiles_draw`, which
    reads only the titles whose tiles it has not drawn already."""
    bundle = bundle_current()
    carousels = [
        ("more-like-this", "More like this", _similar(bundle, title, "hybrid")),
        ("shared-cast", "Shared cast and crew", _shared_people(title)),
        ("same-vibe", "Same vibe", _similar(bundle, title, "content")),
    ]
    wanted = {pk for _, _, ids in carousels for pk in ids} - {title.pk}
    visible = names_visible(wanted, ceiling=ceiling)
    chosen = [
        (key, heading, [pk for pk in ids if pk in visible][:size])
        for key, heading, ids in carousels
    ]
    titles = {}
    if whole:
        shown = {pk for _, _, ids in chosen for pk in ids}
        titles = {t.pk: t for t in titles_for_tiles(Title.objects.filter(pk__in=shown))}
    return [
        Rail(key, heading, [Tile(titles.get(pk), title_id=pk) for pk in ids], has_page=False)
        for key, heading, ids in chosen
        if ids
    ]


def _similar(bundle: Bundle | None, title: Title, mode: str) -> list[int]:
    if bundle is None:
        return _same_genres(title)
    column = int(bundle.columns_of([title.pk])[0])
    if column < 0 or (mode == "content" and bundle.engine.features is None):
        return _same_genres(title)
    ids, _ = bundle.engine.similar_items(np.array([column]), k=CAROUSEL_POOL, mode=mode)
    catalogue_for(bundle)  # keeps the column facts warm for the rails that follow
    return [int(bundle.title_ids[c]) for c in ids[0].tolist() if c >= 0]


def _same_genres(title: Title) -> list[int]:
    """Without a model: titles sharing the most genres, most popular first."""
    genres = list(title.genres.values_list("pk", flat=True))
    return list(
        Title.objects.filter(genres__in=genres)
        .exclude(pk=title.pk)
        .annotate(shared=Count("genres"))
        .order_by("-shared", "-popularity")
        .values_list("pk", flat=True)[:CAROUSEL_POOL]
    )


def _shared_people(title: Title) -> list[int]:
    people = Credit.objects.filter(title=title).values("person")
    return list(
        Credit.objects.filter(person__in=people)
        .exclude(title=title)
        .values("title")
        .annotate(shared=Count("person", distinct=True))
        .order_by("-shared", "-title__popularity")
        .values_list("title", flat=True)[:CAROUSEL_POOL]
    )
