from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from catalog.forms import plain_bad_request
from catalog.search import (
    SearchError,
    SearchFilters,
    page_number,
    search_suggestions,
    search_titles,
)
from profiles.decorators import profile_required
from profiles.models import Interaction
from profiles.selectors import saved_searches, search_audience
from profiles.services import interaction_record
from recommender.versions import versions_read


@require_GET
@profile_required
@vary_on_headers("HX-Request")
def search(request):
    """Search page; htmx asks for the next page of results only (infinite scroll)."""
    try:
        filters = SearchFilters.from_params(request.GET)
        page = page_number(request.GET)
    except SearchError as error:
        return render(request, "recommender/search.html", {"error": str(error)}, status=400)
    _, catalogue_version = versions_read(request.profile)  # moves on every catalogue change
    results = search_titles(
        audience=search_audience(request.profile),
        filters=filters,
        page=page,
        catalogue_version=catalogue_version,
    )
    if filters.query and page == 1:
        interaction_record(
            profile=request.profile,
            kind=Interaction.Kind.SEARCH,
            page="search",
            query=filters.query,
        )
    next_url = f"?{filters.querystring(page=page + 1)}" if results.has_next else ""
    saved = saved_searches(profile=request.profile)
    context = {"filters": filters, "results": results, "saved": saved, "next_url": next_url}
    template = "recommender/search.html"
    if request.htmx and page > 1:
        template += "#results"
    return render(request, template, context)


@require_GET
@profile_required
@vary_on_headers("HX-Request")
def suggestions(request):
    """The titles the search box offers while typing (htmx); without htmx, the search page."""
    try:
        filters = SearchFilters.from_params(request.GET)
    except SearchError as error:
        return plain_bad_request(str(error))
    if not request.htmx:
        return redirect(f"{reverse('recommender:search')}?{filters.querystring()}")
    _, catalogue_version = versions_read(request.profile)
    titles = search_suggestions(
        audience=search_audience(request.profile),
        filters=filters,
        catalogue_version=catalogue_version,
    )
    context = {"filters": filters, "suggestions": titles}
    return render(request, "recommender/search.html#suggestions", context)
