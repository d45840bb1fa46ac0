"""Running manage.py (and a Celery worker) as real processes against a database of the test's
own: a SQLite file, or a fresh PostgreSQL database when the suite runs on PostgreSQL."""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def site_environment(tmp_path: Path, *, sqlite_file: Path | None = None):
    """Environment variables for manage.py, and (server URL, database name) on PostgreSQL.
    `sqlite_file` names the SQLite database explicitly (for processes with different var
    folders); by default it is the one in MARQUEE_VAR_DIR."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env |= {"MARQUEE_VAR_DIR": str(tmp_path), "MARQUEE_ARTIFACTS_DIR": str(tmp_path / "art")}
    env.pop("PYTEST_XDIST_WORKER", None)
    env.pop("TASKS_BACKEND", None)
    if connection.vendor != "postgresql":
        if sqlite_file is not None:
            env["DATABASE_URL"] = f"sqlite:///{sqlite_file}"
        yield env, None
        return
    import psycopg

    db = settings.DATABASES["default"]
    server = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    name = f"marquee_proc_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = f"{server}/{name}"
    try:
        yield env, (f"{server}/postgres", name)
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env, *args, cwd: Path = ROOT, timeout=300) -> subprocess.CompletedProcess:
    """`manage.py ARGS` run from `cwd`; fails the test with its output when it fails."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], cwd=cwd, env=env,
        capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done
