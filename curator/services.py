"""Every curator write: pins, collections, hero overrides and their audit entries.

Each change runs in one transaction that also writes its audit entry (who, what, before and
after) and says `rails_changed(everyone=True)`, the rails pipeline's one invalidation point,
so the next home page of every viewer is rendered with it. Experiments live in
`curator.experiments`.
"""

from datetime import date, datetime

from django.db import transaction
from django.db.models import Model

from catalog.models import Title
from curator.models import AuditEntry, Collection, CollectionItem, HeroOverride, Pin
from recommender.changes import rails_changed


def snapshot(obj: Model | None, *, extra: dict | None = None) -> dict | None:
    """The object's fields as JSON (foreign keys as ids), for the audit log."""
    if obj is None:
        return None
    data = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        data[field.attname] = value.isoformat() if isinstance(value, date | datetime) else value
    return data | (extra or {})


def audit_record(
    *, actor, action: str, obj: Model, summary: str, before: dict | None, after: dict | None
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        summary=summary[:300],
        before=before,
        after=after,
    )


def _saved(obj: Model, fields: dict, *, extra: dict | None = None) -> tuple[Model, bool, dict]:
    """Write `fields` onto `obj` (new when it has no pk), audit it, and tell the rails."""
    created = obj.pk is None
    before = None if created else snapshot(type(obj).objects.get(pk=obj.pk), extra=extra)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()
    return obj, created, before


def _scheduled_save(actor, obj, fields: dict, summary) -> Model:
    """Save a pin or hero override, audit it and tell the rails, in one transaction."""
    with transaction.atomic():
        obj, created, before = _saved(obj, fields)
        audit_record(
            actor=actor, action="created" if created else "updated", obj=obj,
            summary=summary(obj), before=before, after=snapshot(obj),
        )  # fmt: skip
        rails_changed(everyone=True)
    return obj


def pin_save(*, actor, pin: Pin | None = None, fields: dict) -> Pin:
    def summary(pin):
        return f"Pin {pin.title.title} in {pin.rail_key} at {pin.position}"

    return _scheduled_save(actor, pin or Pin(), fields, summary)


def hero_save(*, actor, hero: HeroOverride | None = None, fields: dict) -> HeroOverride:
    def summary(hero):
        return f"Hero {hero.title.title} for {hero.get_audience_display()}"

    return _scheduled_save(actor, hero or HeroOverride(), fields, summary)


def _collection_title_ids(collection: Collection) -> list[int]:
    return list(collection.items.order_by("order").values_list("title_id", flat=True))


def collection_save(
    *, actor, collection: Collection | None = None, fields: dict, title_ids: list[int]
) -> Collection:
    """Create or change a collection and set its titles, in this order."""
    with transaction.atomic():
        collection = collection or Collection()
        old_titles = _collection_title_ids(collection) if collection.pk else []
        collection, created, before = _saved(collection, fields, extra={"title_ids": old_titles})
        known = set(Title.objects.filter(pk__in=title_ids).values_list("pk", flat=True))
        ordered = [pk for pk in dict.fromkeys(title_ids) if pk in known]
        collection.items.all().delete()
        CollectionItem.objects.bulk_create(
            CollectionItem(collection=collection, title_id=pk, order=n)
            for n, pk in enumerate(ordered)
        )
        audit_record(
            actor=actor, action="created" if created else "updated", obj=collection,
            summary=f"Collection {collection.name} ({len(ordered)} titles)",
            before=before, after=snapshot(collection, extra={"title_ids": ordered}),
        )  # fmt: skip
        rails_changed(everyone=True)
    return collection


def curated_delete(*, actor, obj: Pin | Collection | HeroOverride) -> None:
    """Delete a pin, collection or hero override, keeping its last state in the audit log."""
    extra = {"title_ids": _collection_title_ids(obj)} if isinstance(obj, Collection) else None
    with transaction.atomic():
        before = snapshot(obj, extra=extra)
        audit_record(
            actor=actor, action="deleted", obj=obj, summary=f"Deleted {obj}",
            before=before, after=None,
        )  # fmt: skip
        obj.delete()
        rails_changed(everyone=True)
