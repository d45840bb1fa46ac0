"""Titles as a profile may see them: the catalogue with search and facets (page numbers), a
title's details, similar titles by mode, and a person's credits. A title above the profile's
ceiling is a 404, exactly like a missing one; lists and nested credits leave it out."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from catalog.forms import MAX_GENRES, MAX_PAGE, MAX_RUNTIME
from catalog.models import Certification, Credit, Kind, Person
from catalog.search import SearchError, SearchFilters, page_number, search_titles
from catalog.selectors import title_detail, titles_for_tiles
from profiles.access import profile_for_request
from profiles.selectors import search_audience, title_state, titles_for_profile
from recommender.api.serializers import (
    PersonSerializer,
    SimilarQuerySerializer,
    SimilarSerializer,
    TitleDetailAnswerSerializer,
    TitlePageSerializer,
)
from recommender.rails import turned_away_ids
from recommender.similar import title_carousels, title_explanation
from recommender.versions import versions_read

PER_PAGE = 24
TEXT = {"type": "string", "pattern": "^[^\\x00]*$"}
YEAR = {"type": "integer", "minimum": 1870, "maximum": 2100}
RUNTIME = {"type": "integer", "minimum": 0, "maximum": MAX_RUNTIME}
SLUG = {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}
SEARCH_PARAMETERS = [
    OpenApiParameter("q", TEXT, description="Typo-tolerant title and person search"),
    OpenApiParameter("kind", {"type": "string", "enum": Kind.values}),
    OpenApiParameter(
        "genre", {"type": "array", "items": SLUG, "maxItems": MAX_GENRES}, explode=True
    ),
    OpenApiParameter("year_min", YEAR, description="At most year_max"),
    OpenApiParameter("year_max", YEAR),
    OpenApiParameter("runtime_min", RUNTIME, description="Minutes"),
    OpenApiParameter("runtime_max", RUNTIME),
    OpenApiParameter("language", {"type": "string", "pattern": "^[A-Za-z]{2}$"}),
    OpenApiParameter("certification", {"type": "string", "enum": Certification.values}),
    OpenApiParameter("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
]


@extend_schema(
    operation_id="titles_list", parameters=SEARCH_PARAMETERS, responses={200: TitlePageSerializer}
)
@api_view(["GET"])
def titles(request, profile_id: int):
    """The catalogue the profile may see, most popular first, or matches for `q`, with facet
    counts; titles it rejected are left out, as on the search page."""
    profile = profile_for_request(request, profile_id)
    try:
        filters = SearchFilters.from_params(request.query_params)
        page = page_number(request.query_params)
    except SearchError as error:
        raise ValidationError(str(error)) from None
    _, catalogue_version = versions_read(profile)
    found = search_titles(
        audience=search_audience(profile), filters=filters, page=page, per_page=PER_PAGE,
        catalogue_version=catalogue_version,
    )  # fmt: skip
    body = {
        "count": found.total,
        "page": found.page,
        "next_page": found.page + 1 if found.has_next else None,
        "results": found.titles,
        "facets": found.facets,
    }
    return Response(TitlePageSerializer(body).data)


@extend_schema(operation_id="title_detail", responses={200: TitleDetailAnswerSerializer})
@api_view(["GET"])
def title(request, profile_id: int, slug: str):
    """A title's facts, what the profile said about it, and why it may suit the profile."""
    profile = profile_for_request(request, profile_id)
    item = title_detail(slug=slug)
    if item is None or item.maturity_level > profile.effective_ceiling:
        raise Http404("No such title on this profile.")
    body = {
        "title": item,
        "state": title_state(profile=profile, title=item),
        "explanation": title_explanation(profile=profile, title=item),
    }
    return Response(TitleDetailAnswerSerializer(body).data)


@extend_schema(parameters=[SimilarQuerySerializer], responses={200: SimilarSerializer})
@api_view(["GET"])
def similar(request, profile_id: int, slug: str):
    """The title page's carousels, one `mode` at a time: more-like-this (hybrid), shared-cast,
    same-vibe (content)."""
    profile = profile_for_request(request, profile_id)
    query = SimilarQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    item = titles_for_profile(profile).filter(slug=slug).first()
    if item is None:
        raise Http404("No such title on this profile.")
    mode = query.validated_data["mode"]
    rails = title_carousels(ceiling=profile.effective_ceiling, title=item)
    rail = next((r for r in rails if r.key == mode), None)
    excluded = turned_away_ids(profile, {t.title.pk for t in rail.tiles} if rail else ())
    tiles = [t.title for t in rail.tiles if t.title.pk not in excluded] if rail else []
    heading = rail.heading if rail else ""
    return Response(SimilarSerializer({"mode": mode, "heading": heading, "results": tiles}).data)


@extend_schema(
    parameters=[OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH)],
    responses={200: PersonSerializer},
)
@api_view(["GET"])
def person(request, profile_id: int, slug: str):
    """A person and their credits on titles the profile may see."""
    profile = profile_for_request(request, profile_id)
    someone = get_object_or_404(Person, slug=slug)
    visible = titles_for_tiles(titles_for_profile(profile))
    credits = (
        Credit.objects.filter(person=someone, title__in=visible.values("pk"))
        .select_related("title")
        .prefetch_related("title__genres")
        .order_by("-title__popularity", "title__pk", "role")
    )
    body = {"slug": someone.slug, "name": someone.name, "credits": list(credits)}
    return Response(PersonSerializer(body).data)
