"""Forms for what a viewer posts about a title (feedback, rating, My List, watching, saved
searches) and for the onboarding grid's parameters. Views bind them to the request and answer
400 with `first_error(form)` when they are not valid; the services do the writes."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from catalog.forms import choice_field, text_field, whole_number_field
from catalog.models import Kind
from catalog.search import SearchError, SearchFilters
from profiles.models import Feedback, WatchEvent

RATING_MESSAGE = "A rating is 0.5 to 5 stars in half steps."
MAX_LIST_POSITION = 10_000  # far past any list; the service clamps to the list's end


class FeedbackForm(forms.Form):
    """An opinion, or empty to clear the current one; or, with `seen` (1 or 0), "Seen it" set
    or cleared, the opinion left as it is."""

    value = choice_field(Feedback.Value.choices, "Unknown feedback %(value)r.")
    seen = choice_field([("1", "seen"), ("0", "not seen")], "seen must be 1 or 0.")


class RatingForm(forms.Form):
    """½ to 5 stars in half steps (the title page and onboarding's quick rate)."""

    stars = forms.FloatField(
        min_value=0.5,
        max_value=5,
        step_size=0.5,
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value", "step_size"), RATING_MESSAGE
        ),
    )


class MyListForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("add", "add"), ("remove", "remove")],
        error_messages={
            "required": "action must be add or remove.",
            "invalid_choice": "action must be add or remove.",
        },
    )
    page = text_field("page", max_length=40)


class ReorderForm(forms.Form):
    position = whole_number_field("position", -MAX_LIST_POSITION, MAX_LIST_POSITION)

    def clean_position(self) -> int:
        if self.cleaned_data["position"] is None:
            raise ValidationError("position must be a whole number.")
        return self.cleaned_data["position"]


class WatchForm(forms.Form):
    """A progress report (with a position in seconds) or "complete" (no position needed)."""

    event = choice_field(WatchEvent.Event.choices, "Unknown watch event %(value)r.")
    position = whole_number_field("position", 0, 10**7)

    def clean(self):
        data = super().clean()
        data["event"] = data.get("event") or WatchEvent.Event.PROGRESS
        if "position" in self.errors or (
            data["event"] != WatchEvent.Event.COMPLETE and data.get("position") is None
        ):
            self.errors.pop("position", None)
            raise ValidationError("position must be a whole number of seconds.")
        return data


class SavedSearchForm(forms.Form):
    """Save the search in `query_string` under `name` (the query itself when no name)."""

    name = text_field("name", max_length=80)
    query_string = text_field("query_string", max_length=500)

    def clean_query_string(self) -> SearchFilters:
        try:
            query = QueryDict(self.cleaned_data["query_string"].lstrip("?"))
            filters = SearchFilters.from_params(query)
        except SearchError as error:
            raise ValidationError(str(error)) from None
        if filters.is_empty:
            raise ValidationError("Search for something before saving it.")
        return filters


class OnboardingGridForm(forms.Form):
    """The onboarding grid's tab (all, movies, series) and its search box."""

    kind = choice_field(Kind.choices, "kind must be movie or series.")
    q = text_field("q")

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()[:100]


class PickForm(OnboardingGridForm):
    """Pick (or unpick, with picked=0) a title on the grid, keeping the grid's tab and query."""

    picked = forms.TypedChoiceField(
        choices=[("1", "pick"), ("0", "unpick")],
        coerce=lambda value: value == "1",
        error_messages={
            "required": "picked must be 1 or 0.",
            "invalid_choice": "picked must be 1 or 0.",
        },
    )
