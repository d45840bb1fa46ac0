"""Cold search on the configured database: a query's matching (nothing cached) and the whole
results page selector, over many distinct queries.

    DATABASE_URL=... .venv/bin/python bench/search_match.py [--write]

Load a catalogue first (for example `manage.py load_demo` and `import_movielens` of
ml-latest-small). Each query runs once, uncached, as the first viewer to type it would meet
it (the `searchfacts:` cache then shares the matches, which this benchmark leaves out).
Prints p50/p95/max per step and what "batman" finds, the noise check of issue 17.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from benchmarks_doc import section_write  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402

from catalog import search  # noqa: E402
from catalog.models import MAX_MATURITY, Person, Title  # noqa: E402
from catalog.selectors import Audience  # noqa: E402
from catalog.tests.test_search_relevance import PERSON_CASES, TITLE_CASES  # noqa: E402

MORE = ["harry potter", "lord of the rings", "star wars", "die hard", "pulp fiction", "shrek 2",
        "alien", "jurasic park", "terminator 2", "toy story", "amelie", "bateman", "the",
        "love", "city", "man", "night", "black", "house", "dead"]  # fmt: skip


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="record in docs/benchmarks.md")
    args = parser.parse_args()
    queries = list(dict.fromkeys([q for q, _ in TITLE_CASES + PERSON_CASES] + MORE))
    everyone = Audience(ceiling=MAX_MATURITY)
    search.matching_title_ids("warm up")  # SQLite: the index is built once per data version
    timings: dict[str, list[float]] = {"matching": [], "results page": []}
    for query in queries:
        started = time.perf_counter()
        search.matching_title_ids(query)
        timings["matching"].append((time.perf_counter() - started) * 1000)
        filters = search.SearchFilters.from_params(QueryDict(mutable=True) | {"q": query})
        started = time.perf_counter()
        search.search_titles(audience=everyone, filters=filters)  # no catalogue_version: uncached
        timings["results page"].append((time.perf_counter() - started) * 1000)
    batman = search.search_titles(
        audience=everyone, filters=search.SearchFilters.from_params(QueryDict("q=batman"))
    )
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on 2 cores (x86_64, "
        f"24 GB), load average {os.getloadavg()[0]:.1f}; {connection.vendor}; "
        f"{Title.objects.count():,} titles, {Person.objects.count():,} people; "
        f"{len(queries)} distinct queries, each once and uncached.",
        "",
        "| step | p50 | p95 | max |",
        "|---|---|---|---|",
        *(
            f"| {step} | {statistics.median(ms):.0f} ms | {percentile(ms, 0.95):.0f} ms "
            f"| {max(ms):.0f} ms |"
            for step, ms in timings.items()
        ),
        "",
        f'"batman" finds {batman.total} titles: '
        + ", ".join(f"{t.title} ({t.year})" for t in batman.titles[:6])
        + ("…" if batman.total > 6 else ""),
    ]
    print("\n".join(lines))
    if args.write:
        section_write(
            f"## Cold search matching on {connection.vendor} (bench/search_match.py)", lines
        )


if __name__ == "__main__":
    main()
