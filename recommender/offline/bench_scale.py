"""Scale benchmark: fit the engine on a synthetic catalogue and rank a top-50 for every profile.

    python -m recommender.bench_scale            # 160,000 x 60,000 x 25,000,000 (minutes)
    python -m recommender.bench_scale --scale 0.05   # a quick smoke run

The synthetic matrix has power-law (Zipf) title popularity, log-normal profile activity and
taste communities: every title has one of 30 genres, and half of each profile's titles come
from its favourite genre, so collaborative and content signals both carry structure; each
title has a release year for the cold-start prior, as the nightly job gives it.
Prints a table of the timings and the peak resident memory (``ru_maxrss``), then times
accuracy mode (``diversity=0``) and default mode on the same sample of profiles.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time

import numpy as np
import scipy.sparse as sp

from recommender.content import build_item_features
from recommender.engine.model import Engine

N_GENRES = 30
N_KEYWORDS = 2000


def synthetic_interactions(
    n_profiles: int, n_titles: int, n_interactions: int, seed: int = 42
) -> tuple[sp.csr_matrix, np.ndarray]:
    """A binary ``n_profiles x n_titles`` CSR matrix with about ``n_interactions`` entries."""
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, n_titles + 1) ** 0.9  # Zipf-like popularity by rank
    titles_by_rank = rng.permutation(n_titles)
    genre_of_title = rng.integers(0, N_GENRES, n_titles)
    favourite = rng.integers(0, N_GENRES, n_profiles)

    sigma = 1.0
    mean_degree = n_interactions / n_profiles
    degree = rng.lognormal(np.log(mean_degree) - sigma**2 / 2, sigma, n_profiles)
    degree = np.clip(np.round(degree), 5, n_titles // 4).astype(np.int64)

    keys = np.zeros(0, dtype=np.int64)
    for attempt in range(20):  # duplicates are dropped; top up until the target is reached
        missing = n_interactions - len(keys)
        if missing <= 0:
            break
        scale = missing / degree.sum() * (1.2 + attempt)  # heavy profiles saturate: draw more
        draws = rng.poisson(degree * scale)
        users = np.repeat(np.arange(n_profiles, dtype=np.int64), draws)
        from_genre = rng.random(len(users)) < 0.5
        ranks = np.empty(len(users), dtype=np.int64)
        global_p = weights / weights.sum()
        ranks[~from_genre] = rng.choice(n_titles, size=int((~from_genre).sum()), p=global_p)
        genre_draws = np.flatnonzero(from_genre)
        genre_of_draw = favourite[users[genre_draws]]
        rank_genre = genre_of_title[titles_by_rank]
        for genre in range(N_GENRES):
            members = np.flatnonzero(rank_genre == genre)  # ranks of this genre's titles
            where = genre_draws[genre_of_draw == genre]
            if len(members) and len(where):
                p = weights[members] / weights[members].sum()
                ranks[where] = members[rng.choice(len(members), size=len(where), p=p)]
        keys = np.concatenate([keys, users * n_titles + titles_by_rank[ranks]])
        keys.sort()  # sort-based de-duplication; much faster here than np.unique's hashing
        keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])]
    if len(keys) > n_interactions:
        keys = np.sort(rng.choice(keys, size=n_interactions, replace=False))
    rows, cols = np.divmod(keys, n_titles)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n_profiles))])
    matrix = sp.csr_matrix(
        (np.ones(len(keys), dtype=np.float32), cols.astype(np.int32), indptr),
        shape=(n_profiles, n_titles),
    )
    return matrix, genre_of_title


def synthetic_features(genre_of_title: np.ndarray, seed: int = 42):
    rng = np.random.default_rng(seed + 1)
    n = len(genre_of_title)
    keywords = rng.integers(0, N_KEYWORDS, size=(n, 3))
    return build_item_features(
        genres=[[f"g{g}"] for g in genre_of_title],
        keywords=[[f"k{k}" for k in row] for row in keywords],
    )


def synthetic_years(n_titles: int, seed: int = 42) -> np.ndarray:
    """A release year per title, 1920-2025, newer years likelier (as in a real catalogue)."""
    rng = np.random.default_rng(seed + 2)
    return np.floor(2026 - 106 * rng.random(n_titles) ** 2).astype(np.float64)


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # Linux: KiB


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="shrink every size by this")
    parser.add_argument("--k", type=int, default=50)
    parser.add_argument("--batch", type=int, default=2000, help="profiles per recommend call")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--speed-sample", type=int, default=20_000, help="profiles timed in both modes"
    )
    args = parser.parse_args(argv)
    n_profiles = int(160_000 * args.scale)
    n_titles = int(60_000 * args.scale)
    n_interactions = int(25_000_000 * args.scale)

    timings = {}
    start = time.perf_counter()
    matrix, genres = synthetic_interactions(n_profiles, n_titles, n_interactions, args.seed)
    features, names = synthetic_features(genres, args.seed)
    timings["generate"] = time.perf_counter() - start
    print(
        f"synthetic matrix: {matrix.shape[0]:,} profiles x {matrix.shape[1]:,} titles, "
        f"{matrix.nnz:,} interactions; {features.shape[1]:,} content features",
        flush=True,
    )

    start = time.perf_counter()
    years = synthetic_years(n_titles, args.seed)  # the nightly job passes Title.year
    engine = Engine().fit(
        matrix, item_features=features, popularity=None, feature_names=names, item_years=years
    )
    timings["fit"] = time.perf_counter() - start
    print(f"fit done in {timings['fit']:.1f} s", flush=True)

    start = time.perf_counter()
    padded = 0
    for first in range(0, n_profiles, args.batch):
        ids, _ = engine.recommend(matrix[first : first + args.batch], k=args.k)
        padded += int((ids < 0).sum())
    timings["recommend"] = time.perf_counter() - start
    total = timings["fit"] + timings["recommend"]
    # Diversity's price: both modes on the same sample of profiles.
    sample = min(n_profiles, args.speed_sample)
    for label, diversity in (("accuracy", 0.0), ("default", None)):
        start = time.perf_counter()
        for first in range(0, sample, args.batch):
            engine.recommend(matrix[first : min(first + args.batch, sample)], k=args.k,
                             diversity=diversity)  # fmt: skip
        timings[label] = time.perf_counter() - start

    print()
    print(f"{'step':<34}{'value':>14}")
    print("-" * 48)
    print(f"{'generate synthetic data (s)':<34}{timings['generate']:>14.1f}")
    print(f"{'fit (s)':<34}{timings['fit']:>14.1f}")
    print(f"{f'recommend top-{args.k}, all profiles (s)':<34}{timings['recommend']:>14.1f}")
    print(f"{'fit + recommend (s)':<34}{total:>14.1f}")
    print(f"{f'accuracy mode, {sample:,} profiles (s)':<34}{timings['accuracy']:>14.1f}")
    print(f"{f'default mode, {sample:,} profiles (s)':<34}{timings['default']:>14.1f}")
    ratio = timings["default"] / max(timings["accuracy"], 1e-9)
    print(f"{'default / accuracy':<34}{ratio:>14.2f}")
    print(f"{'tuned at fit':<34}{json.dumps(engine.tuned)}")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"{'CPU seconds (user + system)':<34}{usage.ru_utime + usage.ru_stime:>14.1f}")
    print(f"{'peak RSS (GB)':<34}{peak_rss_gb():>14.2f}")
    print(f"{'padded slots (-1)':<34}{padded:>14,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
