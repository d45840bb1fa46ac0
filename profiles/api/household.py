"""The household's profiles and a profile's insights. An account's credentials open every
profile of its household (the password can also reset a profile's PIN on the site)."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from config.api import Conflict
from profiles.access import profile_for_request
from profiles.api.serializers import ProfileSerializer
from profiles.selectors import profile_insights
from profiles.services import profile_create


@extend_schema(
    methods=["GET"], responses={200: ProfileSerializer(many=True)}, summary="Your profiles"
)
@extend_schema(
    methods=["POST"],
    request=ProfileSerializer,
    responses={201: ProfileSerializer},
    summary="Add a profile (at most five per household)",
)
@api_view(["GET", "POST"])
def profiles(request):
    if request.method == "GET":
        household = request.user.profiles.select_related("preferences")
        return Response(ProfileSerializer(household, many=True).data)
    form = ProfileSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    try:
        profile = profile_create(household=request.user, **form.validated_data)
    except ValidationError as error:  # a sixth profile, or a name the household already has
        raise Conflict(error.messages[0]) from None
    return Response(ProfileSerializer(profile).data, status=status.HTTP_201_CREATED)


@extend_schema(responses={200: ProfileSerializer}, summary="One of your profiles")
@api_view(["GET"])
def profile(request, profile_id: int):
    return Response(ProfileSerializer(profile_for_request(request, profile_id)).data)


class InsightsSerializer(serializers.Serializer):
    ratings = serializers.IntegerField()
    feedback = serializers.DictField(child=serializers.IntegerField())
    my_list = serializers.IntegerField()
    titles_started = serializers.IntegerField()
    titles_completed = serializers.IntegerField()
    completion_rate = serializers.FloatField(allow_null=True)
    viewing_minutes = serializers.IntegerField()
    favourite_genres = serializers.ListField(child=serializers.DictField())
    interactions_last_30_days = serializers.DictField(child=serializers.IntegerField())


@extend_schema(responses={200: InsightsSerializer}, summary="The profile's activity in figures")
@api_view(["GET"])
def insights(request, profile_id: int):
    profile = profile_for_request(request, profile_id)
    return Response(InsightsSerializer(profile_insights(profile=profile)).data)
