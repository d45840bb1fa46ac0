import csv
import json
import os
import tempfile
from itertools import islice
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from profiles.taste import signals_for

FIELDS = ["profile", "title", "signal", "weight", "timestamp"]


class Command(BaseCommand):
    help = "Write every weighted viewer signal (profile, title, signal, weight, timestamp)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv"], default="csv")
        parser.add_argument("--limit", type=int, default=None, help="at most N rows")
        parser.add_argument("--output", type=Path, required=True, help="file to write")

    def handle(self, *args, format: str, limit: int | None, output: Path, **options):
        if limit is not None and limit < 1:
            raise CommandError("--limit must be 1 or more")
        if not output.parent.is_dir():
            raise CommandError(f"{output.parent}: no such directory")
        rows = islice(signals_for(), limit)
        # Write beside the target and rename, so a failure never leaves half a file behind.
        handle, tmp_name = tempfile.mkstemp(
            dir=output.parent, prefix=f".{output.name}.", suffix=".tmp"
        )
        count = 0
        try:
            with os.fdopen(handle, "w", newline="", encoding="utf-8") as out:
                if format == "csv":
                    writer = csv.writer(out)
                    writer.writerow(FIELDS)
                else:
                    out.write("[\n")
                for signal in rows:
                    record = [
                        signal.profile_id, signal.title_id, signal.source,
                        round(signal.weight, 4), signal.at.isoformat(),
                    ]  # fmt: skip
                    if format == "csv":
                        writer.writerow(record)
                    else:
                        out.write(
                            (",\n" if count else "")
                            + json.dumps(dict(zip(FIELDS, record, strict=True)))
                        )
                    count += 1
                if format == "json":
                    out.write("\n]\n")
            os.replace(tmp_name, output)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        self.stdout.write(self.style.SUCCESS(f"Wrote {count:,} signals to {output} ({format})."))
