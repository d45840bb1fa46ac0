"""`import_movielens`: MovieLens titles, tags, links, members and ratings into Marquee.

Everything happens in one transaction, so a failed import leaves the database as it was. The
ratings stream in chunks (memory stays flat for ml-25m) and are inserted with ON CONFLICT DO
NOTHING, so a second run creates nothing.
"""

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import connection, transaction

from catalog.importers.movielens_files import (
    RATINGS_FILE,
    BadRow,
    Movie,
    RatingRow,
    detect_layout,
    ratings_size,
    read_links,
    read_movies,
    read_ratings,
    read_tags,
)
from catalog.models import Kind, Title
from catalog.services import (
    catalogue_changed,
    genres_ensure,
    keywords_ensure,
    slug_unique,
    title_slug_base,
)
from config.db import planner_statistics_refresh
from profiles.models import Account, Profile, Rating
from profiles.services import title_stats_refresh

CHUNK = 20_000


@dataclass
class ImportReport:
    layout: str = ""
    titles: int = 0
    titles_created: int = 0
    titles_matched: int = 0
    members: int = 0
    members_created: int = 0
    ratings: int = 0
    ratings_created: int = 0
    skipped: int = 0
    skipped_examples: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        text = (
            f"MovieLens ({self.layout} layout): {self.titles:,} titles "
            f"({self.titles_created:,} new, {self.titles_matched:,} matched to existing titles), "
            f"{self.members:,} members ({self.members_created:,} new), "
            f"{self.ratings:,} ratings ({self.ratings_created:,} new); "
            f"{self.skipped:,} bad rows skipped; {self.seconds:.1f} s."
        )
        return text


def movielens_import(
    *, root: Path, skip_bad: bool = False, progress_factory: Callable | None = None
) -> ImportReport:
    report = ImportReport()
    started = time.perf_counter()

    def on_bad(error: BadRow) -> None:
        if not skip_bad:
            raise error
        report.skipped += 1
        if len(report.skipped_examples) < 5:
            report.skipped_examples.append(str(error))

    report.layout = layout = detect_layout(root)
    movies = read_movies(root, layout, on_bad)
    links = read_links(root, on_bad) if layout == "csv" else {}
    tags = read_tags(root, on_bad, layout=layout) if layout in ("csv", "dat") else {}
    with transaction.atomic():
        title_ids = _titles_upsert(movies, links, tags, report)
        touched = _ratings_import(root, layout, title_ids, on_bad, report, progress_factory)
        if touched:
            title_stats_refresh(touched if len(touched) < 5000 else None)
        catalogue_changed(title_ids=title_ids.values())
    planner_statistics_refresh()
    report.titles = len(title_ids)
    report.seconds = time.perf_counter() - started
    return report


def _titles_upsert(movies, links, tags, report) -> dict[int, int]:
    """movieId -> Title pk, creating the titles that do not exist yet."""
    existing = dict(
        Title.objects.filter(movielens_id__in=list(movies)).values_list("movielens_id", "pk")
    )
    new_movies = [movie for ml_id, movie in movies.items() if ml_id not in existing]
    if not new_movies:
        return existing
    # A title already in the catalogue (e.g. from the demo) is matched by name and year.
    by_name = {
        (name.lower(), year): pk
        for pk, name, year in Title.objects.filter(
            kind=Kind.MOVIE, movielens_id__isnull=True
        ).values_list("pk", "title", "year")
    }
    used_tmdb = set(
        Title.objects.filter(kind=Kind.MOVIE, tmdb_id__isnull=False).values_list(
            "tmdb_id", flat=True
        )
    )
    taken = set(Title.objects.values_list("slug", flat=True))
    genres = genres_ensure()
    to_create: list[tuple[Movie, Title]] = []
    for movie in new_movies:
        imdb, tmdb = links.get(movie.movielens_id, ("", None))
        if tmdb in used_tmdb:
            tmdb = None  # MovieLens links a few TMDB ids twice; the first keeps it
        elif tmdb is not None:
            used_tmdb.add(tmdb)
        match = by_name.pop((movie.title.lower(), movie.year), None)
        if match is not None:
            Title.objects.filter(pk=match).update(movielens_id=movie.movielens_id)
            existing[movie.movielens_id] = match
            report.titles_matched += 1
            continue
        title = Title(
            kind=Kind.MOVIE,
            title=movie.title,
            original_title=movie.original_title,
            slug=slug_unique(title_slug_base(movie.title, movie.year), taken),
            year=movie.year,
            movielens_id=movie.movielens_id,
            imdb_id=imdb,
            tmdb_id=tmdb,
        )
        to_create.append((movie, title))
    Title.objects.bulk_create([title for _, title in to_create], batch_size=2000)
    report.titles_created = len(to_create)
    keywords = keywords_ensure(
        kw for movie, _ in to_create for kw in (*movie.keywords, *tags.get(movie.movielens_id, ()))
    )
    genre_links, keyword_links = [], []
    for movie, title in to_create:
        existing[movie.movielens_id] = title.pk
        genre_links += [
            Title.genres.through(title_id=title.pk, genre_id=genres[name].pk)
            for name in movie.genres
        ]
        names = dict.fromkeys((*movie.keywords, *tags.get(movie.movielens_id, ())))
        keyword_links += [
            Title.keywords.through(title_id=title.pk, keyword_id=keywords[name].pk)
            for name in names
        ]
    Title.genres.through.objects.bulk_create(genre_links, batch_size=5000)
    Title.keywords.through.objects.bulk_create(keyword_links, batch_size=5000)
    return existing


