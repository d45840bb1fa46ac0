"""Reading MovieLens files: the CSV layout (ml-latest-small, ml-25m), the ``::`` layout (ml-1m,
ml-10m: ``movies.dat``, ``ratings.dat``, optional ``tags.dat``) and the ml-100k layout.

Pure parsing with line numbers; nothing here touches the database. Every problem becomes a
`BadRow` naming the file and line, which the importer either raises or counts and skips.
"""

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

# MovieLens genre -> our genres. IMAX is a format, not a genre: it becomes a keyword.
GENRE_MAP: dict[str, tuple[str, ...]] = {
    "Action": ("Action",),
    "Adventure": ("Adventure",),
    "Animation": ("Animation",),
    "Children": ("Family",),
    "Children's": ("Family",),
    "Comedy": ("Comedy",),
    "Crime": ("Crime",),
    "Documentary": ("Documentary",),
    "Drama": ("Drama",),
    "Fantasy": ("Fantasy",),
    "Film-Noir": ("Crime", "Mystery"),
    "Horror": ("Horror",),
    "Musical": ("Music",),
    "Mystery": ("Mystery",),
    "Romance": ("Romance",),
    "Sci-Fi": ("Science Fiction",),
    "Thriller": ("Thriller",),
    "War": ("War",),
    "Western": ("Western",),
}
KEYWORD_GENRES = {"IMAX": "imax", "Film-Noir": "film noir"}
NO_GENRES = {"(no genres listed)", "unknown"}
ML100K_GENRES = [
    "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime",
    "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance",
    "Sci-Fi", "Thriller", "War", "Western",
]  # fmt: skip

HEADERS = {
    "movies.csv": ["movieId", "title", "genres"],
    "ratings.csv": ["userId", "movieId", "rating", "timestamp"],
    "links.csv": ["movieId", "imdbId", "tmdbId"],
    "tags.csv": ["userId", "movieId", "tag", "timestamp"],
}
_YEAR = re.compile(r"\s*\((\d{4})(?:[\u2013-]\d{0,4})?\)\s*$")  # "(1995)" or "(2006\u20132007)"
_ARTICLES = (
    "The",
    "A",
    "An",
    "Les",
    "La",
    "Le",
    "L'",
    "Il",
    "El",
    "Das",
    "Der",
    "Die",
    "Los",
    "Las",
)


class BadRow(Exception):
    """A problem in an input file, with where it is."""

    def __init__(self, path: Path, line: int | None, message: str):
        self.path, self.line, self.message = path, line, message
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Movie:
    movielens_id: int
    title: str
    original_title: str
    year: int | None
    genres: tuple[str, ...]
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class RatingRow:
    line: int
    user_id: int
    movie_id: int
    value: float
    rated_at: datetime


# layout, its movies file, its ratings file, its name in messages
LAYOUTS = (
    ("csv", "movies.csv", "ratings.csv", "CSV"),
    ("dat", "movies.dat", "ratings.dat", "::"),
    ("ml-100k", "u.item", "u.data", "ml-100k"),
)


def detect_layout(root: Path) -> str:
    if not root.is_dir():
        raise BadRow(root, None, "no such directory")
    for layout, movies, ratings, name in LAYOUTS:
        if (root / movies).is_file():
            if not (root / ratings).is_file():
                raise BadRow(
                    root / ratings,
                    None,
                    f"missing file ({movies} is here, so the {name} layout needs {ratings} too)",
                )
            return layout
    expected = " or ".join(f"{movies} + {ratings}" for _, movies, ratings, _ in LAYOUTS)
    raise BadRow(root, None, f"no MovieLens files here: expected {expected}")


def _fix_article(name: str) -> str:
    """'Godfather, The' -> 'The Godfather'."""
    for article in _ARTICLES:
        suffix = f", {article}"
        if name.endswith(suffix):
            joiner = "" if article.endswith("'") else " "
            return f"{article}{joiner}{name[: -len(suffix)]}"
    return name


def parse_title(raw: str) -> tuple[str, str, int | None]:
    """'City of Lost Children, The (Cité des enfants perdus, La) (1995)' ->
    ('The City of Lost Children', 'La Cité des enfants perdus', 1995)."""
    text = raw.strip()
    year = None
    match = _YEAR.search(text)
    if match:
        year = int(match.group(1))
        text = text[: match.start()].strip()
    original = ""
    alt = re.search(r"\s\(([^()]+)\)$", text)
    if alt and text[: alt.start()].strip():
        original = alt.group(1).strip()
        text = text[: alt.start()].strip()
        if original.lower().startswith("a.k.a. "):
            original = original[7:]
        original = _fix_article(original)
    return _fix_article(text) or raw.strip(), original, year


