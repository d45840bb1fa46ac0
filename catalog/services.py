"""Writes to the catalogue shared by the importers: genres, keywords, people and slugs.

Title statistics read viewers' activity, so they are refreshed by
`profiles.services.title_stats_refresh`."""

from collections.abc import Iterable

from django.utils.text import slugify

from catalog.models import Genre, Keyword, Person

# Our genre vocabulary (TMDB's, without "TV Movie"); importers map their own names onto it.
GENRES = [
    "Action", "Adventure", "Animation", "Comedy", "Crime", "Documentary", "Drama", "Family",
    "Fantasy", "History", "Horror", "Music", "Mystery", "Romance", "Science Fiction",
    "Thriller", "War", "Western",
]  # fmt: skip


def genres_ensure() -> dict[str, Genre]:
    """Every genre of the vocabulary, created if missing, by name."""
    existing = {genre.name: genre for genre in Genre.objects.all()}
    missing = [Genre(name=name, slug=slugify(name)) for name in GENRES if name not in existing]
    if missing:
        Genre.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {genre.name: genre for genre in Genre.objects.all()}
    return existing


def keywords_ensure(names: Iterable[str]) -> dict[str, Keyword]:
    wanted = {name for name in names if name}
    if not wanted:
        return {}
    existing = {kw.name: kw for kw in Keyword.objects.filter(name__in=wanted)}
    missing = [Keyword(name=name) for name in wanted - existing.keys()]
    if missing:
        Keyword.objects.bulk_create(missing, ignore_conflicts=True, batch_size=1000)
        existing = {kw.name: kw for kw in Keyword.objects.filter(name__in=wanted)}
    return existing


def people_ensure(names: Iterable[str]) -> dict[str, Person]:
    """People by name; the demo catalogue treats one name as one person."""
    wanted = {name for name in names if name}
    existing = {p.name: p for p in Person.objects.filter(name__in=wanted)}
    taken = set(
        Person.objects.filter(slug__in=[slugify(n) for n in wanted]).values_list("slug", flat=True)
    )
    new = []
    for name in sorted(wanted - existing.keys()):
        new.append(Person(name=name, slug=slug_unique(name, taken)))
    Person.objects.bulk_create(new, batch_size=1000)
    existing.update({p.name: p for p in Person.objects.filter(name__in=[p.name for p in new])})
    return existing


def slug_unique(text: str, taken: set[str], *, max_length: int = 300) -> str:
    """A slug for `text` not in `taken` (which it joins); suffixes -2, -3 on collisions."""
    base = (slugify(text, allow_unicode=False) or "title")[:max_length].strip("-") or "title"
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    taken.add(slug)
    return slug


def title_slug_base(title: str, year: int | None) -> str:
    return f"{title} {year}" if year else title
