from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from catalog.models import Title
from catalog.posters import render_poster_svg
from catalog.search import SearchError, SearchFilters, search_titles
from catalog.selectors import title_detail, titles_for_profile
from profiles.decorators import profile_required
from profiles.models import Interaction
from profiles.selectors import saved_searches, title_state
from profiles.services import interaction_record
from recommender.pages import home_body
from recommender.similar import title_carousels, title_explanation


@require_GET
@profile_required
def home(request):
    return render(request, "catalog/home.html", {"body": mark_safe(home_body(request))})


@require_GET
@profile_required
def title(request, slug: str):
    item = title_detail(slug=slug)
    if item is None:
        raise Http404("No such title.")
    if item.maturity_level > request.profile.effective_ceiling:
        return render(request, "catalog/not_available.html", {"title": item}, status=403)
    rail = request.GET.get("rail", "")
    interaction_record(
        profile=request.profile, title=item, page="title", rail_key=rail,
        kind=Interaction.Kind.RECOMMENDATION_CLICK if rail else Interaction.Kind.VIEW_DETAIL,
    )  # fmt: skip
    context = {
        "title": item,
        "state": title_state(profile=request.profile, title=item),
        "explanation": title_explanation(profile=request.profile, title=item),
        "carousels": title_carousels(profile=request.profile, title=item),
    }
    return render(request, "catalog/title.html", context)


@require_GET
@cache_control(public=True, max_age=31536000, immutable=True)
def poster(request, slug: str):
    item = Title.objects.filter(slug=slug).prefetch_related("genres").first()
    if item is None:
        raise Http404("No such title.")
    svg = render_poster_svg(
        title=item.title, year=item.year, genres=[g.name for g in item.genres.all()], kind=item.kind
    )
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@require_GET
@profile_required
@vary_on_headers("HX-Request")
def search(request):
    """Search page; htmx asks for the next page of results only (infinite scroll)."""
    try:
        filters = SearchFilters.from_params(request.GET)
        page = int(request.GET.get("page", "1"))
    except (SearchError, ValueError) as error:
        message = str(error) if isinstance(error, SearchError) else "page must be a whole number."
        return render(request, "catalog/search.html", {"error": message}, status=400)
    if page < 1:
        return render(
            request, "catalog/search.html", {"error": "page must be 1 or more."}, status=400
        )
    results = search_titles(visible=titles_for_profile(request.profile), filters=filters, page=page)
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
    template = "catalog/search.html#results" if request.htmx and page > 1 else "catalog/search.html"
    return render(request, template, context)