def map_genres(names: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    genres: list[str] = []
    keywords: list[str] = []
    for name in names:
        if name in NO_GENRES or not name:
            continue
        if name in KEYWORD_GENRES:
            keywords.append(KEYWORD_GENRES[name])
        mapped = GENRE_MAP.get(name)
        if mapped is None and name not in KEYWORD_GENRES:
            raise ValueError(f"unknown MovieLens genre {name!r}")
        for genre in mapped or ():
            if genre not in genres:
                genres.append(genre)
    return tuple(genres), tuple(keywords)


def _lines(path: Path, encoding: str, progress) -> Iterator[str]:
    """The file's lines, each decoded on its own: a text-mode file decodes ahead in blocks,
    so its decoding error would name a line well before the bad byte."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if progress is not None:
                progress.update(len(raw))
            try:
                line = raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise BadRow(path, number, f"not {encoding} text: {exc.reason}") from None
            if "\x00" in line:
                raise BadRow(path, number, "NUL character in the line")
            yield line


def _csv_rows(path: Path, progress=None, *, delimiter=",", header=True, encoding="utf-8"):
    """(line number, fields) for each row, after checking the header."""
    if not path.is_file():
        raise BadRow(path, None, "missing file")
    reader = csv.reader(_lines(path, encoding, progress), delimiter=delimiter, strict=True)
    try:
        if header:
            first = next(reader, None)
            expected = HEADERS[path.name]
            if first != expected:
                raise BadRow(
                    path,
                    1,
                    f"wrong header {','.join(first or [])!r}; expected {','.join(expected)!r}",
                )
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            yield reader.line_num, fields
    except csv.Error as exc:
        raise BadRow(path, reader.line_num, f"malformed CSV: {exc}") from None


def _dat_encoding(path: Path) -> str:
    """ml-10m's .dat files are UTF-8, ml-1m's latin-1: UTF-8 when the whole file decodes."""
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return "latin-1"
    return "utf-8"


def _dat_rows(path: Path, n_fields: int, progress=None, *, encoding=None):
    """(line number, fields) of a ``::``-separated file; only the last field may hold ``::``."""
    if not path.is_file():
        raise BadRow(path, None, "missing file")
    encoding = encoding or _dat_encoding(path)
    for number, line in enumerate(_lines(path, encoding, progress), start=1):
        line = line.rstrip("\r\n")
        if line.strip():
            yield number, line.split("::", n_fields - 1)


def read_movies(root: Path, layout: str, on_bad) -> dict[int, Movie]:
    movies: dict[int, Movie] = {}
    if layout == "csv":
        path = root / "movies.csv"
        rows = _csv_rows(path)
    elif layout == "dat":
        path = root / "movies.dat"
        rows = _dat_rows(path, 3)
    else:
        path = root / "u.item"
        rows = _csv_rows(path, delimiter="|", header=False, encoding="latin-1")
    for line, fields in rows:
        try:
            movie = _movie_from_fields(fields, layout)
        except ValueError as exc:
            on_bad(BadRow(path, line, str(exc)))
            continue
        if movie.movielens_id in movies:
            on_bad(BadRow(path, line, f"duplicate movie id {movie.movielens_id}"))
            continue
        movies[movie.movielens_id] = movie
    return movies


def _movie_from_fields(fields: list[str], layout: str) -> Movie:
    if layout in ("csv", "dat"):
        if len(fields) != 3:
            raise ValueError(f"expected 3 fields (movieId,title,genres), got {len(fields)}")
        movie_id, raw_title, raw_genres = fields
        genre_names = raw_genres.split("|")
    else:
        if len(fields) != 24:
            raise ValueError(f"expected 24 '|'-separated fields, got {len(fields)}")
        movie_id, raw_title = fields[0], fields[1]
        flags = fields[5:]
        if any(flag not in ("0", "1") for flag in flags):
            raise ValueError("genre flags must be 0 or 1")
        genre_names = [name for name, flag in zip(ML100K_GENRES, flags, strict=True) if flag == "1"]
    movielens_id = _positive_int(movie_id, "movie id")
    if not raw_title.strip():
        raise ValueError("empty title")
    title, original, year = parse_title(raw_title)
    genres, keywords = map_genres(genre_names)
    return Movie(movielens_id, title[:300], original[:300], year, genres, keywords)


def _positive_int(raw: str, what: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{what} {raw!r} is not an integer") from None
    if value <= 0:
        raise ValueError(f"{what} {value} is not positive")
    return value


def read_links(root: Path, on_bad) -> dict[int, tuple[str, int | None]]:
    """movieId -> (IMDb id 'tt0114709', TMDB id or None). Optional file."""
    path = root / "links.csv"
    links: dict[int, tuple[str, int | None]] = {}
    if not path.is_file():
        return links
    for line, fields in _csv_rows(path):
        try:
            if len(fields) != 3:
                raise ValueError(f"expected 3 fields (movieId,imdbId,tmdbId), got {len(fields)}")
            movie_id = _positive_int(fields[0], "movie id")
            raw_imdb = fields[1].strip()
            if raw_imdb and not raw_imdb.isdigit():
                raise ValueError(f"IMDb id {raw_imdb!r} is not a number")
            imdb = f"tt{int(raw_imdb):07d}" if raw_imdb else ""
            tmdb = _positive_int(fields[2], "TMDB id") if fields[2].strip() else None
        except ValueError as exc:
            on_bad(BadRow(path, line, str(exc)))
            continue
        links[movie_id] = (imdb, tmdb)
    return links


def read_tags(
    root: Path, on_bad, *, layout: str = "csv", per_movie: int = 10
) -> dict[int, list[str]]:
    """movieId -> its most used tags (lower-cased), at most `per_movie`. Optional file."""
    path = root / ("tags.dat" if layout == "dat" else "tags.csv")
    if not path.is_file():
        return {}
    counts: dict[int, dict[str, int]] = {}
    rows = _dat_rows(path, 4) if layout == "dat" else _csv_rows(path)
    for line, fields in rows:
        if len(fields) != 4:
            on_bad(
                BadRow(
                    path,
                    line,
                    f"expected 4 fields (userId,movieId,tag,timestamp), got {len(fields)}",
                )
            )
            continue
        try:
            movie_id = _positive_int(fields[1], "movie id")
        except ValueError as exc:
            on_bad(BadRow(path, line, str(exc)))
            continue
        tag = " ".join(fields[2].lower().split())[:100]
        if tag:
            bucket = counts.setdefault(movie_id, {})
            bucket[tag] = bucket.get(tag, 0) + 1
    return {
        movie_id: [
            tag for tag, _ in sorted(tags.items(), key=lambda kv: (-kv[1], kv[0]))[:per_movie]
        ]
        for movie_id, tags in counts.items()
    }


RATINGS_FILE = {layout: ratings for layout, _, ratings, _ in LAYOUTS}


def ratings_size(root: Path, layout: str) -> int:
    return (root / RATINGS_FILE[layout]).stat().st_size


def read_ratings(root: Path, layout: str, on_bad, progress=None) -> Iterator[RatingRow]:
    path = root / RATINGS_FILE[layout]
    if layout == "csv":
        rows = _csv_rows(path, progress)
    elif layout == "dat":  # numbers only: latin-1 never fails and reads ASCII as it is
        rows = _dat_rows(path, 4, progress, encoding="latin-1")
    else:
        rows = _csv_rows(path, progress, delimiter="\t", header=False, encoding="latin-1")
    for line, fields in rows:
        try:
            yield _rating_from_fields(line, fields)
        except ValueError as exc:
            on_bad(BadRow(path, line, str(exc)))


def _rating_from_fields(line: int, fields: list[str]) -> RatingRow:
    if len(fields) != 4:
        raise ValueError(f"expected 4 fields (user, movie, rating, timestamp), got {len(fields)}")
    user_id = _positive_int(fields[0], "user id")
    movie_id = _positive_int(fields[1], "movie id")
    try:
        value = float(fields[2])
    except ValueError:
        raise ValueError(f"rating {fields[2]!r} is not a number") from None
    if not 0.5 <= value <= 5 or value * 2 != int(value * 2):
        raise ValueError(f"rating {fields[2]} is not between 0.5 and 5 in half stars")
    try:
        rated_at = datetime.fromtimestamp(int(fields[3]), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise ValueError(f"timestamp {fields[3]!r} is not a Unix time") from None
    return RatingRow(line, user_id, movie_id, value, rated_at)
