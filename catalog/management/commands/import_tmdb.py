from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from catalog.importers.tmdb import importer
from catalog.importers.tmdb.gateway import TMDBError, TMDBGateway
from catalog.services import GENRES


class Command(BaseCommand):
    help = (
        "Import movies and series from TMDB (needs TMDB_API_KEY): lists, discover, ids, or the "
        "MovieLens titles that have a TMDB id. Re-running changes nothing that did not change."
    )

    def add_arguments(self, parser):
        parser.add_argument("--popular", type=int, metavar="N", help="N popular titles per kind")
        parser.add_argument("--top-rated", type=int, metavar="N", help="N top-rated per kind")
        parser.add_argument("--trending", choices=("day", "week"), help="trending titles")
        parser.add_argument("--trending-limit", type=int, default=40, metavar="N")
        parser.add_argument("--discover", type=int, metavar="N", help="N titles per kind")
        parser.add_argument("--year", type=int, help="with --discover: release year")
        parser.add_argument("--genre", choices=GENRES, help="with --discover: one of our genres")
        parser.add_argument("--kind", choices=("movie", "series", "both"), default="both")
        parser.add_argument("--ids", help="e.g. 603,movie:550,tv:1396 (a bare id is a movie)")
        parser.add_argument(
            "--movielens",
            action="store_true",
            help="enrich the titles imported from MovieLens that have a TMDB id (links.csv)",
        )
        parser.add_argument("--batch", type=int, default=importer.BATCH, help="titles per batch")

    def handle(self, *args, verbosity, **opts):
        chosen = [
            opts[name] for name in ("popular", "top_rated", "trending", "discover", "ids")
        ] + [opts["movielens"] or None]
        if all(value is None for value in chosen):
            raise CommandError(
                "Say what to import: --popular N, --top-rated N, --trending day|week, "
                "--discover N [--year Y] [--genre G], --ids, or --movielens."
            )
        for name in ("popular", "top_rated", "discover", "trending_limit", "batch"):
            if opts[name] is not None and opts[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} must be at least 1")
        try:
            explicit = importer.parse_ids(opts["ids"]) if opts["ids"] else []
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        try:
            gateway = TMDBGateway()
        except TMDBError as exc:
            raise CommandError(str(exc)) from None
        try:
            report = self._run(gateway, opts, explicit, verbosity)
        except TMDBError as exc:
            raise CommandError(f"{exc} — nothing more was imported.") from None
        finally:
            gateway.close()
        for problem in report.problems:
            self.stderr.write(f"  {problem}")
        if report.ok:
            self.stdout.write(self.style.SUCCESS(report.summary()))
        else:
            self.stdout.write(self.style.WARNING(report.summary()))
            raise CommandError(
                f"{report.failed} titles could not be imported; the rest were. Run it again "
                "to retry them (titles already imported stay as they are)."
            )

    def _run(self, gateway, opts, explicit, verbosity):
        kind = opts["kind"]
        targets = list(explicit)
        if opts["popular"]:
            targets += importer.targets_popular(gateway, opts["popular"], kind)
        if opts["top_rated"]:
            targets += importer.targets_top_rated(gateway, opts["top_rated"], kind)
        if opts["trending"]:
            targets += importer.targets_trending(gateway, opts["trending"], opts["trending_limit"])
        if opts["discover"]:
            targets += importer.targets_discover(
                gateway, opts["discover"], kind=kind, year=opts["year"], genre=opts["genre"]
            )
        if opts["movielens"]:
            found = importer.targets_movielens()
            if not found:
                self.stderr.write(
                    "No MovieLens titles with a TMDB id: run import_movielens with links.csv first."
                )
            targets += found
        total = len(dict.fromkeys(targets))
        with tqdm(
            total=total, unit="title", desc="TMDB", file=self.stderr._out,
            disable=verbosity < 1, mininterval=0.5,
        ) as bar:  # fmt: skip
            return importer.tmdb_import(
                gateway=gateway, targets=targets, batch_size=opts["batch"], progress=bar.update
            )
