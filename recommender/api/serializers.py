"""The viewer API's shapes: tiles and rails as the home page draws them, search pages with
their facets, a title's details with the profile's own state, and query parameters."""

from rest_framework import serializers

from catalog.api import TitleDetailSerializer, TitleSerializer
from catalog.forms import MAX_PAGE
from profiles.api.serializers import SignalStateSerializer
from recommender.engine.registry import available

SIMILAR_MODES = ("more-like-this", "shared-cast", "same-vibe")
MAX_K = 100


class TileSerializer(serializers.Serializer):
    title = TitleSerializer(read_only=True)
    confidence = serializers.FloatField(read_only=True, allow_null=True)
    match_percent = serializers.IntegerField(read_only=True, allow_null=True)
    reason = serializers.CharField(read_only=True)
    badges = serializers.ListField(child=serializers.CharField(), read_only=True)
    progress = serializers.IntegerField(read_only=True, help_text="Percent watched")


class RailSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    heading = serializers.CharField(read_only=True)
    tiles = TileSerializer(many=True, read_only=True)
    empty_hint = serializers.CharField(read_only=True)


class HomeSerializer(serializers.Serializer):
    hero = TileSerializer(read_only=True, allow_null=True)
    rails = RailSerializer(many=True, read_only=True)


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class TitlePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    next_page = serializers.IntegerField(allow_null=True)
    results = TitleSerializer(many=True)
    facets = serializers.DictField(child=FacetValueSerializer(many=True))


class ExplanationSerializer(serializers.Serializer):
    confidence = serializers.FloatField()
    match_percent = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())


class TitleDetailAnswerSerializer(serializers.Serializer):
    title = TitleDetailSerializer()
    state = SignalStateSerializer()
    explanation = ExplanationSerializer(allow_null=True)


class SimilarQuerySerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=SIMILAR_MODES, default="more-like-this")


class SimilarSerializer(serializers.Serializer):
    mode = serializers.CharField()
    heading = serializers.CharField()
    results = TitleSerializer(many=True)


class PersonCreditSerializer(serializers.Serializer):
    title = TitleSerializer()
    role = serializers.CharField()
    character = serializers.CharField()


class PersonSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    credits = PersonCreditSerializer(many=True)


class RecommendationQuerySerializer(serializers.Serializer):
    algorithm = serializers.ChoiceField(choices=available(), default="engine")
    k = serializers.IntegerField(min_value=1, max_value=MAX_K, default=20)
    diversity = serializers.FloatField(
        min_value=0, max_value=1, required=False, allow_null=True, default=None,
        help_text="Hybrid engine only: 0 ranks by accuracy alone; unset: the engine default.",
    )  # fmt: skip


class RecommendationSerializer(serializers.Serializer):
    title = TitleSerializer()
    score = serializers.FloatField()
    confidence = serializers.FloatField(allow_null=True)


class RecommendationsSerializer(serializers.Serializer):
    algorithm = serializers.CharField()
    k = serializers.IntegerField()
    diversity = serializers.FloatField(allow_null=True)
    results = RecommendationSerializer(many=True)


class PageQuerySerializer(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, default=1)
