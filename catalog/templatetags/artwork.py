"""srcset for TMDB artwork: the same image at the CDN's other widths. Generated SVG posters
(and any other URL) get none: they scale by themselves."""

import re

from django import template

register = template.Library()

# TMDB's image URLs end in /<size>/<file>; these widths exist for every poster and backdrop.
_SIZED = re.compile(r"^(?P<base>https?://.+/)(?P<size>w\d+|original)(?P<file>/[^/]+)$")
WIDTHS = {"poster": (185, 342, 500, 780), "backdrop": (780, 1280)}


@register.filter
def tmdb_srcset(url: str, kind: str = "poster") -> str:
    match = _SIZED.match(url or "")
    if match is None:
        return ""
    base, file = match["base"], match["file"]
    return ", ".join(f"{base}w{width}{file} {width}w" for width in WIDTHS.get(kind, ()))
