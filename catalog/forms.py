"""Query parameters as Django forms: bounded integers, known choices, NUL bytes refused.

A view binds the form to `request.GET` (or a saved query string); when it is not valid, the
view answers 400 with `first_error(form)`, a sentence that names the parameter."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.http import HttpResponseBadRequest

from catalog.models import Certification, Kind

MAX_RUNTIME = 10_000  # the "Over 150 min" facet link sends it as runtime_max
MAX_PAGE = 1000  # infinite scroll stops here; deeper pages are a 400, not a huge OFFSET
MAX_GENRES = 10
MAX_FACET_VALUES = 20  # languages or certifications chosen at once
MAX_QUERY = 100  # characters of a search query that count; the rest is dropped


def first_error(form: forms.Form) -> str:
    """The first problem of a bound, invalid form: the message of a 400 answer."""
    for errors in form.errors.values():
        return errors[0]
    return "Invalid request."


def plain_bad_request(message: str) -> HttpResponseBadRequest:
    """A 400 whose body is the message alone (htmx shows it; a form post reads it)."""
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def form_rejected(form: forms.Form) -> HttpResponseBadRequest:
    """The 400 answer to a request whose form is not valid: its first problem."""
    return plain_bad_request(first_error(form))


def text_field(name: str, *, max_length: int | None = None) -> forms.CharField:
    """An optional text parameter; a NUL byte or more than `max_length` characters is an error."""
    return forms.CharField(
        required=False,
        max_length=max_length,
        error_messages={
            "null_characters_not_allowed": f"{name} must not contain NUL bytes.",
            "max_length": f"{name} must be at most {max_length} characters.",
        },
    )


def whole_number_field(name: str, low: int, high: int, **kwargs) -> forms.IntegerField:
    """An optional integer parameter between `low` and `high`, with messages that name it."""
    out_of_range = f"{name} must be between {low} and {high}."
    return forms.IntegerField(
        required=False,
        min_value=low,
        max_value=high,
        error_messages={
            "invalid": f"{name} must be a whole number.",
            "min_value": out_of_range,
            "max_value": out_of_range,
        },
        **kwargs,
    )


def choice_field(choices, message: str) -> forms.ChoiceField:
    """An optional parameter that is empty or one of `choices`; `message` may use %(value)s."""
    return forms.ChoiceField(
        required=False, choices=[("", ""), *choices], error_messages={"invalid_choice": message}
    )


class ListField(forms.Field):
    """A repeated parameter (`?genre=a&genre=b`): distinct values, sorted, at most `limit`,
    each checked by `check` (which returns the value to keep or raises ValidationError)."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, limit: int, **kwargs):
        self.limit = limit
        super().__init__(required=False, **kwargs)

    def check(self, value: str) -> str:
        return value

    def to_python(self, value) -> list[str]:
        if isinstance(value, str):  # a plain dict rather than a QueryDict
            value = [value]
        return sorted({self.check(v) for v in (value or []) if v})[: self.limit]


class SlugListField(ListField):
    """Slugs, such as genres."""

    def __init__(self, *, name: str, limit: int, **kwargs):
        self.name = name
        super().__init__(limit=limit, **kwargs)

    def check(self, value: str) -> str:
        try:
            validate_slug(value)
        except ValidationError:
            raise ValidationError(
                f"{self.name} must be a slug of letters, digits, - and _.", code="invalid"
            ) from None
        return value


class LanguageListField(ListField):
    """Two-letter ISO 639-1 codes, in lower case."""

    def check(self, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z]{2}", value.strip()):
            raise ValidationError("language must be a two-letter ISO 639-1 code.", code="invalid")
        return value.strip().lower()


class ChoiceListField(ListField):
    """Values from `choices`; `message` may use %(value)s."""

    def __init__(self, *, choices, message: str, limit: int, **kwargs):
        self.allowed, self.message = {value for value, _ in choices}, message
        super().__init__(limit=limit, **kwargs)

    def check(self, value: str) -> str:
        if value not in self.allowed:
            raise ValidationError(self.message, code="invalid", params={"value": value})
        return value


class PageForm(forms.Form):
    """`page` of a listing that pages (search's infinite scroll)."""

    page = whole_number_field("page", 1, MAX_PAGE)


class SearchForm(forms.Form):
    """The search page's parameters and the facets its links send."""

    q = text_field("q")
    kind = choice_field(Kind.choices, "kind must be movie or series.")
    genre = SlugListField(name="genre", limit=MAX_GENRES)
    year_min = whole_number_field("year_min", 1870, 2100)
    year_max = whole_number_field("year_max", 1870, 2100)
    runtime_min = whole_number_field("runtime_min", 0, MAX_RUNTIME)
    runtime_max = whole_number_field("runtime_max", 0, MAX_RUNTIME)
    # Within a facet the values are alternatives (OR); the facets narrow each other (AND).
    language = LanguageListField(limit=MAX_FACET_VALUES)
    certification = ChoiceListField(
        choices=Certification.choices,
        message="Unknown certification %(value)r.",
        limit=MAX_FACET_VALUES,
    )
    page = PageForm.base_fields["page"]  # the one definition of page; last in this form

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())[:MAX_QUERY]

    def clean(self):
        data = super().clean()
        year_min, year_max = data.get("year_min"), data.get("year_max")
        if year_min and year_max and year_min > year_max:
            raise ValidationError("year_min is after year_max.")
        return data
