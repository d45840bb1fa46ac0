"""Where a request of the audience mix spends its time: the clicks of bench/locustfile.py
replayed in one process through Django's test client for many distinct viewers, with each
endpoint's CPU time and SQL queries per request, and a cProfile of the chosen endpoints.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/marquee_load \\
    REDIS_URL=redis://127.0.0.1:6379/2 .venv/bin/python bench/profile_mix.py \\
        [--viewers 40] [--rounds 3] [--top 40] [--endpoint "title page"] [--sort tottime]

Run bench/load.py first: it loads the data and makes the viewers' households (their e-mail
addresses end in @load.marquee.local). No network, no gunicorn: what is left is the
application's own cost. CPU figures of the profiled endpoints include cProfile's overhead.
"""

import argparse
import cProfile
import os
import pstats
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

from mix import LAZY_CAROUSELS, LAZY_RAIL, TITLE_LINK, WORDS

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--viewers", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--endpoint", help="profile only this endpoint (default: all)")
    parser.add_argument("--sort", default="cumulative", choices=("cumulative", "tottime"))
    parser.add_argument("--dump", help="also write the raw profile here (for pstats)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from profiles.access import SESSION_KEY as PROFILE_KEY
    from profiles.models import Profile

    viewers = Profile.objects.filter(household__email__endswith="@load.marquee.local")
    profiles = list(viewers.order_by("pk")[: args.viewers])
    if not profiles:
        sys.exit("no load viewers: run bench/load.py first (same DATABASE_URL)")
    # One handler for every client, as a served worker has one: each client's own would build
    # the middleware on its first request, and whitenoise then reads every static file's
    # headers (about 65 ms), which a worker pays once, not per viewer.
    warm = Client(HTTP_HOST="localhost")
    clients = []
    for profile in profiles:
        client = Client(HTTP_HOST="localhost")
        client.handler = warm.handler
        client.force_login(profile.household)
        session = client.session
        session[PROFILE_KEY] = profile.pk
        session.save()
        clients.append((client, []))

    warm.get("/accounts/login/")  # builds the shared handler's middleware
    cpu, queries, counts = defaultdict(float), defaultdict(int), defaultdict(int)
    profiler = cProfile.Profile()
    rng = random.Random(7)

    def hit(name, client, method, path, *rest, **kwargs):
        profiling = args.endpoint in (None, name)
        connection.queries_log.clear()  # it keeps 9,000: a full log would be miscounted
        with CaptureQueriesContext(connection) as captured:
            started = time.process_time()
            if profiling:
                profiler.enable()
            response = getattr(client, method)(path, *rest, **kwargs)
            if profiling:
                profiler.disable()
            cpu[name] += time.process_time() - started
        queries[name] += len(captured)
        counts[name] += 1
        return response

    for _ in range(args.rounds):
        for client, slugs in clients:
            page = hit("home", client, "get", "/")
            assert page.status_code == 200, page.status_code
            text = page.content.decode()
            slugs[:] = TITLE_LINK.findall(text) or slugs
            for rail in LAZY_RAIL.findall(text)[:2]:
                fragment = hit("rail fragment", client, "get", rail, HTTP_HX_REQUEST="true")
                slugs += TITLE_LINK.findall(fragment.content.decode())[:5]
            for _ in range(2):
                if slugs:
                    page = hit("title page", client, "get",
                               f"/title/{rng.choice(slugs)}/?rail=for-you")  # fmt: skip
                    for carousels in LAZY_CAROUSELS.findall(page.content.decode()):
                        hit("title carousels", client, "get", carousels, HTTP_HX_REQUEST="true")
            hit("search", client, "get", "/search/", {"q": rng.choice(WORDS)})
            if slugs:
                slug = slugs.pop(rng.randrange(len(slugs)))
                data = {"value": "down", "context": "rail", "next": "/"}
                hit("thumbs down", client, "post", f"/title/{slug}/feedback/", data,
                    HTTP_HX_REQUEST="true")  # fmt: skip
            if slugs:
                data = {"action": "add", "context": "rail", "next": "/"}
                hit("my list add", client, "post", f"/title/{rng.choice(slugs)}/my-list/", data,
                    HTTP_HX_REQUEST="true")  # fmt: skip
                hit("rating", client, "post", f"/title/{rng.choice(slugs)}/rate/",
                    {"stars": rng.choice([3, 4, 5])}, HTTP_HX_REQUEST="true")  # fmt: skip

    print("| endpoint | requests | CPU ms per request | SQL queries per request |")
    print("|---|---|---|---|")
    for name in cpu:
        print(f"| {name} | {counts[name]} | {cpu[name] / counts[name] * 1000:.1f} "
              f"| {queries[name] / counts[name]:.1f} |")  # fmt: skip
    total = sum(cpu.values()) / sum(counts.values())
    print(f"\nAll requests: {total * 1000:.1f} ms CPU on average.\n")
    if args.endpoint == "none":
        return
    if args.dump:
        profiler.dump_stats(args.dump)
    stats = pstats.Stats(profiler).strip_dirs().sort_stats(args.sort)
    stats.print_stats(args.top)


if __name__ == "__main__":
    main()
