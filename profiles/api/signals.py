"""What a profile says about titles, through the services the title page uses: feedback,
rating, watch progress, My List (add, remove, reorder), and its watch history. A title the
profile may not see is a 404, as on the site."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from catalog.api import TitleSerializer
from profiles.access import profile_for_request, title_for_profile
from profiles.api.serializers import (
    CURSOR,
    FeedbackSerializer,
    MyListAddSerializer,
    MyListMoveSerializer,
    RatingSerializer,
    SignalStateSerializer,
    WatchEventSerializer,
    WatchProgressSerializer,
    cursor_page,
)
from profiles.models import WatchEvent
from profiles.selectors import my_list_titles, title_state
from profiles.services import (
    feedback_set,
    my_list_add,
    my_list_move,
    my_list_remove,
    rating_set,
    watch_event_record,
)


class HistoryPages(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 50


def _state(profile, title) -> Response:
    state = title_state(profile=profile, title=title)
    return Response(SignalStateSerializer(state).data)


@extend_schema(methods=["PUT"], request=FeedbackSerializer, responses={200: SignalStateSerializer})
@extend_schema(methods=["DELETE"], request=None, responses={200: SignalStateSerializer})
@api_view(["PUT", "DELETE"])
def feedback(request, profile_id: int, slug: str):
    """Thumbs up or down, love, not interested or seen; DELETE clears it."""
    profile = profile_for_request(request, profile_id)
    title = title_for_profile(profile, slug)
    value = ""
    if request.method == "PUT":
        form = FeedbackSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        value = form.validated_data["value"]
    feedback_set(profile=profile, title=title, value=value)
    return _state(profile, title)


@extend_schema(request=RatingSerializer, responses={200: SignalStateSerializer})
@api_view(["PUT"])
def rating(request, profile_id: int, slug: str):
    """½ to 5 stars in half steps."""
    profile = profile_for_request(request, profile_id)
    title = title_for_profile(profile, slug)
    form = RatingSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    rating_set(profile=profile, title=title, stars=form.validated_data["stars"])
    return _state(profile, title)


@extend_schema(request=WatchProgressSerializer, responses={201: WatchEventSerializer})
@api_view(["POST"])
def progress(request, profile_id: int, slug: str):
    """Where the player is (start, progress, complete); moves Continue Watching.
    position_seconds may not pass duration_seconds."""
    profile = profile_for_request(request, profile_id)
    title = title_for_profile(profile, slug)
    form = WatchProgressSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    data = form.validated_data
    event = watch_event_record(
        profile=profile, title=title, event=data["event"],
        position=data["position_seconds"], duration=data["duration_seconds"],
    )  # fmt: skip
    return Response(WatchEventSerializer(event).data, status=status.HTTP_201_CREATED)


@extend_schema(methods=["GET"], responses={200: TitleSerializer(many=True)})
@extend_schema(
    methods=["POST"],
    request=MyListAddSerializer,
    responses={201: SignalStateSerializer, 200: SignalStateSerializer},
)
@api_view(["GET", "POST"])
def my_list(request, profile_id: int):
    """My List in its order; POST adds a title at the end (200 when it was already there)."""
    profile = profile_for_request(request, profile_id)
    if request.method == "GET":
        return Response(TitleSerializer(my_list_titles(profile=profile), many=True).data)
    form = MyListAddSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    title = title_for_profile(profile, form.validated_data["title"])
    added = my_list_add(profile=profile, title=title, page="api")
    response = _state(profile, title)
    response.status_code = status.HTTP_201_CREATED if added else status.HTTP_200_OK
    return response


@extend_schema(
    methods=["PUT"], request=MyListMoveSerializer, responses={200: TitleSerializer(many=True)}
)
@extend_schema(
    methods=["DELETE"],
    request=None,
    responses={204: None, 404: OpenApiResponse(description="Not on My List")},
)
@api_view(["PUT", "DELETE"])
def my_list_item(request, profile_id: int, slug: str):
    """PUT moves the title to `position` (0 = first); DELETE takes it off the list."""
    profile = profile_for_request(request, profile_id)
    title = title_for_profile(profile, slug)
    if request.method == "DELETE":
        if not my_list_remove(profile=profile, title=title, page="api"):
            raise NotFound("That title is not on My List.")
        return Response(status=status.HTTP_204_NO_CONTENT)
    form = MyListMoveSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    if not my_list_titles(profile=profile).filter(pk=title.pk).exists():
        raise NotFound("That title is not on My List.")
    my_list_move(profile=profile, title=title, to_position=form.validated_data["position"])
    return Response(TitleSerializer(my_list_titles(profile=profile), many=True).data)


@extend_schema(
    parameters=[CURSOR], responses={200: cursor_page("WatchHistoryPage", WatchEventSerializer)}
)
@api_view(["GET"])
def history(request, profile_id: int):
    """Every watch event, newest first, a cursor page at a time."""
    profile = profile_for_request(request, profile_id)
    events = (
        WatchEvent.objects.filter(
            profile=profile, title__maturity_level__lte=profile.effective_ceiling
        )
        .select_related("title")
        .prefetch_related("title__genres")
    )
    pages = HistoryPages()
    page = pages.paginate_queryset(events, request)
    return pages.get_paginated_response(WatchEventSerializer(page, many=True).data)
