"""Event ingestion through POST /api/v1/events/: concurrent clients, each its own household,
post batches of 100 client events as fast as the server answers, on PostgreSQL under gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/marquee_api \\
    REDIS_URL=redis://127.0.0.1:6379/10 .venv/bin/python bench/api_events.py \\
        [--clients 20] [--batches 30] [--resend 5] [--workers 4] [--write]

Every `--resend`-th batch is the client's previous batch sent again (a retry after a lost
answer): all its events must come back `duplicate` and be stored once. The batches are built
before the clock starts; the rate is the new events the database holds after the run (counted
there, not taken from the answers) divided by the wall time of the run. An error is any
answer other than 200, or a result other than the one expected.
"""

import argparse
import json
import os
import random
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

import requests
from api_clients import percentile, site_prepare
from benchmarks_doc import section_write
from harness import gunicorn_serving, households_create, manage

KINDS = ["click", "view_detail", "recommendation_click", "search", "watch_progress"]


def titles_visible() -> list[str]:
    code = "from catalog.models import Title; import json; "
    code += "print(json.dumps(list(Title.objects.filter(maturity_level__lte=18)"
    code += ".values_list('slug', flat=True))))"
    return json.loads(manage("shell", "-c", code).strip().splitlines()[-1])


def batch_make(slugs: list[str], rng: random.Random) -> list[dict]:
    now = datetime.now(UTC)
    events = []
    for _ in range(100):
        kind = rng.choice(KINDS)
        event = {
            "id": str(uuid.uuid4()),  # new on every run: a rerun must store, not find duplicates
            "kind": kind,
            "occurred_at": (now - timedelta(seconds=rng.randint(0, 86_400))).isoformat(),
        }
        if kind == "search":
            event["query"] = rng.choice(["space", "heist", "family", "comedy"])
        else:
            event |= {"title": rng.choice(slugs), "page": "home", "rail_key": "for-you",
                      "position": rng.randint(0, 19)}  # fmt: skip
        if kind == "watch_progress":
            event |= {"position_seconds": rng.randint(0, 5000), "duration_seconds": 5400}
        events.append(event)
    return events


def client_run(base: str, household: dict, batches: list[list[dict]], resend: int, out: dict):
    session = requests.Session()
    session.headers.update({
        "Authorization": f"Bearer {household['access']}",
        "X-Profile-Id": str(household["profile_id"]),
    })  # fmt: skip
    previous = None
    for n, batch in enumerate(batches):
        again = resend and previous is not None and n % resend == 0
        body = previous if again else batch
        started = time.perf_counter()
        response = session.post(base + "/api/v1/events/", json={"events": body}, timeout=60)
        out["latency"].append(time.perf_counter() - started)
        expected = "duplicate" if again else "stored"
        if response.status_code != 200:
            out["errors"] += 1
            continue
        statuses = [r["status"] for r in response.json()["results"]]
        out["errors"] += sum(status != expected for status in statuses)
        out["sent" if not again else "resent"] += len(body)
        previous = body


def stored_count() -> int:
    code = "from profiles.models import Interaction, WatchEvent; "
    code += "print(Interaction.objects.filter(client_id__isnull=False).count() + "
    code += "WatchEvent.objects.filter(client_id__isnull=False).count())"
    return int(manage("shell", "-c", code).strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--batches", type=int, default=30, help="batches per client")
    parser.add_argument("--resend", type=int, default=5, help="every n-th batch is a re-send")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--write", action="store_true", help="record in docs/benchmarks.md")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (and REDIS_URL).")
    site_prepare(members=100)
    households = households_create(
        args.clients, email="events{n}@bench.marquee.local", credential="jwt"
    )
    slugs = titles_visible()
    rng = random.Random(7)
    plans = [[batch_make(slugs, rng) for _ in range(args.batches)] for _ in households]
    before = stored_count()
    env = {**os.environ, "API_RATE_EVENTS": "100000", "API_ACCESS_MINUTES": "60"}
    outs = [{"latency": [], "errors": 0, "sent": 0, "resent": 0} for _ in households]
    with gunicorn_serving(workers=args.workers, env=env) as base:
        threads = [
            threading.Thread(target=client_run, args=(base, h, plan, args.resend, out))
            for h, plan, out in zip(households, plans, outs, strict=True)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
    stored = stored_count() - before
    latency = [seconds for out in outs for seconds in out["latency"]]
    results = {name: sum(out[name] for out in outs) for name in ("errors", "sent", "resent")}
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {args.clients} concurrent clients "
        f"(threads, each its own household and JWT), {args.batches} batches of 100 events each, "
        f"every {args.resend}th a re-send of the previous batch; gunicorn with {args.workers} "
        "sync workers; PostgreSQL and Redis on loopback; client on the same machine.",
        "",
        "| clients | batches | new events sent | re-sent | stored (counted in the database) "
        "| seconds | stored events/s | errors | batch p50 | batch p95 | batch p99 |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        f"| {args.clients} | {len(latency)} | {results['sent']:,} | {results['resent']:,} "
        f"| {stored:,} | {seconds:.1f} | {stored / seconds:,.0f} | {results['errors']} "
        f"| {percentile(latency, 0.5) * 1000:.0f} ms | {percentile(latency, 0.95) * 1000:.0f} ms "
        f"| {percentile(latency, 0.99) * 1000:.0f} ms |",
    ]
    print("\n".join(lines))
    if stored != results["sent"]:
        print(f"MISMATCH: {results['sent']} new events sent, {stored} stored")
    if args.write:
        section_write("## API event ingestion (bench/api_events.py)", lines)


if __name__ == "__main__":
    main()
