"""Memory of `import_movielens` at ml-25m scale, on synthetic files in the ml-25m CSV layout.

    .venv/bin/python bench/import_scale.py [--ratings 25000000] [--write]

Writes 62,423 movies and N ratings (162,541 users, power-law popularity) to a temporary folder,
imports them into a fresh SQLite database in a temporary folder (or the DATABASE_URL given),
and prints wall time and peak RSS of the import process. No MovieLens data is used or needed.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from benchmarks_doc import section_write

ROOT = Path(__file__).resolve().parent.parent
MOVIES, USERS = 62_423, 162_541
GENRES = ["Action", "Comedy", "Drama", "Thriller", "Romance", "Sci-Fi", "Children", "Horror"]


def write_files(folder: Path, ratings: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    with (folder / "movies.csv").open("w") as out:
        out.write("movieId,title,genres\n")
        for movie in range(1, MOVIES + 1):
            genres = "|".join(sorted(set(rng.choice(GENRES, size=rng.integers(1, 4)))))
            out.write(f"{movie},Synthetic Film {movie} ({1950 + movie % 70}),{genres}\n")
    popularity = 1.0 / np.arange(1, MOVIES + 1) ** 0.9
    popularity /= popularity.sum()
    per_user = np.maximum(1, rng.poisson(ratings / USERS, USERS))
    per_user = (per_user * ratings / per_user.sum()).astype(np.int64)
    per_user[-1] += ratings - per_user.sum()
    with (folder / "ratings.csv").open("w") as out:
        out.write("userId,movieId,rating,timestamp\n")
        for user, count in enumerate(per_user, start=1):
            count = int(min(count, MOVIES // 2))
            # Draw extra and keep `count` distinct titles, so the total comes out as asked.
            drawn = np.unique(rng.choice(MOVIES, size=count * 2, p=popularity)) + 1
            movies = np.sort(rng.permutation(drawn)[:count])
            stars = rng.integers(1, 11, size=len(movies)) / 2
            times = rng.integers(1_000_000_000, 1_600_000_000, size=len(movies))
            out.write(
                "".join(
                    f"{user},{m},{s:.1f},{t}\n"
                    for m, s, t in zip(movies, stars, times, strict=True)
                )
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ratings", type=int, default=25_000_000)
    parser.add_argument(
        "--write", action="store_true", help="record the result in docs/benchmarks.md"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        write_files(folder, args.ratings)
        rows = sum(1 for _ in (folder / "ratings.csv").open()) - 1
        print(f"generated {rows:,} ratings in {time.perf_counter() - started:.0f} s", flush=True)
        env = {**os.environ, "MARQUEE_VAR_DIR": str(folder / "var")}
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        started = time.perf_counter()
        command = [sys.executable, "manage.py", "import_movielens", str(folder), "-v0"]
        result = subprocess.run(
            ["/usr/bin/time", "-v", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - started
        if result.returncode:
            sys.exit(result.stderr[-2000:])
        peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)[1])
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    table = [
        "| ratings | database | wall time | peak RSS of the import |",
        "|---|---|---|---|",
        f"| {rows:,} | {database} | {seconds / 60:.1f} min | {peak_kb / 1024 / 1024:.2f} GB |",
    ]
    print(result.stdout.strip())
    print("\n".join(table))
    if args.write:
        about = (
            "Synthetic files in the ml-25m layout (62,423 movies, 162,541 users); "
            f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores. "
            "Command: `.venv/bin/python bench/import_scale.py --write`."
        )
        heading = "## MovieLens import at ml-25m scale (bench/import_scale.py)"
        section_write(heading, [about, "", *table])


if __name__ == "__main__":
    main()
