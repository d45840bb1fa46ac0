"""Speed as an audience meets it: many distinct signed-in households on PostgreSQL + Redis +
gunicorn, each browsing with think time (bench/locustfile.py), plus the stack's ceiling on this
box (an anonymous sign-in page) measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/marquee_load \\
    REDIS_URL=redis://127.0.0.1:6379/2 .venv/bin/python bench/load.py \\
        [--viewers 10 50 150] [--seconds 120] [--data DIR] [--write]

It migrates, imports MovieLens (ml-latest-small by default), makes one household per viewer
afresh (each with a different MovieLens member's ratings; an earlier run's are deleted), runs
`recompute_recs`, starts gunicorn with 4 sync workers, and for each audience size runs locust
headless (ramp-up, then the timed window). It prints per-endpoint p50/p95/p99, errors and
throughput, the cache hit ratio (Redis keyspace hits / lookups during the run), and the CPU
each part of the stack used in the timed window (gunicorn, PostgreSQL, Redis, locust; psutil),
with the web workers' CPU per request. Both move by 10-15% between runs minutes apart on a
shared 2-core machine (docs/benchmarks.md, "An eleventh machine"): compare several runs,
alternating. --write records them in docs/benchmarks.md.
Loopback only; every run is bounded in time.
"""

import argparse
import contextlib
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import redis
from benchmarks_doc import section_write
from harness import (
    DEFAULT_DATA,
    PYTHON,
    ROOT,
    celery_worker,
    gunicorn_serving,
    households_create,
    manage,
    redis_serving,
)

ENDPOINTS = ["home", "rail fragment", "title page", "title carousels", "search", "thumbs down",
             "my list add", "rating"]  # fmt: skip


