"""Curated rails put in place among a profile's rails, before the page assembles them.

Collections become rails at their position, and pins move a title to its position in a named
rail. Titles are still only ids here: `recommender.rails.rails_assemble` then drops what the
profile may not see (ceiling) or rejected, so a pinned R title is left out for kids and the
tiles after it move up.
"""

from recommender.rails import RailSpec

PINNED_REASON = "Picked by our editors"


def collection_spec(collection, title_ids: list[int]) -> RailSpec:
    return RailSpec(
        collection.rail_key,
        collection.name,
        list(title_ids),
        reasons=[PINNED_REASON] * len(title_ids),
        reason_title_ids=[None] * len(title_ids),
        description=collection.description,
    )


def curation_applied(
    specs: list[RailSpec], curation, keys: set[str] | None = None
) -> list[RailSpec]:
    """The rails with the live collections inserted (position 1 is the first rail) and the
    live pins placed in their rails (position 1 is the first tile)."""
    specs = list(specs)
    for collection, title_ids in sorted(curation.collections, key=lambda c: c[0].position):
        if keys is None or collection.rail_key in keys:
            specs.insert(
                min(collection.position - 1, len(specs)), collection_spec(collection, title_ids)
            )
    for spec in specs:
        for position, title_id in curation.pins.get(spec.key, ()):
            _pin(spec, position, title_id)
    return specs


def _pin(spec: RailSpec, position: int, title_id: int) -> None:
    """Move (or add) the title to `position` in the spec, keeping its parallel lists aligned."""
    n = len(spec.ids)
    rows = [
        (
            pk,
            spec.confidence[i] if i < len(spec.confidence) else None,
            spec.reasons[i] if i < len(spec.reasons) else "",
            spec.reason_title_ids[i] if i < len(spec.reason_title_ids) else None,
        )
        for i, pk in enumerate(spec.ids[:n])
        if pk != title_id
    ]
    rows.insert(max(position - 1, 0), (title_id, None, PINNED_REASON, None))
    spec.ids = [row[0] for row in rows]
    spec.confidence = [row[1] for row in rows]
    spec.reasons = [row[2] for row in rows]
    spec.reason_title_ids = [row[3] for row in rows]
