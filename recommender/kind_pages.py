"""The Movies and Series pages: the profile's own rails cut to one kind, plus rails of that
kind read live (popular, top rated, popular in its favourite genres).

Everything goes through the home page's machinery: `rows_ready` (stored rails, computed when
missing), `rail_specs` and `rails_assemble` (every title checked against the ceiling and the
profile's exclusions now), and the rendered HTML is cached under the same rails versions that
`rails_changed` moves, so there is no second invalidation path.
"""

from dataclasses import replace

from catalog.models import Kind
from profiles.models import Profile
from profiles.selectors import titles_for_profile
from recommender.pages import cached_render, rows_ready, shown_title_ids
from recommender.rails import FOR_YOU, TRENDING, Rail, RailSpec, Tile, rail_specs, rails_assemble

LIVE = 60  # titles read for each live rail (a page shows 20; spares cover rejections)
TOP_RATED_MIN_VOTES = 50  # fewer votes than this make an average too noisy to rank on
PLURAL = {Kind.MOVIE: "Movies", Kind.SERIES: "Series"}
HEADINGS = {
    TRENDING: "Trending {plural}",
    FOR_YOU: "{plural} for you",
    "continue": "Continue watching",
    "my-list": "{plural} on My List",
    "new": "New {plural_lower}",
}


def kind_rails(
    profile: Profile, kind: str, *, only: set[str] | None = None, whole: bool = True
) -> tuple[Tile | None, list[Rail]]:
    """The hero and rails of the Movies (kind "movie") or Series page: the stored rails
    (For You, Because you watched, Top picks in the profile's genres, Trending) and the live
    ones (Continue watching, My List, New) cut to the kind, then popular and top rated.
    `whole` as `rails_assemble`'s."""
    personal, shared, excluded = rows_ready(profile)
    specs = rail_specs(profile, personal, shared) + _live_specs(profile, kind)
    of_kind = set(
        titles_for_profile(profile)
        .filter(kind=kind, pk__in={pk for spec in specs for pk in spec.ids})
        .values_list("pk", flat=True)
    )
    names = {"plural": PLURAL[kind], "plural_lower": PLURAL[kind].lower()}
    cut = []
    for spec in specs:
        spec = _cut(spec, of_kind)
        if spec.key in HEADINGS:
            spec.heading = HEADINGS[spec.key].format(**names)
        elif spec.key.startswith("genre-"):
            spec.heading = f"{spec.heading} {names['plural_lower']}"
        if spec.ids or spec.key == FOR_YOU:
            cut.append(spec)
    hero, rails = rails_assemble(profile, cut, excluded=excluded, only=only, whole=whole)
    for rail in rails:
        rail.has_page = False  # /rails/<key>/ shows both kinds
    return hero, rails


def _cut(spec: RailSpec, of_kind: set[int]) -> RailSpec:
    """The rail with only the titles of this kind, its parallel lists kept aligned."""
    keep = [i for i, pk in enumerate(spec.ids) if pk in of_kind]

    def pick(values: list) -> list:
        return [values[i] for i in keep if i < len(values)] if values else []

    return replace(
        spec, ids=[spec.ids[i] for i in keep], confidence=pick(spec.confidence),
        reasons=pick(spec.reasons), reason_title_ids=pick(spec.reason_title_ids), empty_hint="",
    )  # fmt: skip


def _live_specs(profile: Profile, kind: str) -> list[RailSpec]:
    visible = titles_for_profile(profile).filter(kind=kind)
    plural = PLURAL[kind].lower()
    popular = visible.order_by("-popularity", "pk")
    top_rated = visible.filter(vote_count__gte=TOP_RATED_MIN_VOTES).order_by(
        "-vote_average", "-vote_count", "pk"
    )
    specs = [
        RailSpec(f"popular-{kind}", f"Popular {plural}", _ids(popular)),
        RailSpec(f"top-rated-{kind}", f"Top rated {plural}", _ids(top_rated)),
    ]
    return specs


def _ids(queryset) -> list[int]:
    return list(queryset.values_list("pk", flat=True)[:LIVE])


def kind_body(request, kind: str) -> str:
    """The page's body HTML, cached per profile under its rails versions (as the home page)."""

    def context():
        hero, rails = kind_rails(request.profile, kind, whole=False)
        return {"hero": hero, "rails": rails, "kind": kind}, shown_title_ids(hero, rails)

    path = f"/{PLURAL[kind].lower()}/"
    return cached_render(
        request, f"kind-{kind}", "recommender/kind_body.html", context, page_path=path
    )
