"""Generated SVG posters for titles without an image, so the site looks finished offline.

Each genre owns a palette; the first genre picks the family of colours, and a hash of the title
turns and lightens them, picks the motif (six kinds) and the layout (four), so the same title
always draws the same poster and a row of ten in one genre looks like ten different posters.
"""

import colorsys
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


def _shifted(colour: str, hue_turn: float, lightness: float) -> str:
    """The colour turned round the colour wheel by `hue_turn` (a fraction of a turn) and
    lightened or darkened by `lightness` (-1..1 of the room left)."""
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, light, saturation = colorsys.rgb_to_hls(red, green, blue)
    light = light + (1 - light) * lightness if lightness > 0 else light * (1 + lightness)
    rgb = colorsys.hls_to_rgb((hue + hue_turn) % 1.0, light, saturation)
    return "#" + "".join(f"{round(channel * 255):02x}" for channel in rgb)


def poster_palette(genres: list[str], seed: bytes) -> tuple[str, str, str]:
    """The first genre's palette, turned by up to ±40° and lightened or darkened a little by the
    title's hash; the second genre, when there is one, lends its accent half of the time. So a
    row of titles in one genre shares a family of colours without two posters looking alike."""
    top, bottom, accent = palette_for(genres)
    turn = ((seed[5] / 255) - 0.5) * (80 / 360)
    light = ((seed[6] / 255) - 0.5) * 0.5
    if len(genres) > 1 and seed[7] % 2 and genres[1] in GENRE_PALETTES:
        accent = GENRE_PALETTES[genres[1]][2]
    return (
        _shifted(top, turn, light),
        _shifted(bottom, turn, light / 2),
        _shifted(accent, turn / 2, 0.0),
    )


def _motif(seed: bytes, accent: str) -> str:
    """Shapes placed from the title's hash: circles, rings, diagonal bands, a dot grid, a sun on
    a horizon, or a diagonal split."""
    choice = seed[0] % 6
    cx, cy = 60 + seed[1] % 180, 90 + seed[2] % 140
    radius = 70 + seed[3] % 80
    if choice == 0:
        return (
            f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="{accent}" opacity="0.22"/>'
            f'<circle cx="{WIDTH - cx}" cy="{cy + 60}" r="{radius // 2}" fill="{accent}" '
            f'opacity="0.14"/>'
        )
    if choice == 1:
        return "".join(
            f'<circle cx="{cx}" cy="{cy}" r="{radius - i * 18}" fill="none" stroke="{accent}" '
            f'stroke-width="3" opacity="{0.35 - i * 0.06:.2f}"/>'
            for i in range(4)
        )
    if choice == 2:
        offset, angle = seed[4] % 120, 10 + seed[1] % 50
        return "".join(
            f'<rect x="{-200 + offset + i * 70}" y="-40" width="26" height="620" fill="{accent}" '
            f'opacity="{0.10 + 0.05 * (i % 2):.2f}" transform="rotate({angle} 150 225)"/>'
            for i in range(6)
        )
    if choice == 3:
        step = 22 + seed[4] % 16
        return "".join(
            f'<circle cx="{x}" cy="{y}" r="{2 + (x + y + seed[3]) % 4}" fill="{accent}" '
            f'opacity="0.28"/>'
            for x in range(step // 2, WIDTH, step)
            for y in range(step // 2, HEIGHT // 2 + 40, step)
        )
    if choice == 4:
        horizon = 200 + seed[4] % 90
        return (
            f'<circle cx="{cx}" cy="{horizon}" r="{radius // 2 + 20}" fill="{accent}" '
            f'opacity="0.55"/>'
            f'<rect y="{horizon}" width="{WIDTH}" height="{HEIGHT - horizon}" fill="#000" '
            f'opacity="0.45"/>'
            + "".join(
                f'<rect y="{horizon + 8 + i * 14}" width="{WIDTH}" height="2" fill="{accent}" '
                f'opacity="{0.25 - i * 0.04:.2f}"/>'
                for i in range(5)
            )
        )
    corner = seed[4] % WIDTH
    return (
        f'<polygon points="0,0 {WIDTH},0 {WIDTH},{80 + corner // 2} 0,{260 + corner // 2}" '
        f'fill="{accent}" opacity="0.18"/>'
        f'<line x1="0" y1="{260 + corner // 2}" x2="{WIDTH}" y2="{80 + corner // 2}" '
        f'stroke="{accent}" stroke-width="3" opacity="0.5"/>'
    )


# Where the title sits: (first line's y for a one-line title, text-anchor, x). The label sits
# opposite the title; the caption stays at the foot.
LAYOUTS = [(250, "start", 24), (340, "start", 24), (130, "start", 24), (240, "middle", 150)]


def render_poster_svg(*, title: str, year: int | None, genres: list[str], kind: str) -> str:
    seed = hashlib.blake2b(title.encode(), digest_size=8).digest()
    top, bottom, accent = poster_palette(genres, seed)
    centre_y, anchor, x = LAYOUTS[seed[4] % len(LAYOUTS)]
    lines, size = _title_lines(title.upper())
    line_height = round(size * 1.12)
    first_y = centre_y - (len(lines) - 1) * line_height // 2
    title_text = "".join(
        f'<tspan x="{x}" y="{first_y + i * line_height}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    caption = " · ".join(part for part in (str(year) if year else "", *genres[:2]) if part)
    label = "SERIES" if kind == "series" else "FILM"
    label_y = 60 if centre_y > 180 else 380
    label_x = x if anchor == "start" else 150 - 21
    label_attr = quoteattr(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label={label_attr}>'
        f'<defs><linearGradient id="bg" x1="0" y1="0" x2="{0.1 + seed[2] % 5 / 10:.1f}" y2="1">'
        f'<stop offset="0" stop-color="{top}"/><stop offset="1" stop-color="{bottom}"/>'
        f"</linearGradient></defs>"
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="url(#bg)"/>'
        f"{_motif(seed, accent)}"
        f'<rect x="{label_x}" y="{label_y - 24}" width="42" height="4" fill="{accent}"/>'
        f'<text x="{label_x}" y="{label_y}" fill="{accent}" '
        f'font-family="Inter, Helvetica, Arial, sans-serif" '
        f'font-size="13" font-weight="700" letter-spacing="3">{label}</text>'
        f'<text fill="#ffffff" font-family="Inter, Helvetica, Arial, sans-serif" '
        f'text-anchor="{anchor}" font-size="{size}" font-weight="800" letter-spacing="0.5" '
        f'stroke="#000" stroke-opacity="0.25" stroke-width="1">{title_text}</text>'
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
