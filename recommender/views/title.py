from django.http import Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from catalog.forms import form_rejected
from curator.experiments import click_record
from profiles.decorators import profile_required
from profiles.models import Interaction
from profiles.selectors import title_state
from profiles.services import interaction_record
from recommender.forms import TitleVisitForm
from recommender.pages import title_carousels_html, title_for_page
from recommender.similar import title_explanation
from recommender.versions import versions_read


@require_GET
@profile_required
def title(request, slug: str):
    item = title_for_page(request.profile, slug)
    # Missing and above the ceiling are one answer, so a URL cannot tell whether a title exists.
    if item is None:
        raise Http404("Not available.")
    form = TitleVisitForm(request.GET)
    if not form.is_valid():
        return form_rejected(form)
    rail = form.cleaned_data["rail"]
    interaction_record(
        profile=request.profile, title=item, page="title", rail_key=rail,
        kind=Interaction.Kind.RECOMMENDATION_CLICK if rail else Interaction.Kind.VIEW_DETAIL,
    )  # fmt: skip
    click_record(
        household_id=request.profile.household_id, rail_key=rail, title_id=item.pk,
        everyone_version=versions_read(request.profile)[1],
    )  # fmt: skip
    context = {
        "title": item,
        "state": title_state(profile=request.profile, title=item),
        "explanation": title_explanation(profile=request.profile, title=item),
    }
    return render(request, "recommender/title.html", context)


@require_GET
@cache_control(private=True)  # a viewer's own rejections are left out: no shared cache
@profile_required
@vary_on_headers("HX-Request")
def similar(request, slug: str):
    """The title page's carousels: the fragment its placeholder loads as it scrolls into view
    (as the home page's lazy rails do), and a page of their own without JavaScript."""
    item = title_for_page(request.profile, slug)
    if item is None:
        raise Http404("Not available.")
    body = mark_safe(title_carousels_html(request, item))  # nosec B308 B703: our templates
    template = "recommender/title_similar.html"
    context = {"title": item, "body": body}
    return render(request, f"{template}#carousels" if request.htmx else template, context)
