"""API latency at 100 concurrent clients: each its own household (a profile with a demo
community member's ratings) asks for its home rails and its recommendations, with think time,
on PostgreSQL + Redis under gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/marquee_api \\
    REDIS_URL=redis://127.0.0.1:6379/10 .venv/bin/python bench/api_latency.py \\
        [--clients 100] [--seconds 90] [--think 1.0] [--workers 4] [--write]

Three measurements per client, all distinct viewers:
- "rails, first read": GET /rails/ right after `recompute_recs`, once per client (its rails are
  read from the database and rendered to JSON, then kept);
- "rails, kept": GET /rails/ again for the rest of the run (the JSON kept under the profile's
  rails version);
- "recommendations": GET /recommendations/?algorithm=engine&k=20, never cached: the engine
  scores the profile on every request.
Each client waits `--think` seconds (uniform 0.5x-1.5x) between requests. Latency is measured
by the client, from sending to the whole answer read.
"""

import argparse
import os
import random
import sys
import threading
import time
from datetime import UTC, datetime

import requests
from api_clients import percentile, site_prepare
from benchmarks_doc import section_write
from harness import gunicorn_serving, households_create, manage

NAMES = ["rails, first read", "rails, kept", "recommendations"]


def client_run(base, household, seconds, think, seed, out):
    rng = random.Random(seed)
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {household['access']}"
    root = f"{base}/api/v1/profiles/{household['profile_id']}"
    time.sleep(rng.uniform(0, think * 2))  # the audience arrives over a few seconds
    plan = [("rails, first read", "/rails/")]
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        name, path = (
            plan.pop(0)
            if plan
            else rng.choice(
                [("rails, kept", "/rails/"), ("recommendations", "/recommendations/?k=20")]
            )
        )
        started = time.perf_counter()
        try:
            response = session.get(root + path, timeout=30)
            ok = response.status_code == 200 and response.json()
        except requests.RequestException:
            ok = False
        out[name].append(time.perf_counter() - started)
        out["errors"] += not ok
        time.sleep(rng.uniform(0.5 * think, 1.5 * think))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=90)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between requests")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--write", action="store_true", help="record in docs/benchmarks.md")
    parser.add_argument("--reuse", action="store_true", help="keep the last run's data and rails")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (and REDIS_URL).")
    if not args.reuse:
        site_prepare(members=100)
    households = households_create(
        args.clients, email="latency{n}@bench.marquee.local", credential="jwt"
    )
    summary = "not run (--reuse: the previous run's rails)"
    if not args.reuse:
        summary = manage("recompute_recs", "-v0").strip().rstrip(".")  # their rails too
    # Every client's rails are first read in this run, whatever an earlier run kept.
    retire = "from django.db import transaction\nfrom recommender.changes import rails_changed\n"
    manage("shell", "-c", retire + "with transaction.atomic(): rails_changed(everyone=True)")
    env = {**os.environ, "API_ACCESS_MINUTES": "60"}
    outs = [{**{name: [] for name in NAMES}, "errors": 0} for _ in households]
    with gunicorn_serving(workers=args.workers, env=env) as base:
        threads = [
            threading.Thread(target=client_run, args=(base, h, args.seconds, args.think, n, out))
            for n, (h, out) in enumerate(zip(households, outs, strict=True))
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
    requests_made = sum(len(out[name]) for out in outs for name in NAMES)
    errors = sum(out["errors"] for out in outs)
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {args.clients} concurrent clients "
        f"(threads, each its own household and JWT) for {args.seconds} s, think time "
        f"{args.think:g} s (uniform 0.5x-1.5x); gunicorn with {args.workers} sync workers; "
        f"PostgreSQL and Redis on loopback; client on the same machine. Data: the demo "
        f"catalogue and 100 community members; {summary}.",
        "",
        f"{requests_made:,} requests in {wall:.0f} s ({requests_made / wall:.1f}/s), "
        f"{errors} errors.",
        "",
        "| request | count | p50 | p95 | p99 |",
        "|---|---|---|---|---|",
    ]
    for name in NAMES:
        values = [v for out in outs for v in out[name]]
        lines.append(
            f"| {name} | {len(values):,} | {percentile(values, 0.5) * 1000:.0f} ms "
            f"| {percentile(values, 0.95) * 1000:.0f} ms "
            f"| {percentile(values, 0.99) * 1000:.0f} ms |"
        )
    print("\n".join(lines))
    if args.write:
        section_write("## API latency (bench/api_latency.py)", lines)


if __name__ == "__main__":
    main()
