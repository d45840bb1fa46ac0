from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from profiles.decorators import profile_required
from recommender.rails import page_rails


@require_GET
@profile_required
@vary_on_headers("HX-Request")
def rail(request, key: str):
    """One rail: the lazy-loaded fragment for htmx, a full page of it otherwise."""
    _, rails = page_rails(request.profile, only=key)
    if not rails:
        raise Http404("No such rail for this profile.")
    template = "recommender/rail.html#rail" if request.htmx else "recommender/rail.html"
    return render(request, template, {"rail": rails[0]})
