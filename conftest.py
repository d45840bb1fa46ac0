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


@pytest.fixture(autouse=True)
def _fast_password_hashing(request):
    # Real hashers are deliberately slow; tests check behaviour, not hashing cost.
    if _django_active(request):
        settings = request.getfixturevalue("settings")
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def artifacts_tmp(settings, tmp_path):
    """Engine artifacts in a temporary folder, with nothing loaded from an earlier test."""
    from recommender.catalogue_facts import process_caches_clear

    settings.MARQUEE_ARTIFACTS_DIR = tmp_path / "artifacts"
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
    misuse" when the browser loads posters and rails at once): there it serves requests one by
    one. PostgreSQL keeps the threaded server."""
    if not _django_active(request):
        return
    from django.core.servers.basehttp import WSGIServer
    from django.db import connection
    from django.test.testcases import LiveServerThread

    class SerialWSGIServer(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)

    if connection.vendor == "sqlite":
        LiveServerThread.server_class = SerialWSGIServer


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
        context.close()
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