def _ratings_import(root, layout, title_ids, on_bad, report, progress_factory) -> set[int]:
    path = root / RATINGS_FILE[layout]
    members = dict(
        Profile.objects.filter(movielens_user_id__isnull=False).values_list(
            "movielens_user_id", "pk"
        )
    )
    seen_members: set[int] = set()
    touched: set[int] = set()
    progress = progress_factory(ratings_size(root, layout)) if progress_factory else None
    table = connection.ops.quote_name(Rating._meta.db_table)
    # The table name comes from the model, quoted; values are parameters.
    sql = (
        f"INSERT INTO {table} (profile_id, title_id, value, created_at) VALUES (%s, %s, %s, %s) "  # nosec B608
        "ON CONFLICT (profile_id, title_id) DO NOTHING"
    )
    adapt = connection.ops.adapt_datetimefield_value
    rows = read_ratings(root, layout, on_bad, progress)
    try:
        while chunk := list(itertools.islice(rows, CHUNK)):
            chunk = [row for row in chunk if _known_movie(row, title_ids, path, on_bad)]
            new_users = {row.user_id for row in chunk} - members.keys()
            if new_users:
                members.update(_members_create(sorted(new_users)))
                report.members_created += len(new_users)
            seen_members.update(row.user_id for row in chunk)
            params = [
                (
                    members[r.user_id],
                    title_ids[r.movie_id],
                    Decimal(f"{r.value:.1f}"),
                    adapt(r.rated_at),
                )
                for r in chunk
            ]
            with connection.cursor() as cursor:
                cursor.executemany(sql, params)
                created = max(cursor.rowcount, 0)
            report.ratings += len(chunk)
            report.ratings_created += created
            if created:
                touched.update(title_ids[r.movie_id] for r in chunk)
    finally:
        if progress is not None:
            progress.close()
    report.members = len(seen_members)
    return touched


def _known_movie(row: RatingRow, title_ids: dict[int, int], path: Path, on_bad) -> bool:
    if row.movie_id in title_ids:
        return True
    on_bad(BadRow(path, row.line, f"unknown movie id {row.movie_id} (not in the movies file)"))
    return False


def _members_create(user_ids: list[int]) -> dict[int, int]:
    """One synthetic account and profile per MovieLens user; they can never log in."""
    accounts = [
        Account(
            email=f"movielens-{user_id}@members.invalid",
            password="!",  # an unusable password
            is_active=False,
            is_synthetic=True,
            first_name=f"MovieLens user {user_id}",
        )
        for user_id in user_ids
    ]
    Account.objects.bulk_create(accounts, batch_size=2000)
    profiles = [
        Profile(household=account, name=f"MovieLens {user_id}", movielens_user_id=user_id)
        for user_id, account in zip(user_ids, accounts, strict=True)
    ]
    Profile.objects.bulk_create(profiles, batch_size=2000)
    return {profile.movielens_user_id: profile.pk for profile in profiles}
