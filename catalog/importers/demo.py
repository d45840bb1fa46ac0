"""The demo catalogue: hand-written JSON files in catalog/demo_data/, loaded idempotently."""

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from catalog.models import Certification, Credit, Kind, Title
from catalog.services import (
    GENRES,
    catalogue_changed,
    genres_ensure,
    keywords_ensure,
    people_ensure,
    slug_unique,
    title_slug_base,
)

DEMO_DATA_DIR = Path(__file__).resolve().parent.parent / "demo_data"
REQUIRED = {
    "title",
    "kind",
    "year",
    "runtime",
    "certification",
    "language",
    "genres",
    "cast",
    "keywords",
    "logline",
}
OPTIONAL = {"original_title", "release_date", "seasons", "directors", "creators", "writers"}


class DemoDataError(ValueError):
    pass


@dataclass
class CatalogueReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def demo_entries(data_dir: Path = DEMO_DATA_DIR) -> list[dict]:
    """Every entry of every file, validated; sorted by slug so that order never depends on files."""
    entries: dict[str, dict] = {}
    files = sorted(data_dir.glob("*.json"))
    if not files:
        raise DemoDataError(f"{data_dir}: no demo catalogue files (*.json)")
    for path in files:
        try:
            items = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise DemoDataError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from None
        if not isinstance(items, list):
            raise DemoDataError(f"{path}: expected a JSON array of titles")
        for index, item in enumerate(items):
            name = item.get("title", "?") if isinstance(item, dict) else "?"
            where = f"{path.name} entry {index + 1} ({name})"
            _validate(item, where)
            key = title_slug_base(item["title"], item["year"]).lower()
            if key in entries:
                raise DemoDataError(
                    f"{where}: duplicate of another entry with the same title and year"
                )
            entries[key] = item
    return [entries[key] for key in sorted(entries)]


def _validate(item: object, where: str) -> None:
    if not isinstance(item, dict):
        raise DemoDataError(f"{where}: expected an object")
    missing = REQUIRED - item.keys()
    unknown = item.keys() - REQUIRED - OPTIONAL
    if missing or unknown:
        raise DemoDataError(f"{where}: missing {sorted(missing)} unknown {sorted(unknown)}")
    if item["kind"] not in Kind.values:
        raise DemoDataError(f"{where}: kind must be movie or series")
    if item["certification"] not in Certification.values:
        raise DemoDataError(f"{where}: unknown certification {item['certification']!r}")
    if not isinstance(item["year"], int) or not 1895 <= item["year"] <= 2030:
        raise DemoDataError(f"{where}: implausible year {item['year']!r}")
    if not isinstance(item["runtime"], int) or not 1 <= item["runtime"] <= 400:
        raise DemoDataError(f"{where}: runtime must be minutes between 1 and 400")
    bad_genres = set(item["genres"]) - set(GENRES)
    if not item["genres"] or bad_genres:
        raise DemoDataError(f"{where}: genres must come from our list; bad: {sorted(bad_genres)}")
    if not 1 <= len(item["cast"]) <= 8:
        raise DemoDataError(f"{where}: expected 1-8 cast members")
    if not item.get("directors") and not item.get("creators"):
        raise DemoDataError(f"{where}: needs directors or creators")
    if len(item["language"]) != 2 or not item["language"].islower():
        raise DemoDataError(f"{where}: language must be an ISO 639-1 code")
    if "release_date" in item:
        try:
            date.fromisoformat(item["release_date"])
        except ValueError:
            raise DemoDataError(f"{where}: release_date must be YYYY-MM-DD") from None


@transaction.atomic
def demo_catalogue_load(entries: list[dict]) -> tuple[CatalogueReport, list[int]]:
    """Create or update each entry's title; returns the report and the title ids in entry order."""
    report = CatalogueReport()
    title_ids: list[int] = []
    genres = genres_ensure()
    keywords = keywords_ensure(kw.lower() for e in entries for kw in e["keywords"])
    people = people_ensure(
        name
        for e in entries
        for role in ("cast", "directors", "creators", "writers")
        for name in e.get(role, [])
    )
    taken = set(Title.objects.values_list("slug", flat=True))
    existing = {t.slug: t for t in Title.objects.prefetch_related("genres", "keywords", "credits")}
    for entry in entries:
        slug_base = title_slug_base(entry["title"], entry["year"])
        title = _find(existing, slug_base, entry)
        fields = {
            "kind": entry["kind"],
            "title": entry["title"],
            "original_title": entry.get("original_title", ""),
            "year": entry["year"],
            "release_date": date.fromisoformat(entry["release_date"])
            if "release_date" in entry
            else None,
            "runtime": entry["runtime"],
            "seasons": entry.get("seasons"),
            "overview": entry["logline"],
            "original_language": entry["language"],
            "certification": entry["certification"],
        }
        if title is None:
            title = Title.objects.create(slug=slug_unique(slug_base, taken), **fields)
            report.created += 1
        elif any(getattr(title, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(title, name, value)
            title.save()
            report.updated += 1
        else:
            report.unchanged += 1
        _sync_relations(title, entry, genres, keywords, people)
        title_ids.append(title.pk)
    catalogue_changed(title_ids=title_ids)
    return report, title_ids


def _find(existing: dict[str, Title], slug_base: str, entry: dict) -> Title | None:
    title = existing.get(slugify(slug_base))
    if title is not None and title.kind == entry["kind"]:
        return title
    return None


def _sync_relations(title: Title, entry: dict, genres, keywords, people) -> None:
    genre_ids = {genres[name].pk for name in entry["genres"]}
    if {g.pk for g in title.genres.all()} != genre_ids:
        title.genres.set(genre_ids)
    keyword_ids = {keywords[kw.lower()].pk for kw in entry["keywords"]}
    if not keyword_ids <= {k.pk for k in title.keywords.all()}:
        title.keywords.add(*keyword_ids)
    wanted = [
        (people[name].pk, role, order)
        for key, role in (
            ("directors", "director"),
            ("creators", "creator"),
            ("writers", "writer"),
            ("cast", "cast"),
        )
        for order, name in enumerate(dict.fromkeys(entry.get(key, [])))
    ]
    current = sorted((c.person_id, c.role, c.order) for c in title.credits.all())
    if current != sorted(wanted):
        title.credits.all().delete()
        Credit.objects.bulk_create(
            Credit(title=title, person_id=pk, role=role, order=order) for pk, role, order in wanted
        )
