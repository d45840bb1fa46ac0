from datetime import date

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from catalog.importers.tmdb.gateway import TMDBError, TMDBGateway
from catalog.importers.tmdb.importer import BATCH
from catalog.importers.tmdb.sync import tmdb_sync


class Command(BaseCommand):
    help = (
        "Nightly: update the titles TMDB's change lists name, from the last checkpoint (needs "
        "TMDB_API_KEY). A crashed run resumes where it stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            type=date.fromisoformat,
            metavar="YYYY-MM-DD",
            help="read changes from this day (default: the checkpoint, else yesterday)",
        )
        parser.add_argument("--batch", type=int, default=BATCH, help="titles per transaction")

    def handle(self, *args, since, batch, verbosity, **options):
        if batch < 1:
            raise CommandError("--batch must be at least 1")
        try:
            gateway = TMDBGateway()
        except TMDBError as exc:
            raise CommandError(str(exc)) from None
        try:
            with tqdm(unit="title", desc="TMDB sync", file=self.stderr._out,
                      disable=verbosity < 1, mininterval=0.5) as bar:  # fmt: skip
                report = tmdb_sync(
                    gateway=gateway, since=since, batch_size=batch, progress=bar.update
                )
        except TMDBError as exc:
            raise CommandError(str(exc)) from None
        finally:
            gateway.close()
        self.stdout.write(self.style.SUCCESS(report.summary()))
