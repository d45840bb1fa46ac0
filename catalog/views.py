from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from catalog.models import Genre, Kind, Title
from catalog.posters import render_poster_svg
from catalog.selectors import genre_titles, new_releases, popular_titles, title_detail
from profiles.decorators import profile_required
from profiles.models import Interaction
from profiles.selectors import title_state
from profiles.services import interaction_record

HOME_GENRES = ["science-fiction", "crime", "comedy", "animation", "drama", "family"]


@require_GET
@profile_required
def home(request):
    profile = request.profile
    popular = popular_titles(profile=profile, limit=21)
    rails = [
        {"key": "popular", "name": "Popular on Marquee", "titles": popular[1:]},
        {"key": "new", "name": "New releases", "titles": new_releases(profile=profile)},
        {
            "key": "series",
            "name": "Series",
            "titles": popular_titles(profile=profile, kind=Kind.SERIES),
        },
    ]
    names = dict(Genre.objects.filter(slug__in=HOME_GENRES).values_list("slug", "name"))
    for slug in HOME_GENRES:
        if slug in names:
            titles = genre_titles(profile=profile, genre_slug=slug)
            rails.append({"key": f"genre-{slug}", "name": names[slug], "titles": titles})
    context = {"hero": popular[0] if popular else None, "rails": [r for r in rails if r["titles"]]}
    return render(request, "catalog/home.html", context)


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
    state = title_state(profile=request.profile, title=item)
    return render(request, "catalog/title.html", {"title": item, "state": state})


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
