"""`kill -9` of recompute_recs while it holds its lock: the old rails are still served, and the
next run starts at once and completes. Run as real processes against a database of their own
(a SQLite file, or a fresh PostgreSQL database when the suite runs on PostgreSQL)."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from recommender.tests.processes import ROOT, manage, site_environment

PAGE_CHECK = """
import json
from django.test import Client
from profiles.demo_household import DEMO_EMAIL
from profiles.models import Account
from recommender.models import CachedRecommendations
from profiles.access import SESSION_KEY
account = Account.objects.get(email=DEMO_EMAIL)
profile = account.profiles.order_by("pk").first()
client = Client()
client.force_login(account)
session = client.session
session[SESSION_KEY] = profile.pk
session.save()
page = client.get("/", HTTP_HOST="127.0.0.1")
print(json.dumps({
    "status": page.status_code,
    "for_you": 'id="rail-for-you"' in page.content.decode(),
    "rails": sorted(
        (r.profile_id, r.rail_key, r.computed_at.isoformat())
        for r in CachedRecommendations.objects.exclude(profile=None)
    ),
}))
"""


@pytest.fixture
def site(tmp_path):
    with site_environment(tmp_path) as environment:
        yield environment


def lock_held(env, postgres) -> bool:
    if postgres is not None:
        import psycopg

        admin_url, name = postgres
        with psycopg.connect(admin_url, autocommit=True) as admin:
            row = admin.execute(
                "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                "WHERE l.locktype = 'advisory' AND l.granted AND d.datname = %s",
                [name],
            ).fetchone()
        return row[0] > 0
    lock = Path(env["MARQUEE_ARTIFACTS_DIR"]) / ".recompute-0-1.lock"
    if not lock.exists():
        return False
    inode = f":{os.stat(lock).st_ino} "
    return any(
        "FLOCK" in line and inode in line for line in Path("/proc/locks").read_text().splitlines()
    )


@pytest.mark.django_db
def test_a_killed_recompute_keeps_the_old_rails_and_the_next_run_starts_at_once(site):
    env, postgres = site
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo", "--members", "60")
    manage(env, "recompute_recs", "-v0")
    before = json.loads(manage(env, "shell", "-v0", "-c", PAGE_CHECK).stdout.splitlines()[-1])
    assert before["status"] == 200 and before["for_you"] and before["rails"]

    run = subprocess.Popen(
        [sys.executable, "manage.py", "recompute_recs"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not lock_held(env, postgres):
        assert run.poll() is None, "recompute_recs ended before it could be killed"
        assert time.monotonic() < deadline, "recompute_recs never took its lock"
        time.sleep(0.02)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    assert run.returncode == -signal.SIGKILL

    after_kill = json.loads(manage(env, "shell", "-v0", "-c", PAGE_CHECK).stdout.splitlines()[-1])
    assert after_kill["status"] == 200 and after_kill["for_you"]
    assert len(after_kill["rails"]) == len(before["rails"])  # every rail still there

    started = time.monotonic()
    while lock_held(env, postgres):  # the server notices the dropped connection
        assert time.monotonic() - started < 10, "the killed run's lock outlived it"
        time.sleep(0.05)
    done = manage(env, "recompute_recs", "-v1")
    assert "recompute_recs:" in done.stdout
    final = json.loads(manage(env, "shell", "-v0", "-c", PAGE_CHECK).stdout.splitlines()[-1])
    assert final["status"] == 200 and final["for_you"]
    assert {r[2] for r in final["rails"]}.isdisjoint({r[2] for r in before["rails"]})
