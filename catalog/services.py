"""Writes to the catalogue shared by the importers: genres, keywords, people, slugs, title
fields. Title statistics read viewers' activity: `profiles.services.title_stats_refresh`.

Every write that changes titles a viewer may see ends with `catalogue_changed` (directly or
through `titles_update`), which tells the rails pipeline after the commit. A raw queryset
`.update()` skips it: pages still re-check every title's ceiling as they read, so a kids
profile never sees a hidden title, but names and artwork may show stale for a few minutes.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from catalog.models import Genre, Keyword, Person, Title
from catalog.signals import titles_changed

# Fields a catalogue writer may set through titles_update (maturity_level is generated).
UPDATABLE_FIELDS = frozenset(
    f.name for f in Title._meta.concrete_fields if f.name not in {"id", "maturity_level"}
)


def catalogue_changed(*, title_ids: Iterable[int] | None = None) -> None:
    """Titles changed in this transaction (None: possibly any); tells the pipeline on commit."""
    ids = None if title_ids is None else sorted(set(title_ids))
    transaction.on_commit(lambda: titles_changed.send(sender=Title, title_ids=ids))


@transaction.atomic
def titles_update(*, title_ids: Iterable[int], **fields) -> int:
    """Set fields (a certification, a name, artwork...) on these titles; returns how many."""
    if unknown := sorted(set(fields) - UPDATABLE_FIELDS):
        raise ValueError(f"titles_update cannot set {', '.join(unknown)}")  # nosec B608: no SQL
    ids = list(title_ids)
    fields.setdefault("updated_at", timezone.now())
    updated = Title.objects.filter(pk__in=ids).update(**fields)
    catalogue_changed(title_ids=ids)
    return updated


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


def people_ensure_tmdb(people: dict[int, str]) -> dict[int, Person]:
    """People by TMDB id ({id: name}), created if missing; a changed name is updated."""
    if not people:
        return {}
    existing = {p.tmdb_id: p for p in Person.objects.filter(tmdb_id__in=list(people))}
    renamed = []
    for tmdb_id, person in existing.items():
        if person.name != people[tmdb_id]:
            person.name = people[tmdb_id]
            renamed.append(person)
    Person.objects.bulk_update(renamed, ["name"], batch_size=1000)
    missing = sorted(set(people) - existing.keys())
    if missing:
        # A name with no latin letters (slugify gives "") gets "person-<TMDB id>".
        texts = {i: people[i] if slugify(people[i]) else f"person {i}" for i in missing}
        bases = {slugify(text)[:200].strip("-") for text in texts.values()}
        taken = set(Person.objects.filter(slug__in=bases).values_list("slug", flat=True))
        for base in bases & taken:  # a name seen before: its numbered slugs too
            taken.update(
                Person.objects.filter(slug__startswith=f"{base}-").values_list("slug", flat=True)
            )
        new = [
            Person(name=people[i], tmdb_id=i, slug=slug_unique(texts[i], taken, max_length=200))
            for i in missing
        ]
        Person.objects.bulk_create(new, batch_size=1000)
        existing.update({p.tmdb_id: p for p in Person.objects.filter(tmdb_id__in=missing)})
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
