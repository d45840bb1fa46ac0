from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from catalog.models import Title
from catalog.posters import render_poster_svg


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
def about(request):
    """What Marquee is, and the attribution TMDB's terms ask for."""
    return render(request, "catalog/about.html")
