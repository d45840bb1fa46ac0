from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from catalog.posters import render_neutral_poster_svg, render_poster_svg
from profiles.access import current_profile, title_for_profile


@require_GET
def poster(request, slug: str):
    """A title's generated poster, for a signed-in profile that may see the title.

    Anyone else (signed out, no profile chosen, above the ceiling, no such title) gets the
    same neutral poster, so posters neither name hidden titles nor tell which exist.
    """
    profile = current_profile(request)
    try:
        item = title_for_profile(profile, slug) if profile is not None else None
    except Http404:
        item = None
    if item is None:
        response = HttpResponse(render_neutral_poster_svg(), content_type="image/svg+xml")
        patch_cache_control(response, no_store=True)
        return response
    svg = render_poster_svg(
        title=item.title, year=item.year, genres=[g.name for g in item.genres.all()], kind=item.kind
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    # The URL carries the poster's version (?v=), so the browser may keep it; no shared cache
    # may, since the answer depends on who asks.
    patch_cache_control(response, private=True, max_age=86400)
    return response
