"""Writing a benchmark's table into its own section of docs/benchmarks.md."""

import re
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
BEGIN, END = "<!-- measured: written by the benchmark -->", "<!-- end of measured -->"


def section_write(heading: str, lines: list[str]) -> None:
    """Put `lines` under `heading`: between the section's BEGIN and END markers when it has
    them (the prose around them, written by hand, stays), else as the whole section (up to
    the next `## `), or appended as a new section."""
    text = BENCHMARKS.read_text() if BENCHMARKS.exists() else "# Benchmarks\n"
    measured = "\n".join([BEGIN, "", *lines]).rstrip("\n") + "\n\n" + END
    pattern = re.compile(re.escape(heading) + r"\n.*?(?=\n## |\Z)", re.S)
    found = pattern.search(text)
    if found and BEGIN in found[0] and END in found[0]:
        old = found[0]
        start, end = old.index(BEGIN), old.index(END) + len(END)
        section = old[:start] + measured + old[end:]
        text = text[: found.start()] + section + text[found.end() :]
    elif found:
        section = "\n".join([heading, "", measured])
        text = text[: found.start()] + section + "\n" + text[found.end() :]
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join([heading, "", measured])
    BENCHMARKS.write_text(text.rstrip("\n") + "\n")