def locust(base: str, user_class: str, users: int, seconds: int, env: dict) -> list[dict]:
    """Run locust headless; returns its per-endpoint rows (from its CSV stats)."""
    with tempfile.TemporaryDirectory() as folder:
        prefix = str(Path(folder) / "stats")
        spawn_rate = max(1, users // 10)
        command = [
            PYTHON, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), user_class,
            "--headless", "-u", str(users), "-r", str(spawn_rate), "--run-time", f"{seconds}s",
            "--reset-stats",  # the figures cover the timed window after every user has started
            "--host", base, "--csv", prefix, "--only-summary", "--stop-timeout", "5",
            "--loglevel", "WARNING",
        ]  # fmt: skip
        subprocess.run(command, cwd=ROOT, env=env, check=False, timeout=seconds + 120,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        with open(prefix + "_stats.csv") as handle:
            return list(csv.DictReader(handle))


def cache_stats(url: str) -> tuple[int, int]:
    info = redis.Redis.from_url(url).info("stats")
    return info["keyspace_hits"], info["keyspace_misses"]


# Who used the CPU: each process is counted under the first role whose marker its command line
# (or, for servers, its name) holds.
ROLES = {
    "gunicorn": ("gunicorn",),
    "celery": ("celery",),
    "locust": ("locust",),
    "PostgreSQL": ("postgres",),
    "Redis": ("redis-server",),
}


def _cpu_seconds() -> dict[int, tuple[str, float]]:
    """pid -> (role, user + system CPU seconds so far) of every process of the stack."""
    found = {}
    for process in psutil.process_iter(["name", "cmdline", "cpu_times"]):
        info = process.info
        if info["cpu_times"] is None:
            continue
        text = " ".join(info["cmdline"] or []) or (info["name"] or "")
        role = next((r for r, marks in ROLES.items() if any(m in text for m in marks)), None)
        if role is not None:
            found[process.pid] = (role, info["cpu_times"].user + info["cpu_times"].system)
    return found


class CpuWindow:
    """The CPU each role used between two moments, in cores (CPU seconds per wall second).

    Processes are read every second: a PostgreSQL backend lives only as long as its
    connection (DATABASE_CONN_MAX_AGE, 60 s), so one that exits inside the window keeps what it
    had used at its last reading, and one that starts inside it counts from zero."""

    def __init__(self, start_after: float, length: float):
        self.cores: dict[str, float] = {}
        self._thread = threading.Thread(target=self._measure, args=(start_after, length))
        self._thread.start()

    def _measure(self, start_after: float, length: float) -> None:
        time.sleep(start_after)
        first = _cpu_seconds()
        last, started = dict(first), time.monotonic()
        while (left := started + length - time.monotonic()) > 0:
            time.sleep(min(1.0, left))
            for pid, reading in _cpu_seconds().items():
                first.setdefault(pid, (reading[0], 0.0))
                last[pid] = reading
        wall = time.monotonic() - started
        for pid, (role, seconds) in last.items():
            self.cores[role] = self.cores.get(role, 0.0) + (seconds - first[pid][1]) / wall

    def result(self) -> dict[str, float]:
        self._thread.join()
        return self.cores


def run_audience(base: str, users: int, seconds: int, env: dict, redis_url: str | None) -> dict:
    ramp = max(10, users // 5)  # locust spawns users/10 per second
    hits0, misses0 = cache_stats(redis_url) if redis_url else (0, 0)
    # The CPU is read over the timed window: from 5 s after every user has started (about 10 s)
    # to 5 s before locust stops.
    cpu = CpuWindow(start_after=15, length=max(1, seconds + ramp - 20))
    rows = locust(base, "Viewer", users, seconds + ramp, env)
    hits1, misses1 = cache_stats(redis_url) if redis_url else (0, 0)
    lookups = (hits1 - hits0) + (misses1 - misses0)
    by_name = {row["Name"]: row for row in rows}
    total = by_name.get("Aggregated", {})
    return {
        "users": users,
        "total": total,
        "rows": {name: by_name[name] for name in ENDPOINTS if name in by_name},
        "rps": float(total.get("Requests/s", 0) or 0),
        "requests": int(total.get("Request Count", 0) or 0),
        "failures": int(total.get("Failure Count", 0) or 0),
        "hit_ratio": (hits1 - hits0) / lookups if lookups else None,
        "cpu": cpu.result(),
    }


def table(result: dict) -> list[str]:
    lines = [
        f"**{result['users']} viewers**: {result['rps']:.1f} requests/s, "
        f"{result['failures']} errors of {result['requests']:,}, "
        "cache hit ratio "
        + ("not measured" if result["hit_ratio"] is None else f"{result['hit_ratio']:.0%}"),
        "",
        "| endpoint | requests | errors | p50 | p95 | p99 |",
        "|---|---|---|---|---|---|",
    ]
    for name, row in result["rows"].items():
        lines.append(
            f"| {name} | {int(row['Request Count']):,} | {row['Failure Count']} | "
            f"{row['50%']} ms | {row['95%']} ms | {row['99%']} ms |"
        )
    lines += ["", cpu_line(result["cpu"], result["rps"])]
    return lines


def cpu_line(cores: dict[str, float], rps: float) -> str:
    """CPU used in the timed window by each part of the stack, and the web's CPU per request."""
    parts = ", ".join(f"{role} {cores[role]:.2f}" for role in ROLES if role in cores)
    web = cores.get("gunicorn", 0.0) + cores.get("celery", 0.0)
    per_request = f"{1000 * web / rps:.1f} ms" if rps else "not measured"
    return (
        f"CPU in the timed window (cores of {os.cpu_count()}): {parts}; all "
        f"{sum(cores.values()):.2f}. Web workers' CPU per request (gunicorn and any Celery "
        f"worker): {per_request}."
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--viewers", type=int, nargs="+", default=[10, 50, 150])
    parser.add_argument("--seconds", type=int, default=120, help="timed window after ramp-up")
    parser.add_argument("--write", action="store_true", help="record in docs/benchmarks.md")
    parser.add_argument(
        "--celery",
        action="store_true",
        help="as production runs: TASKS_BACKEND=celery and one Celery worker beside gunicorn",
    )
    parser.add_argument(
        "--faults",
        type=int,
        metavar="VIEWERS",
        help="instead: this many viewers against a private Redis, normal, then hung (SIGSTOP), "
        "then dead (killed)",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get(
        "REDIS_URL"
    ):
        sys.exit("set DATABASE_URL (PostgreSQL) and REDIS_URL: the figures are for that stack")
    if not args.data.exists():
        sys.exit(f"no MovieLens data at {args.data}")
    manage("migrate", "--noinput")
    manage("import_movielens", str(args.data), "--skip-bad", "-v0")
    # One household per viewer, each a returning viewer with a signed-in session (no password
    # hashing per viewer: that is not what a viewer's click costs).
    viewers = households_create(
        max(args.viewers), email="viewer{n}@load.marquee.local", credential="session"
    )
    summary = manage("recompute_recs", "-v0").strip().rstrip(".")
    print(summary, flush=True)
    # Every run starts from the same planner state, whatever autovacuum does on this server
    # (off on the development machine): earlier runs' signals left dead rows and moved counts.
    manage(
        "shell",
        "-c",
        "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')",
    )
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(viewers, handle)
    env = os.environ | {"MARQUEE_LOAD_VIEWERS": handle.name}
    if args.celery:
        env |= {"TASKS_BACKEND": "celery"}
    if args.faults:
        try:
            faults_run(args, env, summary)
        finally:
            os.unlink(handle.name)
        return
    results, ceiling = [], None
    try:
        with (
            celery_worker(env) if args.celery else contextlib.nullcontext(),
            gunicorn_serving(env=env) as base,
        ):
            ceiling_rows = locust(base, "Anonymous", 32, 30, env)
            ceiling = next(
                float(r["Requests/s"]) for r in ceiling_rows if r["Name"] == "Aggregated"
            )
            print(f"anonymous sign-in page: {ceiling:.1f} requests/s", flush=True)
            for users in args.viewers:
                result = run_audience(base, users, args.seconds, env, os.environ["REDIS_URL"])
                results.append(result)
                print("\n".join(["", *table(result)]), flush=True)
    finally:
        os.unlink(handle.name)
    lines = [f"Anonymous sign-in page (32 users, no think time): {ceiling:.1f} requests/s.", ""]
    for result in results:
        ratio = result["rps"] / ceiling if ceiling else 0.0
        lines += [*table(result), "", f"Throughput / sign-in page ceiling: {ratio:.2f}.", ""]
    print("\n".join(lines))
    if args.write:
        about = (
            f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores, PostgreSQL + Redis "
            f"on loopback, gunicorn with 4 sync workers"
            f"{', one Celery worker running the re-scores' if args.celery else ''}, locust on the "
            f"same machine; data: "
            f"{args.data.name}; {summary}. Command: `DATABASE_URL=... REDIS_URL=... "
            f".venv/bin/python bench/load.py --viewers {' '.join(map(str, args.viewers))} "
            f"{'--celery ' if args.celery else ''}"
            f"--seconds {args.seconds} --write`."
        )
        heading = "## Audience load (bench/load.py" + (" --celery)" if args.celery else ")")
        section_write(heading, [about, "", *lines])


def faults_run(args, env: dict, summary: str) -> None:
    """The same audience three times on one gunicorn whose cache is a private Redis: Redis up,
    Redis hung (SIGSTOP: connections open, no answers), Redis dead (killed)."""
    results = []
    with redis_serving() as (url, redis_server):
        env = env | {"REDIS_URL": url}
        # Sessions live in the cache and the database (cached_db); a fresh Redis holds none,
        # so every viewer's first request reads its session from the database.
        with gunicorn_serving(env=env) as base:
            for condition in ("Redis up", "Redis hung (SIGSTOP)", "Redis dead (killed)"):
                if condition.startswith("Redis hung"):
                    redis_server.send_signal(signal.SIGSTOP)
                elif condition.startswith("Redis dead"):
                    redis_server.send_signal(signal.SIGCONT)
                    redis_server.kill()
                    redis_server.wait(timeout=10)
                result = run_audience(base, args.faults, args.seconds, env, None)
                results.append((condition, result))
                print(condition, flush=True)
                print("\n".join(table(result)), flush=True)
    normal = results[0][1]["rps"] or 1.0
    lines = [
        f"{args.faults} viewers, {args.seconds} s after ramp-up per condition, one gunicorn "
        "(4 sync workers) whose cache is a private redis-server.",
        "",
        "| Redis | requests/s | vs up | errors | p50 | p95 | p99 |",
        "|---|---|---|---|---|---|---|",
    ]
    for condition, result in results:
        total = result["total"]
        lines.append(
            f"| {condition} | {result['rps']:.1f} | {result['rps'] / normal:.2f}x | "
            f"{result['failures']} of {result['requests']:,} | {total.get('50%')} ms | "
            f"{total.get('95%')} ms | {total.get('99%')} ms |"
        )
    print("\n".join(["", *lines]))
    if args.write:
        about = (
            f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores; {summary}. "
            f"Command: `DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/load.py "
            f"--faults {args.faults} --seconds {args.seconds} --write`."
        )
        section_write(
            "## Audience load with Redis faults (bench/load.py --faults)", [about, "", *lines]
        )


if __name__ == "__main__":
    main()
