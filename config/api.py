"""What every JSON API view shares: one error shape, scoped throttles, and a JSON 404 for
paths under /api/ that name nothing.

Every error answers `{"error": code, "detail": ...}`: `code` is a short machine word
(`invalid`, `not_authenticated`, `not_found`, `throttled`, `locked_out`, ...) and `detail` a
sentence, or for invalid input an object of field -> messages.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import exception_handler


def _detail(detail):
    """DRF's ErrorDetail strings and lists as plain JSON values."""
    if isinstance(detail, dict):
        # simplejwt's token errors carry their own {"detail", "code", "messages"}.
        if "detail" in detail and "code" in detail:
            return str(detail["detail"])
        return {str(key): _detail(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_detail(item) for item in detail]
    return str(detail)


def _code(exc: exceptions.APIException) -> str:
    if isinstance(exc, exceptions.ValidationError):
        return "invalid"
    detail = exc.detail
    if isinstance(detail, dict) and "code" in detail:
        return str(detail["code"])
    return getattr(detail, "code", None) or exc.default_code


def api_exception_handler(exc, context):
    """DRF's handler, then the one shape; a service's ValidationError is a 400 like a form's."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError({"detail": exc.messages})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None  # a real server error: Django's 500 (and its logging)
    detail = _detail(exc.detail)
    if isinstance(detail, dict) and list(detail) == ["detail"]:
        detail = detail["detail"]
        if isinstance(detail, list) and len(detail) == 1:
            detail = detail[0]
    response.data = {"error": _code(exc), "detail": detail}
    return response


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([AllowAny])
def api_not_found(request, path: str = ""):
    return Response(
        {"error": "not_found", "detail": "No such API endpoint."}, status=status.HTTP_404_NOT_FOUND
    )


class Conflict(exceptions.APIException):
    """A valid request the current state refuses (a sixth profile, a name already taken)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "That conflicts with the current state."


def throttle_scope(scope: str):
    """Give a function view (`@api_view`) its throttle scope; put it above `@api_view`."""

    def decorate(view):
        view.cls.throttle_scope = scope
        return view

    return decorate


ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {"type": "string", "description": "A short code, e.g. invalid, not_found"},
        "detail": {"description": "A sentence, or for invalid input field -> messages"},
    },
    "required": ["error", "detail"],
}
ERROR_ANSWERS = {
    "400": "Invalid input",
    "401": "No or bad credentials",
    "403": "A write signed in by the browser's session without its CSRF token",
    "404": "No such profile in this household, or no such title on this profile",
    "405": "Method not allowed",
    "409": "Conflicts with the household's current state (e.g. a sixth profile)",
    "415": "Unsupported media type (send JSON)",
    "429": "Throttled or locked out; see Retry-After",
}


def error_answers_documented(result, generator, request, public):
    """drf-spectacular post-processing: every operation may answer the error shape with any of
    ERROR_ANSWERS, so clients (and the schema test) know every answer."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            answers = operation.setdefault("responses", {})
            for status_code, description in ERROR_ANSWERS.items():
                answers.setdefault(
                    status_code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result


NO_NUL = "^[^\\x00]*$"  # config.middleware and DRF's CharField answer 400 to a NUL character


def nul_refused_documented(result, generator, request, public):
    """drf-spectacular post-processing: the schema says what the site enforces everywhere, that
    no text parameter or request field may hold a NUL character (a 400 otherwise). Strings with
    a format, an enum or a pattern of their own are left as they are."""

    def refuse(schema: dict) -> None:
        if schema.get("type") == "string" and not {"format", "enum", "pattern"} & set(schema):
            schema["pattern"] = NO_NUL

    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                refuse(parameter.get("schema", {}))
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            for field in component.get("properties", {}).values():
                refuse(field)
    return result


class StrictJSON:
    """A serializer mixin for JSON bodies: a value of the wrong JSON type is invalid, as the
    schema says, where DRF would coerce it (4 into "4", "4" into 4, 1 into True)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            errors = {}
            for name, wanted in self._json_types_by_field().items():
                value = data.get(name)
                if value is None or not wanted:
                    continue
                if not isinstance(value, wanted) or _bool_for_number(value, wanted):
                    errors[name] = [f"{name} has the wrong type."]
            if errors:
                raise exceptions.ValidationError(errors)
        return super().to_internal_value(data)

    def _json_types_by_field(self) -> dict[str, tuple[type, ...]]:
        # Worked out once per serializer instance (an event batch reuses one for 100 events).
        if not hasattr(self, "_json_types"):
            self._json_types = {
                name: _json_types(field)
                for name, field in self.fields.items()
                if not field.read_only
            }
        return self._json_types


def _json_types(field) -> tuple[type, ...]:
    from rest_framework import serializers

    if isinstance(field, serializers.BooleanField):
        return (bool,)
    if isinstance(field, serializers.IntegerField):
        return (int,)
    if isinstance(field, serializers.FloatField | serializers.DecimalField):
        return (int, float)
    if isinstance(
        field, serializers.CharField | serializers.ChoiceField | serializers.DateTimeField
    ):
        return (str,)
    return ()


def _bool_for_number(value, wanted: tuple[type, ...]) -> bool:
    return isinstance(value, bool) and bool not in wanted
