"""What the recommender believes about a profile: its strongest genre and keyword affinities,
each with the signals behind it.

The weights are the recommender's own (profiles.taste: the signal weights and their decay);
an affinity is the sum of the decayed confidence of the titles that carry the genre or keyword.
Titles above the profile's ceiling are neither counted nor named.
"""

from collections import defaultdict
from dataclasses import dataclass

from catalog.models import Title, slug_url
from profiles.models import Profile
from profiles.taste import confidence_from, signals_for

TOP_GENRES = 6
TOP_KEYWORDS = 8
EVIDENCE = 3  # titles named behind each affinity

SOURCE_WORDS = {
    "rating": "rated",
    "complete": "finished",
    "feedback:up": "thumbs up",
    "feedback:love": "loved",
    "feedback:seen": "seen it",
    "watchlist_add": "added to My List",
    "view_detail": "opened",
    "click": "clicked",
    "recommendation_click": "picked from a rail",
}


@dataclass(frozen=True)
class Evidence:
    title: str
    slug: str
    signals: tuple[str, ...]

    @property
    def url(self) -> str:
        return slug_url("recommender:title", self.slug)


@dataclass(frozen=True)
class Affinity:
    name: str
    strength: int  # percent of the strongest affinity of its kind
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class TasteProfile:
    genres: list[Affinity]
    keywords: list[Affinity]

    @property
    def empty(self) -> bool:
        return not self.genres and not self.keywords


def taste_profile(profile: Profile) -> TasteProfile:
    signals = list(signals_for([profile.pk]))
    confidence = confidence_from(signals)
    weight = dict(zip(confidence.title_ids.tolist(), confidence.weights.tolist(), strict=True))
    sources: dict[int, list[str]] = defaultdict(list)
    for signal in signals:
        word = SOURCE_WORDS.get(signal.source)
        if word and signal.weight > 0 and word not in sources[signal.title_id]:
            sources[signal.title_id].append(word)
    visible = Title.objects.filter(
        pk__in=list(weight), maturity_level__lte=profile.effective_ceiling
    )
    rows = list(visible.values_list("pk", "title", "slug"))
    names = {pk: name for pk, name, _ in rows}
    slugs = {pk: slug for pk, _, slug in rows}
    through_genres = Title.genres.through.objects.filter(title_id__in=list(names))
    through_keywords = Title.keywords.through.objects.filter(title_id__in=list(names))

    def affinities(rows, top: int) -> list[Affinity]:
        totals: dict[str, float] = defaultdict(float)
        carriers: dict[str, list[int]] = defaultdict(list)
        for title_id, name in rows:
            totals[name] += weight[title_id]
            carriers[name].append(title_id)
        ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        strongest = ranked[0][1] if ranked else 1
        return [
            Affinity(
                name,
                round(100 * total / strongest),
                tuple(
                    Evidence(names[pk], slugs[pk], tuple(sources[pk]))
                    for pk in sorted(carriers[name], key=lambda pk: -weight[pk])[:EVIDENCE]
                ),
            )
            for name, total in ranked
        ]

    return TasteProfile(
        genres=affinities(through_genres.values_list("title_id", "genre__name"), TOP_GENRES),
        keywords=affinities(
            through_keywords.values_list("title_id", "keyword__name"), TOP_KEYWORDS
        ),
    )
