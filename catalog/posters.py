"""Generated SVG posters for titles without an image, so the site looks finished offline.

Each genre owns a palette; the first genre picks the colours and a hash of the title picks the
motif, so the same title always draws the same poster and neighbouring tiles look different.
"""

import hashlib
import textwrap
from xml.sax.saxutils import escape, quoteattr

WIDTH, HEIGHT = 300, 450

# (background top, background bottom, accent) per genre.
GENRE_PALETTES: dict[str, tuple[str, str, str]] = {
    "Action": ("#7f1d1d", "#1c0606", "#f97316"),
    "Adventure": ("#78350f", "#1f1305", "#fbbf24"),
    "Animation": ("#1e40af", "#0b1437", "#facc15"),
    "Comedy": ("#b45309", "#3b1d02", "#fde047"),
    "Crime": ("#1f2937", "#030712", "#dc2626"),
    "Documentary": ("#3f6212", "#111a05", "#d9f99d"),
    "Drama": ("#4c1d95", "#140726", "#c4b5fd"),
    "Family": ("#0e7490", "#05222a", "#fcd34d"),
    "Fantasy": ("#581c87", "#16052a", "#f0abfc"),
    "History": ("#713f12", "#1c0f04", "#fde68a"),
    "Horror": ("#450a0a", "#000000", "#ef4444"),
    "Music": ("#9d174d", "#2a0614", "#f9a8d4"),
    "Mystery": ("#134e4a", "#031312", "#5eead4"),
    "Romance": ("#9f1239", "#2b0510", "#fda4af"),
    "Science Fiction": ("#0c4a6e", "#020b17", "#22d3ee"),
    "Thriller": ("#27272a", "#09090b", "#eab308"),
    "War": ("#3f3f2e", "#0f0f0a", "#a3a380"),
    "Western": ("#7c2d12", "#230b03", "#fdba74"),
}
DEFAULT_PALETTE = ("#334155", "#0f172a", "#94a3b8")


def palette_for(genres: list[str]) -> tuple[str, str, str]:
    for genre in genres:
        if genre in GENRE_PALETTES:
            return GENRE_PALETTES[genre]
    return DEFAULT_PALETTE


def _title_lines(title: str) -> tuple[list[str], int]:
    """Wrap the title into at most four lines at the largest size whose lines fit the width."""
    usable = WIDTH - 48
    for size in (40, 34, 28, 23, 19):
        per_line = int(usable / (size * 0.66))  # bold capitals are about 0.66 em wide
        lines = textwrap.wrap(title, width=per_line, break_long_words=False)
        if len(lines) <= 4 and all(len(line) <= per_line for line in lines):
            return lines, size
    per_line = int(usable / (19 * 0.66))
    lines = textwrap.wrap(title, width=per_line, break_long_words=True)
    if len(lines) > 4:
        lines = lines[:4]
        lines[-1] = lines[-1][: per_line - 1] + "…"
    return lines, 19


def _motif(seed: bytes, accent: str) -> str:
    """A few soft shapes placed from the title's hash: circles, rings or diagonal bands."""
    choice = seed[0] % 3
    cx, cy = 60 + seed[1] % 180, 90 + seed[2] % 140
    radius = 70 + seed[3] % 80
    if choice == 0:
        return (
            f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="{accent}" opacity="0.22"/>'
            f'<circle cx="{WIDTH - cx}" cy="{cy + 60}" r="{radius // 2}" fill="{accent}" '
            f'opacity="0.14"/>'
        )
    if choice == 1:
        rings = "".join(
            f'<circle cx="{cx}" cy="{cy}" r="{radius - i * 18}" fill="none" stroke="{accent}" '
            f'stroke-width="3" opacity="{0.35 - i * 0.06:.2f}"/>'
            for i in range(4)
        )
        return rings
    offset = seed[4] % 120
    return "".join(
        f'<rect x="{-200 + offset + i * 70}" y="-40" width="26" height="620" fill="{accent}" '
        f'opacity="{0.10 + 0.05 * (i % 2):.2f}" transform="rotate(24 150 225)"/>'
        for i in range(6)
    )


def render_poster_svg(*, title: str, year: int | None, genres: list[str], kind: str) -> str:
    top, bottom, accent = palette_for(genres)
    seed = hashlib.blake2b(title.encode(), digest_size=8).digest()
    lines, size = _title_lines(title.upper())
    line_height = round(size * 1.12)
    first_y = 250 - (len(lines) - 1) * line_height // 2
    title_text = "".join(
        f'<tspan x="24" y="{first_y + i * line_height}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    caption = " · ".join(part for part in (str(year) if year else "", *genres[:2]) if part)
    label = "SERIES" if kind == "series" else "FILM"
    label_attr = quoteattr(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label={label_attr}>'
        f'<defs><linearGradient id="bg" x1="0" y1="0" x2="0.3" y2="1">'
        f'<stop offset="0" stop-color="{top}"/><stop offset="1" stop-color="{bottom}"/>'
        f"</linearGradient></defs>"
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="url(#bg)"/>'
        f"{_motif(seed, accent)}"
        f'<rect x="24" y="36" width="42" height="4" fill="{accent}"/>'
        f'<text x="24" y="60" fill="{accent}" font-family="Inter, Helvetica, Arial, sans-serif" '
        f'font-size="13" font-weight="700" letter-spacing="3">{label}</text>'
        f'<text fill="#ffffff" font-family="Inter, Helvetica, Arial, sans-serif" '
        f'font-size="{size}" font-weight="800" letter-spacing="0.5">{title_text}</text>'
        f'<text x="24" y="414" fill="#e5e7eb" opacity="0.85" '
        f'font-family="Inter, Helvetica, Arial, sans-serif" font-size="14">{escape(caption)}</text>'
        f"</svg>"
    )


def render_neutral_poster_svg() -> str:
    """The same poster for every title, naming none: what a visitor who may not see a title
    gets, so a poster URL does not tell whether a title exists."""
    top, bottom, accent = DEFAULT_PALETTE
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="Poster">'
        f'<defs><linearGradient id="bg" x1="0" y1="0" x2="0.3" y2="1">'
        f'<stop offset="0" stop-color="{top}"/><stop offset="1" stop-color="{bottom}"/>'
        f"</linearGradient></defs>"
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="url(#bg)"/>'
        f'<text x="24" y="60" fill="{accent}" font-family="Inter, Helvetica, Arial, sans-serif" '
        f'font-size="13" font-weight="700" letter-spacing="3">MARQUEE</text>'
        f"</svg>"
    )
