"""The studio page: pins, collections and hero overrides, edited in place with htmx.

One URL per action; each answers htmx with the section it changed (`studio.html#<kind>`) and a
plain form post with a redirect back, so the studio works without JavaScript."""

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog.models import Title
from curator.access import curator_required
from curator.forms import CollectionForm, HeroForm, PinForm, PreviewForm
from curator.models import Collection, HeroOverride, Pin
from curator.selectors import ceiling_warnings, collection_preview, studio_lists
from curator.services import collection_save, curated_delete, hero_save, pin_save
from profiles.access import profile_for_request


@dataclass(frozen=True)
class Kind:
    model: type
    form: type
    save: object  # (actor, instance or None, form) -> saved object


KINDS = {
    "pins": Kind(Pin, PinForm, lambda actor, obj, form: pin_save(
        actor=actor, pin=obj, fields=form.cleaned_data)),
    "hero": Kind(HeroOverride, HeroForm, lambda actor, obj, form: hero_save(
        actor=actor, hero=obj, fields=form.cleaned_data)),
    "collections": Kind(Collection, CollectionForm, lambda actor, obj, form: collection_save(
        actor=actor, collection=obj, title_ids=form.cleaned_data["title_slugs"],
        fields={k: v for k, v in form.cleaned_data.items() if k != "title_slugs"})),
}  # fmt: skip


def _kind(name: str) -> Kind:
    if name not in KINDS:
        raise Http404("No such kind of curation.")
    return KINDS[name]


def _title_slugs():
    """The most popular titles' slugs, offered as the title fields' suggestions."""
    return Title.objects.order_by("-popularity").values_list("slug", "title")[:300]


def _studio(request, *, bound: dict | None = None, status: int = 200, part: str | None = None):
    forms = {name: kind.form() for name, kind in KINDS.items()} | (bound or {})
    context = studio_lists() | {"forms": forms, "title_slugs": _title_slugs()}
    template = f"curator/studio.html#{part}" if part and request.htmx else "curator/studio.html"
    return render(request, template, context, status=status)


@require_GET
@curator_required
def studio(request):
    return _studio(request)


@require_POST
@curator_required
def curated_create(request, kind: str):
    spec = _kind(kind)
    form = spec.form(request.POST)
    if not form.is_valid():
        return _studio(request, bound={kind: form}, status=400, part=kind)
    spec.save(request.user, None, form)
    return _studio(request, part=kind) if request.htmx else redirect("curator:studio")


@require_http_methods(["GET", "POST"])
@curator_required
def curated_edit(request, kind: str, pk: int):
    spec = _kind(kind)
    obj = get_object_or_404(spec.model, pk=pk)
    form = spec.form(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        spec.save(request.user, obj, form)
        return redirect("curator:studio")
    status = 400 if request.method == "POST" else 200
    warnings = ceiling_warnings(list(obj.items.values_list("title_id", flat=True))) if (
        kind == "collections") else []  # fmt: skip
    context = {"form": form, "kind": kind, "obj": obj, "warnings": warnings,
               "title_slugs": _title_slugs()}  # fmt: skip
    return render(request, "curator/edit.html", context, status=status)


@require_POST
@curator_required
def curated_remove(request, kind: str, pk: int):
    spec = _kind(kind)
    curated_delete(actor=request.user, obj=get_object_or_404(spec.model, pk=pk))
    return _studio(request, part=kind) if request.htmx else redirect("curator:studio")


@require_GET
@curator_required
def collection_preview_page(request, pk: int):
    """The collection as one of the curator's own profiles (or a kids/adult profile) sees it."""
    collection = get_object_or_404(Collection, pk=pk)
    form = PreviewForm(request.GET)
    if not form.is_valid():
        return render(request, "curator/preview.html", {"form": form}, status=400)
    profile_id = form.cleaned_data["profile"]
    profile = profile_for_request(request, profile_id) if profile_id else None  # own, or 404
    preview = collection_preview(
        collection, household=request.user, profile=profile,
        viewer=form.cleaned_data["viewer"] or "kids",
    )  # fmt: skip
    template = "curator/preview.html#rail" if request.htmx else "curator/preview.html"
    return render(request, template, preview | {"form": form})
