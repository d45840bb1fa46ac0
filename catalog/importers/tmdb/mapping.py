"""TMDB answers -> our catalogue's fields. Pure functions of the JSON; no database, no network."""

from dataclasses import dataclass, field
from datetime import date

from catalog.models import Certification, Kind

# TMDB genre names (movie and TV lists) -> ours. "TV Movie", "News", "Reality", "Soap" and
# "Talk" have no counterpart in our vocabulary and are dropped.
GENRE_MAP: dict[str, tuple[str, ...]] = {
    "Action & Adventure": ("Action", "Adventure"),
    "Sci-Fi & Fantasy": ("Science Fiction", "Fantasy"),
    "War & Politics": ("War",),
    "Kids": ("Family",),
    **{
        name: (name,)
        for name in (
            "Action", "Adventure", "Animation", "Comedy", "Crime", "Documentary", "Drama",
            "Family", "Fantasy", "History", "Horror", "Music", "Mystery", "Romance",
            "Science Fiction", "Thriller", "War", "Western",
        )
    },
}  # fmt: skip
CERTIFICATIONS = frozenset(Certification.values)
# US theatrical release types, preferred in this order: theatrical, limited, digital, physical,
# premiere, TV.
RELEASE_TYPE_ORDER = (3, 2, 4, 5, 1, 6)
CAST_LIMIT = 12
CREW_JOBS = {"Director": "director", "Screenplay": "writer", "Writer": "writer"}


@dataclass
class TitleData:
    kind: str
    tmdb_id: int
    fields: dict
    poster_path: str = ""
    backdrop_path: str = ""
    genres: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    # (tmdb person id, name, role, character, order)
    credits: list[tuple[int, str, str, str, int]] = field(default_factory=list)


class PayloadError(ValueError):
    """A TMDB answer missing what every title has (an id and a name)."""


def _date(raw) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except (TypeError, ValueError):
        return None


def _number(raw, default=0.0) -> float:
    return float(raw) if isinstance(raw, int | float) else default


def certification_movie(payload: dict) -> str:
    """The US certification from /release_dates; unknown or missing -> NR (adult-only)."""
    for country in (payload.get("release_dates") or {}).get("results") or []:
        if country.get("iso_3166_1") != "US":
            continue
        dates = [d for d in country.get("release_dates") or [] if d.get("certification")]
        dates.sort(
            key=lambda d: (
                RELEASE_TYPE_ORDER.index(d.get("type"))
                if d.get("type") in RELEASE_TYPE_ORDER
                else len(RELEASE_TYPE_ORDER)
            )
        )
        for entry in dates:
            value = entry["certification"].strip().upper()
            if value in CERTIFICATIONS:
                return value
    return Certification.NR


def certification_series(payload: dict) -> str:
    """The US rating from /content_ratings; unknown or missing -> NR (adult-only)."""
    for rating in (payload.get("content_ratings") or {}).get("results") or []:
        if rating.get("iso_3166_1") == "US":
            value = (rating.get("rating") or "").strip().upper()
            if value in CERTIFICATIONS:
                return value
    return Certification.NR


def genres_of(payload: dict) -> list[str]:
    ours: list[str] = []
    for genre in payload.get("genres") or []:
        for name in GENRE_MAP.get(genre.get("name", ""), ()):
            if name not in ours:
                ours.append(name)
    return ours


def keywords_of(payload: dict) -> list[str]:
    block = payload.get("keywords") or {}
    items = block.get("keywords") or block.get("results") or []  # movies / TV
    names = [" ".join(str(k.get("name", "")).lower().split())[:100] for k in items]
    return list(dict.fromkeys(n for n in names if n))


def credits_of(payload: dict, kind: str) -> list[tuple[int, str, str, str, int]]:
    credits = payload.get("credits") or {}
    found: dict[tuple[int, str], tuple[int, str, str, str, int]] = {}
    cast = sorted(credits.get("cast") or [], key=lambda c: c.get("order", 999))
    for order, person in enumerate(cast[:CAST_LIMIT]):
        if isinstance(person.get("id"), int) and person.get("name"):
            character = (person.get("character") or "")[:200]
            found.setdefault((person["id"], "cast"), (person["id"], person["name"][:200], "cast",
                                                      character, order))  # fmt: skip
    orders: dict[str, int] = {}
    people = list(credits.get("crew") or [])
    if kind == Kind.SERIES:
        people = [{**p, "job": "Creator"} for p in payload.get("created_by") or []] + people
    for person in people:
        role = "creator" if person.get("job") == "Creator" else CREW_JOBS.get(person.get("job"))
        if role and isinstance(person.get("id"), int) and person.get("name"):
            order = orders.get(role, 0)
            if (person["id"], role) not in found:
                found[(person["id"], role)] = (person["id"], person["name"][:200], role, "", order)
                orders[role] = order + 1
    return list(found.values())


def title_from_movie(payload: dict) -> TitleData:
    if not isinstance(payload.get("id"), int) or not payload.get("title"):
        raise PayloadError("a movie without an id or a title")
    released = _date(payload.get("release_date"))
    runtime = payload.get("runtime")
    fields = {
        "title": payload["title"][:300],
        "original_title": (payload.get("original_title") or "")[:300],
        "release_date": released,
        "year": released.year if released else None,
        "runtime": runtime if isinstance(runtime, int) and 0 < runtime < 32768 else None,
        "seasons": None,
        "certification": certification_movie(payload),
        "imdb_id": (payload.get("imdb_id") or "")[:12],
    }
    return _title_data(Kind.MOVIE, payload, fields)


def title_from_series(payload: dict) -> TitleData:
    if not isinstance(payload.get("id"), int) or not payload.get("name"):
        raise PayloadError("a series without an id or a name")
    first_aired = _date(payload.get("first_air_date"))
    runtimes = [r for r in payload.get("episode_run_time") or [] if isinstance(r, int) and r > 0]
    seasons = payload.get("number_of_seasons")
    fields = {
        "title": payload["name"][:300],
        "original_title": (payload.get("original_name") or "")[:300],
        "release_date": first_aired,
        "year": first_aired.year if first_aired else None,
        # The typical episode: the median of the runtimes TMDB lists.
        "runtime": sorted(runtimes)[len(runtimes) // 2] if runtimes else None,
        "seasons": seasons if isinstance(seasons, int) and 0 <= seasons < 32768 else None,
        "certification": certification_series(payload),
        "imdb_id": ((payload.get("external_ids") or {}).get("imdb_id") or "")[:12],
    }
    return _title_data(Kind.SERIES, payload, fields)


def _title_data(kind: str, payload: dict, fields: dict) -> TitleData:
    """A title from the fields that differ between movies and series, plus those that do not."""
    fields |= {
        "overview": payload.get("overview") or "",
        "tagline": (payload.get("tagline") or "")[:300],
        "original_language": (payload.get("original_language") or "")[:8],
        "popularity": _number(payload.get("popularity")),
        "vote_average": min(10.0, max(0.0, _number(payload.get("vote_average")))),
        "vote_count": int(_number(payload.get("vote_count"))),
    }
    return TitleData(
        kind=kind,
        tmdb_id=payload["id"],
        fields=fields,
        poster_path=payload.get("poster_path") or "",
        backdrop_path=payload.get("backdrop_path") or "",
        genres=genres_of(payload),
        keywords=keywords_of(payload),
        credits=credits_of(payload, kind),
    )
