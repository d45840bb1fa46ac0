"""Screenshots of the Your Marquee pages for docs/screenshots, at desktop (1440x900) and
phone (390x844) widths, from the demo data.

    .venv/bin/python bench/dashboard_screenshots.py

Loads the demo into a fresh SQLite database in a temporary MARQUEE_VAR_DIR, backfills the demo
profile's badges, joins it to this week's first challenge, serves the site with `runserver` on
a free port and photographs each page as Alex with Debian's chromium (Playwright).
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}


def main() -> None:
    from bench.harness import free_port

    with tempfile.TemporaryDirectory(prefix="marquee-shots-") as var_dir:
        env = os.environ | {"MARQUEE_VAR_DIR": var_dir, "DJANGO_DEBUG": "1"}
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        run = [sys.executable, "manage.py"]
        for command in (["migrate"], ["load_demo"], ["recompute_recs"], ["award_badges"]):
            subprocess.run([*run, *command, "-v0"], cwd=ROOT, env=env, check=True)
        port = free_port()
        server = subprocess.Popen(
            [*run, "runserver", f"127.0.0.1:{port}", "--noreload"], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            time.sleep(4)
            os.environ |= {"MARQUEE_VAR_DIR": var_dir, "DJANGO_SETTINGS_MODULE": "config.settings"}
            import django

            django.setup()
            photograph(f"http://127.0.0.1:{port}")
        finally:
            server.terminate()
            server.wait(timeout=10)


def photograph(base: str) -> None:
    from playwright.sync_api import sync_playwright

    from config.tests.browser import sign_in

    year = time.gmtime().tm_year
    pages = {
        "dashboard": "/me/",
        "badges": "/me/badges/",
        "challenges": "/me/challenges/",
        "leaderboard": "/me/leaderboard/",
        "year-in-review": f"/me/year/{year}/",
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])  # fmt: skip
        for size, (width, height) in SIZES.items():
            context = browser.new_context(
                base_url=base, viewport={"width": width, "height": height}
            )
            page = context.new_page()
            sign_in(page, "Alex")
            page.goto("/me/challenges/")
            join = page.get_by_role("button", name="Join")
            if join.count():
                join.first.click()
                page.wait_for_load_state("networkidle")
            for name, path in pages.items():
                page.goto(path)
                page.wait_for_load_state("networkidle")
                if name == "dashboard":
                    page.wait_for_selector("#preview-rail .tile", timeout=30_000)
                page.screenshot(path=str(OUT / f"{name}-{size}.png"))
                print(f"{name}-{size}.png")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
