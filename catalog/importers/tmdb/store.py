"""Writing TMDB titles into the catalogue: one batch, one transaction, one catalogue_changed."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from catalog.importers.tmdb.gateway import ImageConfiguration
from catalog.importers.tmdb.mapping import TitleData
from catalog.models import Credit, Title
from catalog.services import (
    catalogue_changed,
    genres_ensure,
    keywords_ensure,
    people_ensure_tmdb,
    slug_unique,
    title_slug_base,
)

POSTER_SIZE, BACKDROP_SIZE = "w500", "w1280"


@dataclass
class BatchResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    title_ids: tuple[int, ...] = ()
    changed_ids: tuple[int, ...] = ()


def _size(wanted: str, sizes: tuple[str, ...]) -> str:
    return wanted if wanted in sizes else (sizes[-1] if sizes else "original")


def titles_store(
    batch: list[TitleData],
    *,
    images: ImageConfiguration,
    create: bool = True,
    in_transaction: Callable[[], None] | None = None,
) -> BatchResult:
    """Create or update the batch's titles, their genres, keywords and credits, all or nothing.

    `create=False` only updates titles we already have (the nightly sync). `in_transaction`
    runs last inside the same transaction (the sync's checkpoint), so a crash loses both."""
    result = BatchResult()
    with transaction.atomic():
        existing = {
            (t.kind, t.tmdb_id): t
            for t in Title.objects.filter(tmdb_id__in={d.tmdb_id for d in batch}).prefetch_related(
                "genres", "keywords", "credits"
            )
        }
        unique = {(d.kind, d.tmdb_id): d for d in batch}
        wanted = [d for key, d in unique.items() if create or key in existing]
        genres = genres_ensure()
        keywords = keywords_ensure(kw for d in wanted for kw in d.keywords)
        people = people_ensure_tmdb({c[0]: c[1] for d in wanted for c in d.credits})
        taken = _slugs_taken(
            [slugify(title_slug_base(d.fields["title"], d.fields["year"])) for d in wanted]
        )
        poster_size = _size(POSTER_SIZE, images.poster_sizes)
        backdrop_size = _size(BACKDROP_SIZE, images.backdrop_sizes)
        ids, changed_ids = [], []
        known = {t.pk for t in existing.values()}
        for data in wanted:
            fields = {
                **data.fields,
                "poster_url": images.url(data.poster_path, poster_size),
                "backdrop_url": images.url(data.backdrop_path, backdrop_size),
            }
            title = existing.get((data.kind, data.tmdb_id))
            if title is None:
                slug = slug_unique(title_slug_base(fields["title"], fields["year"]), taken)
                title = Title.objects.create(kind=data.kind, tmdb_id=data.tmdb_id, slug=slug,
                                             **fields)  # fmt: skip
                result.created += 1
                changed = True
            else:
                changed = any(getattr(title, k) != v for k, v in fields.items())
                if changed:
                    for name, value in fields.items():
                        setattr(title, name, value)
                    title.save()
            changed |= _relations_sync(title, data, genres, keywords, people)
            if title.pk in known:
                if changed:
                    result.updated += 1
                else:
                    result.unchanged += 1
            ids.append(title.pk)
            if changed:
                changed_ids.append(title.pk)
        if changed_ids:  # the rails pipeline hears of every title whose fields moved
            catalogue_changed(title_ids=changed_ids)
        if in_transaction is not None:
            in_transaction()
        result.title_ids, result.changed_ids = tuple(ids), tuple(changed_ids)
    return result


def _slugs_taken(bases: list[str]) -> set[str]:
    taken = set(Title.objects.filter(slug__in=bases).values_list("slug", flat=True))
    for base in set(bases) & taken:
        numbered = Title.objects.filter(slug__startswith=f"{base}-")
        taken.update(numbered.values_list("slug", flat=True))
    return taken


def _relations_sync(title: Title, data: TitleData, genres, keywords, people) -> bool:
    changed = False
    genre_ids = {genres[name].pk for name in data.genres}
    if {g.pk for g in title.genres.all()} != genre_ids:
        title.genres.set(genre_ids)
        changed = True
    keyword_ids = {keywords[name].pk for name in data.keywords}
    if {k.pk for k in title.keywords.all()} != keyword_ids:
        title.keywords.set(keyword_ids)
        changed = True
    wanted = sorted(
        (people[pid].pk, role, character, order) for pid, _, role, character, order in data.credits
    )
    current = sorted((c.person_id, c.role, c.character, c.order) for c in title.credits.all())
    if current != wanted:
        title.credits.all().delete()
        Credit.objects.bulk_create(
            Credit(title=title, person_id=pk, role=role, character=character, order=order)
            for pk, role, character, order in wanted
        )
        changed = True
    return changed
