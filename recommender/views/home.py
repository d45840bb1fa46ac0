from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from curator.experiments import impressions_record
from profiles.decorators import profile_required
from recommender.kind_pages import kind_body
from recommender.pages import home_body, rail_fragment
from recommender.versions import versions_read


def _impressions(request, html: str) -> None:
    """A curator experiment's rails shown with tiles count as impressions (curator app)."""
    everyone = versions_read(request.profile)[1]
    impressions_record(
        household_id=request.profile.household_id, html=html, everyone_version=everyone
    )


@require_GET
@cache_control(private=True)  # a viewer's own page: no shared cache may keep it
@profile_required
def home(request):
    html = home_body(request)
    _impressions(request, html)
    body = mark_safe(html)  # nosec B308 B703: rendered by our autoescaped templates
    return render(request, "recommender/home.html", {"body": body})


@require_GET
@cache_control(private=True)  # a viewer's own page: no shared cache may keep it
@profile_required
@vary_on_headers("HX-Request")
def rail(request, key: str):
    """One rail: the lazy-loaded fragment for htmx, a full page of it otherwise."""
    html = rail_fragment(request, key)
    if html is None:
        raise Http404("No such rail for this profile.")
    _impressions(request, html)
    if request.htmx:
        return HttpResponse(html)
    body = mark_safe(html)  # nosec B308 B703: rendered by our autoescaped templates
    return render(request, "recommender/rail.html", {"body": body})


@require_GET
@cache_control(private=True)  # a viewer's own page: no shared cache may keep it
@profile_required
def kind_page(request, kind: str):
    """The Movies page (kind "movie") or the Series page: its own rails, one kind only."""
    body = mark_safe(kind_body(request, kind))  # nosec B308 B703: our autoescaped templates
    return render(request, "recommender/kind.html", {"body": body, "kind": kind})
