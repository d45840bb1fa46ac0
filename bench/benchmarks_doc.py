"""Writing a benchmark's table into its own section of docs/benchmarks.md."""

import re
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def section_write(heading: str, lines: list[str]) -> None:
    """Replace the section under `heading` (up to the next `## `), or append it."""
    text = BENCHMARKS.read_text() if BENCHMARKS.exists() else "# Benchmarks\n"
    section = "\n".join([heading, "", *lines]).rstrip("\n")
    pattern = re.compile(re.escape(heading) + r"\n.*?(?=\n## |\Z)", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text)  # keeps the blank line before the next
    else:
        text = text.rstrip("\n") + "\n\n" + section
    BENCHMARKS.write_text(text.rstrip("\n") + "\n")
