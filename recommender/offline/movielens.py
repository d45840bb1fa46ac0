"""Read a MovieLens directory into matrices for the offline evaluation (pure pandas, no Django).

Three layouts are understood:

* CSV layout (ml-latest, ml-latest-small, ml-20m, ml-25m): ``ratings.csv``, ``movies.csv`` and
  optionally ``tags.csv``;
* ``::`` layout (ml-1m, ml-10m): ``ratings.dat``, ``movies.dat`` and optionally ``tags.dat``,
  fields separated by ``::`` (UTF-8, or latin-1 as ml-1m is);
* ml-100k layout: ``u.data`` (tab separated) and ``u.item`` (pipe separated, latin-1, 19 genre
  flags).

Rows of the matrices are users in ascending id order, columns are movies in ascending id order
(every movie of the movie file is a column, rated or not).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from catalog.importers.movielens_files import parse_title

ML100K_GENRES = [
    "unknown",
    "Action",
    "Adventure",
    "Animation",
    "Children",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Fantasy",
    "Film-Noir",
    "Horror",
    "Musical",
    "Mystery",
    "Romance",
    "Sci-Fi",
    "Thriller",
    "War",
    "Western",
]


@dataclass
class MovieLens:
    """Ratings as (user row, movie column) codes plus per-movie metadata aligned to columns."""

    user_rows: np.ndarray  # int32, one per rating
    item_cols: np.ndarray  # int32, one per rating
    ratings: np.ndarray  # float32, one per rating
    timestamps: np.ndarray  # int64 seconds, one per rating (0 when the file has none)
    user_ids: np.ndarray  # original userId of each row
    movie_ids: np.ndarray  # original movieId of each column
    titles: list[str]
    genres: list[list[str]]  # genre names per column, "(no genres listed)" dropped
    tag_rows: np.ndarray  # user row of each tag application (-1 when the user has no ratings)
    tag_cols: np.ndarray  # movie column of each tag application
    tags: list[str]

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.user_ids), len(self.movie_ids)

    @property
    def years(self) -> np.ndarray:
        """Each title's release year, read from its name as `import_movielens` reads it into
        `Title.year` (``parse_title``: "(1995)" or a range of years), NaN if none."""
        found = [parse_title(title)[2] for title in self.titles]
        return np.array([np.nan if year is None else float(year) for year in found])


def load_movielens(directory: str | Path) -> MovieLens:
    """Load ``directory`` in either layout; raise ``FileNotFoundError`` when neither is there."""
    directory = Path(directory)
    if (directory / "ratings.csv").exists():
        ratings = pd.read_csv(directory / "ratings.csv")
        movies = pd.read_csv(directory / "movies.csv")
        tags_path = directory / "tags.csv"
        tags = (
            pd.read_csv(tags_path)
            if tags_path.exists()
            else pd.DataFrame({"userId": [], "movieId": [], "tag": []})
        )
        genre_lists = [
            [g for g in str(text).split("|") if g and g != "(no genres listed)"]
            for text in movies["genres"]
        ]
    elif (directory / "ratings.dat").exists():
        ratings = _read_dat(directory / "ratings.dat", ["userId", "movieId", "rating", "timestamp"])
        movies = _read_dat(directory / "movies.dat", ["movieId", "title", "genres"])
        tags_path = directory / "tags.dat"
        tags = (
            _read_dat(tags_path, ["userId", "movieId", "tag", "timestamp"])
            if tags_path.exists()
            else pd.DataFrame({"userId": [], "movieId": [], "tag": []})
        )
        genre_lists = [
            [g for g in str(text).split("|") if g and g != "(no genres listed)"]
            for text in movies["genres"]
        ]
    elif (directory / "u.data").exists():
        ratings = pd.read_csv(
            directory / "u.data",
            sep="\t",
            names=["userId", "movieId", "rating", "timestamp"],
        )
        item_columns = ["movieId", "title", "release", "video", "url", *ML100K_GENRES]
        movies = pd.read_csv(directory / "u.item", sep="|", names=item_columns, encoding="latin-1")
        flags = movies[ML100K_GENRES].to_numpy()
        genre_lists = [
            [g for g, on in zip(ML100K_GENRES, row, strict=True) if on and g != "unknown"]
            for row in flags
        ]
        tags = pd.DataFrame({"userId": [], "movieId": [], "tag": []})
    else:
        raise FileNotFoundError(f"{directory} has none of ratings.csv, ratings.dat or u.data")

    movies = movies.assign(_genres=genre_lists).sort_values("movieId").reset_index(drop=True)
    movie_ids = movies["movieId"].to_numpy()
    known = np.isin(ratings["movieId"].to_numpy(), movie_ids)
    ratings = ratings[known]
    user_ids = np.unique(ratings["userId"].to_numpy())

    user_rows = np.searchsorted(user_ids, ratings["userId"].to_numpy()).astype(np.int32)
    item_cols = np.searchsorted(movie_ids, ratings["movieId"].to_numpy()).astype(np.int32)

    tags = tags[np.isin(tags["movieId"].to_numpy(), movie_ids)]
    tag_users = tags["userId"].to_numpy()
    tag_rows = np.searchsorted(user_ids, tag_users).clip(0, max(len(user_ids) - 1, 0))
    tag_rows = np.where(user_ids[tag_rows] == tag_users, tag_rows, -1).astype(np.int32)
    tag_cols = np.searchsorted(movie_ids, tags["movieId"].to_numpy()).astype(np.int32)

    return MovieLens(
        user_rows=user_rows,
        item_cols=item_cols,
        ratings=ratings["rating"].to_numpy(dtype=np.float32),
        timestamps=(
            ratings["timestamp"].to_numpy(dtype=np.int64)
            if "timestamp" in ratings
            else np.zeros(len(ratings), dtype=np.int64)
        ),
        user_ids=user_ids,
        movie_ids=movie_ids,
        titles=movies["title"].astype(str).tolist(),
        genres=list(movies["_genres"]),
        tag_rows=tag_rows,
        tag_cols=tag_cols,
        tags=tags["tag"].astype(str).tolist(),
    )


def _read_dat(path: Path, names: list[str]) -> pd.DataFrame:
    """A ``::``-separated MovieLens file, parsed by pandas' C reader once every ``::`` is a
    tab (titles and tags hold no tab). ``ValueError`` names the file and line of a bad row."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    try:
        frame = pd.read_csv(
            io.StringIO(text.replace("::", "\t")), sep="\t", names=names, dtype=str,
            quoting=csv.QUOTE_NONE, keep_default_na=False,
        )  # fmt: skip
    except pd.errors.ParserError as error:
        raise ValueError(f"{path}: {error}") from None
    for name in ("userId", "movieId", "rating", "timestamp"):
        if name not in frame:
            continue
        values = pd.to_numeric(frame[name], errors="coerce")
        if values.isna().any():
            line = int(np.flatnonzero(values.isna().to_numpy())[0]) + 1
            raise ValueError(f"{path}, line {line}: {name} is not a number")
        frame[name] = values.astype(np.float32 if name == "rating" else np.int64)
    return frame


