import csv
import json
import os
import tempfile
from itertools import islice
from pathlib import Path
from typing import TextIO

from django.core.management.base import BaseCommand, CommandError

from profiles.taste import signals_for

FIELDS = ["profile", "title", "signal", "weight", "timestamp"]


class Command(BaseCommand):
    help = (
        "Write every weighted viewer signal (profile, title, signal, weight, timestamp) to "
        "--output, or to standard output without it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv"], default="csv")
        parser.add_argument("--limit", type=int, default=None, help="at most N rows")
        parser.add_argument(
            "--output", type=Path, default=None, help="file to write (default: standard output)"
        )

    def handle(self, *args, format: str, limit: int | None, output: Path | None, **options):
        if limit is not None and limit < 1:
            raise CommandError("--limit must be 1 or more")
        if output is None:
            # The data goes to stdout alone, so `> file` or a pipe gets nothing else.
            count = _write(self.stdout._out, format, limit)
            self.stderr.write(f"Wrote {count:,} signals to standard output ({format}).")
            return
        if not output.parent.is_dir():
            raise CommandError(f"{output.parent}: no such directory")
        # Write beside the target and rename, so a failure never leaves half a file behind.
        handle, tmp_name = tempfile.mkstemp(
            dir=output.parent, prefix=f".{output.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "w", newline="", encoding="utf-8") as out:
                count = _write(out, format, limit)
            os.replace(tmp_name, output)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        self.stdout.write(self.style.SUCCESS(f"Wrote {count:,} signals to {output} ({format})."))


def _write(out: TextIO, format: str, limit: int | None) -> int:
    """Every signal (at most `limit`) as CSV with a header row, or as one JSON array."""
    count = 0
    if format == "csv":
        writer = csv.writer(out)
        writer.writerow(FIELDS)
    else:
        out.write("[\n")
    for signal in islice(signals_for(), limit):
        record = [
            signal.profile_id, signal.title_id, signal.source,
            round(signal.weight, 4), signal.at.isoformat(),
        ]  # fmt: skip
        if format == "csv":
            writer.writerow(record)
        else:
            out.write((",\n" if count else "") + json.dumps(dict(zip(FIELDS, record, strict=True))))
        count += 1
    if format == "json":
        out.write("\n]\n")
    return count
