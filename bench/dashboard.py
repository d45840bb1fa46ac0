"""Your Marquee's pages on the demo data, as many distinct viewers meet them with a cold cache.

    .venv/bin/python bench/dashboard.py [--viewers 200] [--write]

Loads the demo (catalogue, 500 simulated members, the demo household) into a fresh SQLite
database in a temporary MARQUEE_VAR_DIR, fits the model, and turns `--viewers` of the members
into viewers who can sign in (each keeps its simulated history; their badges are backfilled and
each joins this week's first challenge). Then, page by page, every viewer asks for the page
once, through the whole Django stack (middleware, session, templates) in this process, with
the cache emptied before each request: no answer comes from a cache. The process's first
request (imports, template compilation) is left out of the figures. Prints a table; `--write`
records it in docs/benchmarks.md.
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HEADING = "## Your Marquee pages (dashboard, badges, challenges, leaderboard, year in review)"


def setup(var_dir: str) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ |= {"MARQUEE_VAR_DIR": var_dir, "ALLOWED_HOSTS": "testserver"}
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def viewers_make(count: int) -> list:
    from django.core.management import call_command

    from profiles.gamification.challenges import current_week, offers_for
    from profiles.gamification.services import badges_award, challenge_join
    from profiles.models import Account, Profile
    from profiles.viewing_history import history_for

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    call_command("recompute_recs", verbosity=0)
    profiles = list(
        Profile.objects.filter(household__is_synthetic=True)
        .select_related("household", "preferences")
        .order_by("pk")[:count]
    )
    Account.objects.filter(pk__in=[p.household_id for p in profiles]).update(is_active=True)
    for profile in profiles:
        badges_award(profile=profile)
        history = history_for(profile)
        offer = offers_for(profile, current_week(), history)[0]
        challenge_join(profile=profile, code=offer.code, history=history)
    return profiles


def measure(profiles: list, paths: list[str]) -> list[dict]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from profiles.access import SESSION_KEY

    # One client, as one web process serves everyone: a Client per viewer would load the
    # middleware again on its first request (whitenoise scans the static files then), a cost a
    # running server pays once. Each viewer is its own session cookie.
    client = Client()
    sessions = []
    for profile in profiles:
        client.cookies.clear()
        client.force_login(profile.household)
        session = client.session
        session[SESSION_KEY] = profile.pk
        session.save()
        sessions.append(client.cookies.copy())
    client.cookies = sessions[0].copy()
    client.get(paths[0])  # the process's first request: imports and template compilation
    rows = []
    for path in paths:
        times, cpu, queries = [], [], []
        for cookies in sessions:
            client.cookies = cookies.copy()
            cache.clear()
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            if response.status_code != 200:
                sys.exit(f"{path} answered {response.status_code}")
            queries.append(len(captured))
        times.sort()
        rows.append(
            {
                "path": path,
                "viewers": len(sessions),
                "p50": statistics.median(times),
                "cpu50": statistics.median(cpu),
                "p95": times[int(0.95 * (len(times) - 1))],
                "max": times[-1],
                "queries": statistics.median(queries),
            }
        )
    return rows


def table(rows: list[dict]) -> list[str]:
    lines = [
        "| page | distinct viewers | p50 ms | p95 ms | max ms | CPU p50 ms | queries (median) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| `{r['path']}` | {r['viewers']} | {r['p50']:.1f} | {r['p95']:.1f} | "
            f"{r['max']:.1f} | {r['cpu50']:.1f} | {r['queries']:.0f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--viewers", type=int, default=200)
    parser.add_argument("--write", action="store_true", help="record in docs/benchmarks.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="marquee-dashboard-bench-") as var_dir:
        setup(var_dir)
        from django.utils import timezone

        profiles = viewers_make(args.viewers)
        year = timezone.localdate().year
        paths = ["/me/", "/me/badges/", "/me/challenges/", "/me/leaderboard/",
                 f"/me/year/{year}/", "/me/preview/"]  # fmt: skip
        rows = measure(profiles, paths)
    lines = table(rows)
    wall, cpu = rows[0]["p50"], rows[0]["cpu50"]
    verdict = {True: "met", False: "NOT met"}
    lines += [
        "",
        f"Target of #12, dashboard p50 ≤ 50 ms with a cold cache: wall-clock {wall:.1f} ms "
        f"({verdict[wall <= 50]}), CPU {cpu:.1f} ms ({verdict[cpu <= 50]}).",
    ]
    load = os.getloadavg()
    lines += ["", f"Load average during the run (1, 5, 15 min): {load[0]:.1f}, {load[1]:.1f}, "
              f"{load[2]:.1f} on 2 cores."]  # fmt: skip
    print("\n".join(lines))
    if args.write:
        from bench.benchmarks_doc import section_write

        when = timezone.now().strftime("%Y-%m-%d %H:%M UTC")
        section_write(
            HEADING,
            [
                f"Machine: 2 cores, 24 GB RAM, Python {platform.python_version()}, SQLite; "
                f"shared with other developers' work while it ran. Run on {when}:",
                "",
                f"    .venv/bin/python bench/dashboard.py --viewers {args.viewers} --write",
                "",
                "Demo data (435 titles, 500 simulated members with their histories), "
                f"{args.viewers} distinct members made into viewers who can sign in (badges "
                "backfilled, one challenge joined). Each viewer asks for each page once, "
                "through the whole Django stack in one process (Django's test client: no "
                "network, no gunicorn), with the cache emptied before every request. The ms "
                "columns are wall-clock; CPU p50 is the process's own CPU time per request, "
                "what the page costs when the cores are not shared. "
                "`/me/preview/` is the For You rail the dashboard loads after the page (htmx).",
                "",
                *lines,
            ],
        )


if __name__ == "__main__":
    main()
