from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from catalog.importers.movielens_files import BadRow
from profiles.importers.movielens import movielens_import


class Command(BaseCommand):
    help = (
        "Import a MovieLens data set (CSV layout: movies.csv, ratings.csv, optional links.csv "
        "and tags.csv; the :: layout of ml-1m and ml-10m: movies.dat, ratings.dat, optional "
        "tags.dat; or the ml-100k layout: u.item, u.data). Re-running changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="folder holding the MovieLens files")
        parser.add_argument(
            "--skip-bad",
            action="store_true",
            help="count and skip malformed rows and unknown movie ids instead of stopping",
        )

    def handle(self, *args, path: Path, skip_bad: bool, verbosity: int, **options):
        def progress(total: int):
            return tqdm(
                total=total, unit="B", unit_scale=True, desc="ratings", file=self.stderr._out,
                disable=verbosity < 1, mininterval=0.5,
            )  # fmt: skip

        try:
            report = movielens_import(root=path, skip_bad=skip_bad, progress_factory=progress)
        except BadRow as error:
            raise CommandError(f"{error} — nothing was imported.") from None
        for example in report.skipped_examples:
            self.stderr.write(f"skipped {example}")
        self.stdout.write(self.style.SUCCESS(report.summary()))
