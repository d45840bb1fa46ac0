from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from profiles.decorators import profile_required
from recommender.kind_pages import kind_body
from recommender.pages import home_body, rail_fragment


@require_GET
@cache_control(private=True)  # a viewer's own page: no shared cache may keep it
@profile_required
def home(request):
    body = mark_safe(home_body(request))  # nosec B308 B703: rendered by our autoescaped templates
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
