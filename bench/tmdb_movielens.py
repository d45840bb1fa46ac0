"""Time of `import_tmdb --movielens` on ml-latest-small at the default rate, against the fake
TMDB on loopback with answers generated for every tmdbId of links.csv.

    .venv/bin/python bench/tmdb_movielens.py [--data DIR] [--rate 20] [--write]

Imports the MovieLens copy into a fresh SQLite database in a temporary folder, serves the fake
TMDB from this process, runs `manage.py import_tmdb --movielens` as a separate process (so its
own rate limiter and threads are measured, not this script's), and prints wall time, requests
per second and the share of linked titles enriched. No network is used.
"""

import argparse
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from benchmarks_doc import section_write  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "movielens" / "ml-latest-small"
HEADING = "## TMDB: import_tmdb --movielens (ml-latest-small, fake TMDB)"


def manage(env: dict, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rate", type=int, default=20, help="TMDB_RATE_LIMIT (requests/s)")
    parser.add_argument("--write", action="store_true", help="write into docs/benchmarks.md")
    args = parser.parse_args()
    if not (args.data / "links.csv").is_file():
        sys.exit(f"No MovieLens copy with links.csv at {args.data}")

    import django

    django.setup()
    from catalog.tests.tmdb_fake.movielens import movielens_factory
    from catalog.tests.tmdb_fake.server import FAKE_KEY, FakeTMDB

    server = FakeTMDB()
    server.movies.clear()  # every answer generated, none from the hand-written catalogue
    server.movie_factory, linked, answered = movielens_factory(args.data)
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.sqlite3"
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{database}",
            "MARQUEE_VAR_DIR": folder,
            "TMDB_API_KEY": FAKE_KEY,
            "TMDB_BASE_URL": server.start(),
            "TMDB_RATE_LIMIT": str(args.rate),
            "LOG_LEVEL": "WARNING",
        }
        manage(env, "migrate", "-v0")
        manage(env, "import_movielens", str(args.data), "--skip-bad", "-v0")
        server.requests.clear()
        seconds = manage(env, "import_tmdb", "--movielens", "-v0")
        requests = len(server.requests)
        peak = server.max_per_second()
        with sqlite3.connect(database) as db:
            (with_id,) = db.execute(
                "SELECT count(*) FROM catalog_title WHERE movielens_id IS NOT NULL "
                "AND tmdb_id IS NOT NULL AND kind = 'movie'"
            ).fetchone()
            (enriched,) = db.execute(
                "SELECT count(*) FROM catalog_title WHERE movielens_id IS NOT NULL "
                "AND tmdb_id IS NOT NULL AND kind = 'movie' AND overview != ''"
            ).fetchone()
        server.stop()
    rows = [
        ("titles with a tmdbId", f"{with_id:,}"),
        ("answered by the fake TMDB", f"{len(answered & linked):,} (1 in 50 is a 404)"),
        ("enriched", f"{enriched:,} ({enriched / with_id:.1%})"),
        ("requests", f"{requests:,}"),
        ("rate limit", f"{args.rate} requests/s"),
        ("measured", f"{requests / seconds:.1f} requests/s average, {peak} in the busiest second"),
        ("wall time", f"{seconds:.0f} s ({seconds / 60:.1f} min)"),
    ]
    lines = [
        f"`python bench/tmdb_movielens.py --rate {args.rate}`; machine: 2 cores, 24 GB "
        f"({platform.machine()}, Python {platform.python_version()}), SQLite, fake TMDB on "
        "loopback in the bench process.",
        "",
        "| measure | value |",
        "|---|---|",
        *(f"| {name} | {value} |" for name, value in rows),
        "",
        "The bucket paces one request every 1/rate s, so a one-second window that starts and "
        "ends on a request holds rate + 1 of them; the average stays under the rate. Wall time "
        "is the `import_tmdb` process alone (start-up included), after `import_movielens`.",
    ]
    print("\n".join(lines))
    if args.write:
        section_write(HEADING, lines)


if __name__ == "__main__":
    main()
