"""Page speed under load: home, one rail fragment, and a thumbs-down answered with new rails.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/marquee_bench \\
    REDIS_URL=redis://127.0.0.1:6379/1 .venv/bin/python bench/pages.py [--data DIR] [--write]

It migrates, imports MovieLens (ml-latest-small by default), creates a bench household, runs
`recompute_recs` (timed), starts gunicorn with 4 workers, drives it with wrk from a second
process on loopback (32 connections, 30 s), prints a table and, with --write, records it in
docs/benchmarks.md. Needs Debian's wrk (`apt-get install wrk`). Loopback only.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests
from benchmarks_doc import section_write
from harness import DEFAULT_DATA, gunicorn_serving, manage

BENCH_EMAIL, BENCH_PASSWORD = "bench@marquee.local", "bench-password-123"


def bench_profile() -> int:
    """A household whose adult profile has MovieLens user 1's ratings, so rails are personal."""
    code = f"""
from profiles.models import Account, Profile, Rating
from profiles.services import profile_create
from django.utils import timezone
account = Account.objects.filter(email={BENCH_EMAIL!r}).first()
if account is None:
    account = Account.objects.create_user({BENCH_EMAIL!r}, {BENCH_PASSWORD!r})
    profile = profile_create(household=account, name="Bench")
    source = Profile.objects.get(movielens_user_id=1)
    Rating.objects.bulk_create(
        Rating(profile=profile, title_id=r.title_id, value=r.value, created_at=timezone.now())
        for r in source.ratings.all()
    )
    Profile.objects.filter(pk=profile.pk).update(onboarding_step=4, onboarded_at=timezone.now())
print(account.profiles.get(name="Bench").pk)
"""
    return int(manage("shell", "-c", code).strip().splitlines()[-1])


def login(base: str, profile_id: int) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/accounts/login/")
    token = session.cookies["csrftoken"]
    response = session.post(
        f"{base}/accounts/login/",
        data={"username": BENCH_EMAIL, "password": BENCH_PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/"},
    )
    response.raise_for_status()
    token = session.cookies["csrftoken"]
    session.post(
        f"{base}/profiles/{profile_id}/choose/",
        headers={"X-CSRFToken": token, "Referer": base + "/"},
    ).raise_for_status()
    return session


def wrk(url: str, cookie: str, *, connections: int, seconds: int, headers=()) -> dict:
    args = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "-H",
        f"Cookie: {cookie}",
    ]
    for header in headers:
        args += ["-H", header]
    output = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    percentiles = {
        match[1]: _ms(match[2], match[3])
        for match in re.finditer(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    }
    requests_total = int(re.search(r"(\d+) requests in", output)[1])
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    failed = int(errors[1]) if errors else 0
    if socket_errors:
        failed += sum(int(n) for n in socket_errors.groups())
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    return {"p50": percentiles["50"], "p99": percentiles["99"], "requests": requests_total,
            "errors": failed, "rps": rate}  # fmt: skip


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def thumbs_down_latencies(
    base: str, session: requests.Session, count: int, *, warm_up: int = 12
) -> list[float]:
    """POST thumbs down on For You tiles one after another, as a viewer would, timing each.

    The first `warm_up` are not timed: home pages come from the page cache, so until then no
    worker has run a view, opened its database connection or compiled the rail templates."""
    token = session.cookies["csrftoken"]
    headers = {"X-CSRFToken": token, "HX-Request": "true", "Referer": base + "/"}
    latencies = []
    for _ in range(warm_up + count):
        rail = session.get(f"{base}/rails/for-you/", headers={"HX-Request": "true"}).text
        slug = re.search(r'href="/title/([^/]+)/\?rail=for-you"', rail)[1]
        started = time.perf_counter()
        response = session.post(
            f"{base}/title/{slug}/feedback/",
            data={"value": "down", "context": "rail", "next": "/"},
            headers=headers,
        )
        latencies.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        if f"/title/{slug}/" in response.text:
            sys.exit(f"thumbs down on {slug}: the title is still in the returned rails")
    return latencies[warm_up:]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument(
        "--write", action="store_true", help="record the table in docs/benchmarks.md"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL to PostgreSQL (and REDIS_URL): the targets are for that setup")
    manage("migrate", "--noinput")
    manage("import_movielens", str(args.data), "--skip-bad", "-v0")
    profile_id = bench_profile()
    started = time.perf_counter()
    summary = manage("recompute_recs", "-v0")
    recompute_seconds = time.perf_counter() - started
    print(
        f"recompute_recs: {summary.strip()} ({recompute_seconds:.1f} s with start-up)", flush=True
    )
    profiles = int(re.search(r"([\d,]+) profiles", summary)[1].replace(",", ""))

    with gunicorn_serving() as base:
        session = login(base, profile_id)
        cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
        for _ in range(20):  # warm every worker's model and caches
            session.get(base + "/")
        home = wrk(base + "/", cookie, connections=32, seconds=args.seconds)
        rail = wrk(
            base + "/rails/for-you/",
            cookie,
            connections=4,
            seconds=10,
            headers=["HX-Request: true"],
        )
        downs = thumbs_down_latencies(base, session, 60)
    p95 = statistics.quantiles(downs, n=20)[-1]
    rows = [
        ("home page, 32 connections, p50", f"{home['p50']:.1f} ms", "≤ 25 ms"),
        ("home page, 32 connections, p99", f"{home['p99']:.1f} ms", "≤ 150 ms"),
        (
            "home page errors",
            f"{home['errors']} of {home['requests']:,} ({home['rps']:.0f} req/s)",
            "0",
        ),
        ("one rail fragment (htmx), p50", f"{rail['p50']:.1f} ms", "≤ 10 ms"),
        (
            "thumbs down + updated rails, p95",
            f"{p95:.1f} ms (median {statistics.median(downs):.1f})",
            "≤ 100 ms",
        ),
        (f"recompute_recs, {profiles} profiles", f"{recompute_seconds:.1f} s", "≤ 20 s"),
    ]
    table = ["| measure | measured | target |", "|---|---|---|"] + [
        f"| {a} | {b} | {c} |" for a, b, c in rows
    ]
    print("\n".join(table))
    if args.write:
        record(table, args.data.name)


def record(table: list[str], data_name: str) -> None:
    about = (
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores, PostgreSQL + Redis on "
        f"loopback, gunicorn with 4 workers, wrk from a second process; data: {data_name} "
        "imported, rails precomputed. Command: `DATABASE_URL=... REDIS_URL=... "
        ".venv/bin/python bench/pages.py --write`."
    )
    section_write("## Pages (bench/pages.py)", [about, "", *table])


if __name__ == "__main__":
    main()
