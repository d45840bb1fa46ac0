"""The profiles API's input and output shapes. Input serializers only check types and
ranges; the services decide (and raise ValidationError, a 400 in the one error shape)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema_field, inline_serializer
from rest_framework import serializers

from catalog.api import TitleSerializer
from catalog.models import MAX_MATURITY
from config.api import StrictJSON
from profiles.forms.signals import MAX_LIST_POSITION
from profiles.models import Avatar, Feedback, Interaction, Profile, WatchEvent
from profiles.services.events import EVENT_KINDS, MAX_BATCH
from profiles.services.household import KIDS_MAX_CEILING


class RegisterSerializer(StrictJSON, serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.RegexField(
        r"^[^\x00]*$", write_only=True, min_length=8, max_length=128, trim_whitespace=False,
        help_text="At least 8 characters, not a common or all-digit password.",
    )  # fmt: skip


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField(read_only=True)
    refresh = serializers.CharField(read_only=True)


class AccountSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(read_only=True)
    tokens = TokenPairSerializer(read_only=True)


class ProfileSerializer(StrictJSON, serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.RegexField(r"^[^\x00]*\S[^\x00]*$", max_length=40)
    kind = serializers.ChoiceField(choices=Profile.Kind.choices, default=Profile.Kind.ADULT)
    maturity_ceiling = serializers.IntegerField(
        min_value=0, max_value=MAX_MATURITY, required=False, allow_null=True
    )
    effective_ceiling = serializers.IntegerField(read_only=True)
    avatar_colour = serializers.RegexField(r"\A#[0-9a-fA-F]{6}\Z", default="#e50914")
    avatar = serializers.ChoiceField(choices=Avatar.choices, default=Avatar.SMILE)
    language = serializers.RegexField(r"\A[a-z]{2}\Z", default="en")
    is_locked = serializers.BooleanField(read_only=True)
    needs_onboarding = serializers.BooleanField(read_only=True)

    def validate(self, data):
        ceiling = data.get("maturity_ceiling")
        kids = data.get("kind") == Profile.Kind.KIDS
        if kids and ceiling is not None and ceiling > KIDS_MAX_CEILING:
            message = f"A kids profile's ceiling is at most {KIDS_MAX_CEILING}."
            raise serializers.ValidationError({"maturity_ceiling": message})
        return data


class FeedbackSerializer(StrictJSON, serializers.Serializer):
    value = serializers.ChoiceField(choices=Feedback.Value.choices)


@extend_schema_field({"type": "number", "minimum": 0.5, "maximum": 5, "multipleOf": 0.5})
class HalfStarsField(serializers.FloatField):
    """½ to 5 in half steps (the service checks the steps)."""


class RatingSerializer(StrictJSON, serializers.Serializer):
    stars = HalfStarsField(min_value=0.5, max_value=5)


class WatchProgressSerializer(StrictJSON, serializers.Serializer):
    event = serializers.ChoiceField(choices=WatchEvent.Event.choices)
    position_seconds = serializers.IntegerField(min_value=0, max_value=10**7)
    duration_seconds = serializers.IntegerField(min_value=1, max_value=10**7)


class WatchEventSerializer(serializers.Serializer):
    title = TitleSerializer(read_only=True)
    event = serializers.CharField(read_only=True)
    position_seconds = serializers.IntegerField(read_only=True)
    duration_seconds = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class MyListAddSerializer(StrictJSON, serializers.Serializer):
    title = serializers.SlugField(max_length=320, help_text="The title's slug.")


class MyListMoveSerializer(StrictJSON, serializers.Serializer):
    position = serializers.IntegerField(
        min_value=0, max_value=MAX_LIST_POSITION, help_text="0 is the top of the list."
    )


class SignalStateSerializer(serializers.Serializer):
    """What the profile has now said about a title."""

    feedback = serializers.CharField()
    rating = serializers.FloatField(allow_null=True)
    in_my_list = serializers.BooleanField()


class EventSerializer(StrictJSON, serializers.Serializer):
    id = serializers.UUIDField(help_text="The client's own id; a re-sent event is stored once.")
    kind = serializers.ChoiceField(choices=[(kind, kind) for kind in EVENT_KINDS])
    occurred_at = serializers.DateTimeField(help_text="Not in the future, at most 7 days ago.")
    title = serializers.SlugField(max_length=320, required=False, default="")
    page = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)
    rail_key = serializers.CharField(max_length=60, required=False, default="", allow_blank=True)
    position = serializers.IntegerField(
        min_value=0, max_value=32767, required=False, allow_null=True, default=None
    )
    query = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    position_seconds = serializers.IntegerField(
        min_value=0, max_value=10**7, required=False, default=0
    )
    duration_seconds = serializers.IntegerField(
        min_value=0, max_value=10**7, required=False, default=0
    )


class EventBatchSerializer(serializers.Serializer):
    """The batch; each event is then checked on its own by `client_event_parse`, with the
    rules EventSerializer documents."""

    events = serializers.ListField(
        child=serializers.JSONField(), min_length=1, max_length=MAX_BATCH,
        help_text=f"1 to {MAX_BATCH} events; each is checked on its own.",
    )  # fmt: skip


class EventBatchSchema(serializers.Serializer):
    """The batch as documented (each event's shape); the view checks events one by one."""

    events = serializers.ListField(child=EventSerializer(), min_length=1, max_length=MAX_BATCH)


class EventResultSerializer(serializers.Serializer):
    id = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=["stored", "duplicate", "rejected"])
    detail = serializers.JSONField()


class EventBatchResultSerializer(serializers.Serializer):
    stored = serializers.IntegerField()
    duplicate = serializers.IntegerField()
    rejected = serializers.IntegerField()
    results = EventResultSerializer(many=True)


class InteractionSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="client_id", read_only=True, allow_null=True)
    kind = serializers.ChoiceField(choices=Interaction.Kind.choices, read_only=True)
    title = TitleSerializer(read_only=True, allow_null=True)
    page = serializers.CharField(read_only=True)
    rail_key = serializers.CharField(read_only=True)
    position = serializers.IntegerField(read_only=True, allow_null=True)
    query = serializers.CharField(read_only=True)
    occurred_at = serializers.DateTimeField(source="created_at", read_only=True)


CURSOR = OpenApiParameter("cursor", str, description="From the previous answer's next or previous")


def cursor_page(name: str, item: type[serializers.Serializer]) -> serializers.Serializer:
    """The documented shape of a cursor-paginated answer of `item`s."""
    return inline_serializer(
        name,
        {
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item(many=True),
        },
    )
