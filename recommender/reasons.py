"""What a tile or a title page says about why it is there: the engine's explanation in words.

A reason names a title by id; its name is added when a page reads it, and only if the profile
may see that title then (recommender/rails.py)."""

import scipy.sparse as sp

from recommender.artifacts import Bundle

Reason = tuple[str, int | None]  # text, and the title whose name follows it (read time)


def tile_reasons(bundle: Bundle, row: sp.csr_matrix, columns: list[int]) -> list[Reason]:
    """For each title, one short, true sentence from the engine's explanation of its score."""
    if not row.nnz:
        return [("Popular on Marquee", None)] * len(columns)
    if not columns:
        return []
    explained = bundle.engine.explain_items(row, columns, confidence=False)
    return [
        next(
            (r for r in (reason_parts(bundle, r) for r in e.get("reasons", [])) if r[0]),
            ("", None),
        )
        for e in explained
    ]


def reason_parts(bundle: Bundle, reason: dict) -> Reason:
    """An engine reason in words: the title it names (by id: its name is added when read), the
    feature it matched, or popularity. ("", None) when there is nothing true to say."""
    kind = reason.get("kind")
    if kind == "because_you_liked" and "item" in reason:
        return "Because you liked", int(bundle.title_ids[int(reason["item"])])
    if kind == "content" and reason.get("feature"):
        field, _, value = str(reason["feature"]).partition(":")
        if field == "word":
            return "", None
        label = {"cast": "films with ", "crew": "films by "}.get(field, "")
        return f"Matches your taste for {label}{value.replace('-', ' ').title()}", None
    if kind == "popular":
        return "Popular this week", None
    return "", None
