import pytest


def _django_active(request) -> bool:
    # The engine's tests can run with `-p no:django`; these fixtures then do nothing.
    return request.config.pluginmanager.hasplugin("django")


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Each test starts with an empty cache (Redis db in CI, local memory otherwise)."""
    if not _django_active(request):
        yield
        return
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _on_commit_as_in_production(request):
    """A test case wraps each test in a transaction that never commits, so on-commit callbacks
    (the rails pipeline's invalidation and re-scoring) would never run. Here they run when they
    would in production: at once outside any transaction of the code under test, and when its
    outermost transaction ends."""
    if not _django_active(request):
        yield
        return
    from django.db import transaction
    from django.db.backends.base.base import BaseDatabaseWrapper

    def only_test_case_open(connection) -> bool:
        return all(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)

    def run_pending(connection) -> None:
        while connection.run_on_commit and only_test_case_open(connection):
            _, func, _ = connection.run_on_commit.pop(0)
            func()

    original_on_commit = BaseDatabaseWrapper.on_commit
    original_exit = transaction.Atomic.__exit__

    def on_commit(self, func, robust=False):
        if self.in_atomic_block and self.atomic_blocks and only_test_case_open(self):
            return func()
        return original_on_commit(self, func, robust)

    def atomic_exit(self, exc_type, exc_value, traceback):
        connection = transaction.get_connection(self.using)
        result = original_exit(self, exc_type, exc_value, traceback)
        if connection.in_atomic_block and connection.atomic_blocks and not self._from_testcase:
            run_pending(connection)
        return result

    BaseDatabaseWrapper.on_commit = on_commit
    transaction.Atomic.__exit__ = atomic_exit
    yield
    BaseDatabaseWrapper.on_commit = original_on_commit
    transaction.Atomic.__exit__ = original_exit


@pytest.fixture(autouse=True)
def _fast_password_hashing(request):
    # Real hashers are deliberately slow; tests check behaviour, not hashing cost.
    if _django_active(request):
        settings = request.getfixturevalue("settings")
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def artifacts_tmp(request, tmp_path):
    """Engine artifacts in a temporary folder, with nothing loaded from an earlier test. For
    every test: none may read (or write) a model that `make run`, a benchmark or another test
    left in var/artifacts."""
    if not _django_active(request):
        yield None
        return
    from recommender.catalogue_facts import process_caches_clear

    settings = request.getfixturevalue("settings")
    settings.MARQUEE_ARTIFACTS_DIR = tmp_path / "artifacts"
    settings.STORAGES = {
        **settings.STORAGES,
        "artifacts": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "artifacts", "base_url": None},
        },
    }
    process_caches_clear()
    yield tmp_path / "artifacts"
    process_caches_clear()


@pytest.fixture
def demo_site(artifacts_tmp):
    """The demo catalogue with a smaller community, and rails computed, for browser tests."""
    from django.core.management import call_command

    call_command("load_demo", members=80, verbosity=0)
    call_command("recompute_recs", verbosity=0)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


@pytest.fixture(scope="session", autouse=True)
def _live_server_serial_on_sqlite(request):
    """The live server shares the test's in-memory SQLite connection with every thread it
    starts, and SQLite refuses concurrent use of one connection ("bad parameter or other API
    misuse" when the browser loads posters and rails at once): there it runs one request at a
    time. Connections are still accepted on threads, so a connection the browser opens ahead
    of time and leaves idle cannot stall the server. PostgreSQL keeps the plain threaded
    server."""
    if not _django_active(request):
        return
    import threading

    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.db import connection
    from django.test.testcases import LiveServerThread

    class OneRequestAtATimeWSGIServer(ThreadedWSGIServer):
        def set_app(self, application):
            lock = threading.Lock()

            def one_at_a_time(environ, start_response):
                with lock:  # the body is read and the response closed inside the lock too
                    response = application(environ, start_response)
                    try:
                        return [b"".join(response)]
                    finally:
                        if hasattr(response, "close"):
                            response.close()

            super().set_app(one_at_a_time)

    if connection.vendor == "sqlite":
        LiveServerThread.server_class = OneRequestAtATimeWSGIServer


@pytest.fixture(autouse=True)
def _after_response_tasks_done(request):
    """A live-server test's client has its answer before the server has run the tasks that
    answer left for after the response (a signal's re-score): the test waits for them before
    its database is emptied, or they would hold locks against the flush and run on into the
    next test."""
    if not _django_active(request) or "live_server" not in request.fixturenames:
        yield
        return
    from config.task_queue import after_response_pending, after_response_wait

    request.getfixturevalue("transactional_db")  # set up first, so emptied after the wait
    before = after_response_pending()  # responses an earlier test's harness never closed
    yield
    assert after_response_wait(timeout=120, at_most=before), "tasks still ran after 120 s"


@pytest.fixture
def browser_page(live_server):
    """A Playwright page in Debian's chromium, pointed at the live test server."""
    import os
    import shutil

    if not shutil.which("chromium") and not os.path.exists(CHROMIUM):
        pytest.skip(
            "Debian's chromium is not installed (.ci/run installs it: apt-get install chromium)"
        )
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous, so Django's async-safety guard does not apply here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # The live server answers each request in a new thread; persistent connections would
    # outlive the test and keep PostgreSQL from dropping the test database.
    from django.db import connections

    connections.settings["default"]["CONN_MAX_AGE"] = 0
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        # The test's own queries ran while Playwright's sync API held this thread: the database
        # connection they opened is not the one the fixtures' teardown sees, and it would stay
        # open and keep PostgreSQL from dropping the test database. Closed here, in their view.
        connections.close_all()
        context.close()
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def private_redis(tmp_path):
    """A Redis server of the test's own on a free loopback port (the shared one is never
    stopped), for tests that hang it (SIGSTOP) or kill it; yields (process, url)."""
    import os
    import shutil
    import signal
    import socket
    import subprocess
    import time

    from config.redis_cache import breaker_reset

    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.02)
    breaker_reset()
    yield server, f"redis://127.0.0.1:{port}/0"
    if server.poll() is None:
        os.kill(server.pid, signal.SIGCONT)
        server.kill()
    server.wait()
    breaker_reset()
