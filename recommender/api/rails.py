"""The profile's home rails (all, or one by key) with reasons and confidence, its
recommendations by algorithm, and a forced refresh.

Rails are read by `page_rails`, as the home page reads them, and their JSON is kept like the
page's HTML (`pages.profile_cached`, under the profile's rails version and everyone's, retired
only by `rails_changed`, and re-checked against the ceiling on every read)."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from config.api import throttle_scope
from profiles.access import profile_for_request
from profiles.selectors import titles_for_profile
from recommender.algorithms import recommendations_for
from recommender.api.serializers import (
    HomeSerializer,
    RailSerializer,
    RecommendationQuerySerializer,
    RecommendationsSerializer,
)
from recommender.changes import rails_changed
from recommender.pages import page_rails, profile_cached, shown_title_ids
from recommender.services import recommendations_refresh


def _home(profile, key: str | None) -> dict:
    def build():
        hero, rails = page_rails(profile, only=key)
        if key is not None:
            body = RailSerializer(rails[0]).data if rails else None
            return body, shown_title_ids(None, rails), body is not None
        body = HomeSerializer({"hero": hero, "rails": rails}).data
        return body, shown_title_ids(hero, rails), True

    return profile_cached(profile, f"railsjson:{key or ''}", build)


@extend_schema(operation_id="rails_home", responses={200: HomeSerializer})
@api_view(["GET"])
def rails(request, profile_id: int):
    """The home page: the hero and every rail, each tile with its reason and confidence."""
    return Response(_home(profile_for_request(request, profile_id), None))


@extend_schema(operation_id="rail_by_key", responses={200: RailSerializer})
@api_view(["GET"])
def rail(request, profile_id: int, key: str):
    """One rail by key (continue, trending, for-you, because-..., my-list, genre-..., new)."""
    body = _home(profile_for_request(request, profile_id), key)
    if body is None:
        raise NotFound("No such rail for this profile.")
    return Response(body)


@extend_schema(
    parameters=[RecommendationQuerySerializer], responses={200: RecommendationsSerializer}
)
@api_view(["GET"])
def recommendations(request, profile_id: int):
    """The profile's top `k` from one algorithm of the registry (default: the hybrid engine)."""
    profile = profile_for_request(request, profile_id)
    query = RecommendationQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    params = query.validated_data
    ranked = recommendations_for(
        profile=profile, algorithm=params["algorithm"], k=params["k"],
        diversity=params["diversity"],
    )  # fmt: skip
    titles = titles_for_profile(profile).filter(pk__in=[r.title_id for r in ranked])
    by_id = {t.pk: t for t in titles.prefetch_related("genres")}
    results = [
        {"title": by_id[r.title_id], "score": r.score, "confidence": r.confidence}
        for r in ranked
        if r.title_id in by_id
    ]
    return Response(RecommendationsSerializer({**params, "results": results}).data)


@extend_schema(request=None, responses={200: HomeSerializer})
@throttle_scope("refresh")
@api_view(["POST"])
def refresh(request, profile_id: int):
    """Recompute the profile's rails now (throttled: scope `refresh`); answers the new rails."""
    profile = profile_for_request(request, profile_id)
    with transaction.atomic():
        recommendations_refresh(profile=profile)
        rails_changed(profiles=[profile.pk])
    profile.refresh_from_db(fields=["rails_version"])
    return Response(_home(profile, None))
