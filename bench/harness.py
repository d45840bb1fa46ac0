"""What the benchmarks share: running manage.py against the configured database, the bench
households, a free loopback port, and the servers under test (gunicorn, Redis, a Celery
worker)."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "movielens" / "ml-latest-small"


def manage(*args: str) -> str:
    """Run a management command; exit with its error output when it fails."""
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def households_create(count: int, *, email: str, credential: str) -> list[dict]:
    """`count` households, the n-th with the e-mail `email.format(n=n)` and one adult profile
    that holds a synthetic member's ratings and has finished onboarding. They are made afresh
    for each run: an earlier run's thumbs down, My List adds and ratings would otherwise change
    what the next one measures (a title already on My List or rated the same is not re-scored),
    so two runs of different code would not start alike. Each comes with its profile id and
    what a returning client arrives with: `credential="jwt"`, an access token (`access`);
    `"session"`, a signed-in session with the profile chosen (`session`), as a viewer's cookie
    holds for weeks. Neither signs in with a password: the benchmarks measure the site, not
    password hashing."""
    if credential not in ("jwt", "session"):
        raise ValueError(f"credential must be 'jwt' or 'session', got {credential!r}")
    code = f"""
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils import timezone
from rest_framework_simplejwt.tokens import RefreshToken
from profiles.access import SESSION_KEY as PROFILE_KEY
from profiles.models import Account, Profile, Rating
from profiles.services import profile_create
members = list(Profile.objects.filter(household__is_synthetic=True).order_by("pk"))
emails = [{email!r}.format(n=n) for n in range({count})]
Account.objects.filter(email__in=emails).delete()  # with everything an earlier run left
out = []
for n, email in enumerate(emails):
    account = Account.objects.create_user(email=email, password=None)
    profile = profile_create(household=account, name=f"Viewer {{n}}")
    source = members[n % len(members)]
    Rating.objects.bulk_create(
        Rating(profile=profile, title_id=r.title_id, value=r.value, created_at=r.created_at)
        for r in source.ratings.all()
    )
    Profile.objects.filter(pk=profile.pk).update(onboarding_step=4, onboarded_at=timezone.now())
    row = {{"profile_id": profile.pk}}
    if {credential!r} == "jwt":
        row["access"] = str(RefreshToken.for_user(account).access_token)
    else:
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session[SESSION_KEY] = str(account.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = account.get_session_auth_hash()
        session[PROFILE_KEY] = profile.pk
        session.create()
        row["session"] = session.session_key
    out.append(row)
print(json.dumps(out))
"""
    return json.loads(manage("shell", "-c", code).strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def redis_serving() -> Iterator[tuple[str, subprocess.Popen]]:
    """A private redis-server (nothing on disk) on a free port, for runs that stop or kill it;
    yields its URL and process."""
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0", server
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGCONT)
            server.kill()
            server.wait(timeout=10)


@contextmanager
def celery_worker(env: dict, *, concurrency: int = 1) -> Iterator[None]:
    """A Celery worker (config/celery.py) running the site's django.tasks, as production's
    `worker` service does; stopped on exit."""
    worker = subprocess.Popen(
        [PYTHON, "-m", "celery", "-A", "config", "worker", "--concurrency", str(concurrency),
         "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        time.sleep(5)  # the worker connects to the broker before the first message matters
        yield
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)


@contextmanager
def gunicorn_serving(*, workers: int = 4, env: dict | None = None) -> Iterator[str]:
    """The site under gunicorn (sync workers) on a free loopback port, answering once it is up;
    yields its base URL and stops it on exit."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "config.wsgi:application", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, start_new_session=True, env=env,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                requests.get(base + "/accounts/login/", timeout=10)
                break
            except requests.RequestException:
                time.sleep(0.2)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