def stratified_split(
    user_rows: np.ndarray, test_fraction: float = 0.25, seed: int = 42
) -> np.ndarray:
    """Boolean mask of held-out ratings: a random ``test_fraction`` of every user's ratings.

    Each user keeps ``round((1 - test_fraction) * n)`` ratings for training (at least one) and
    holds out the rest, so every user is both trained on and evaluated.
    """
    rng = np.random.default_rng(seed)
    n = len(user_rows)
    order = np.lexsort((rng.random(n), user_rows))  # users grouped, shuffled within each user
    sorted_users = user_rows[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_users)) + 1]
    counts = np.diff(np.r_[starts, n])
    position = np.arange(n) - np.repeat(starts, counts)
    n_test = np.round(counts * test_fraction).astype(np.int64)
    n_test = np.minimum(n_test, counts - 1)
    held_out = np.zeros(n, dtype=bool)
    held_out[order] = position < np.repeat(n_test, counts)
    return held_out


def temporal_split(
    user_rows: np.ndarray, timestamps: np.ndarray, test_fraction: float = 0.2
) -> np.ndarray:
    """Boolean mask of held-out ratings: the latest ``test_fraction`` of every user's ratings.

    Ratings are ordered by time within each user (ties by position in the file); each user
    keeps at least one rating for training.
    """
    n = len(user_rows)
    order = np.lexsort((np.arange(n), timestamps, user_rows))
    sorted_users = user_rows[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_users)) + 1]
    counts = np.diff(np.r_[starts, n])
    position = np.arange(n) - np.repeat(starts, counts)
    n_test = np.minimum(np.round(counts * test_fraction).astype(np.int64), counts - 1)
    held_out = np.zeros(n, dtype=bool)
    held_out[order] = position >= np.repeat(counts - n_test, counts)
    return held_out


def to_csr(
    rows: np.ndarray, cols: np.ndarray, values: np.ndarray, shape: tuple[int, int]
) -> sp.csr_matrix:
    """Sparse matrix with duplicates summed, as float32 CSR with sorted indices."""
    matrix = sp.csr_matrix(
        (np.asarray(values, dtype=np.float32), (rows, cols)), shape=shape, dtype=np.float32
    )
    matrix.sum_duplicates()
    matrix.sort_indices()
    return matrix
