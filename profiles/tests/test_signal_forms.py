"""What a viewer posts is checked by Django forms before any service runs (#16)."""

import pytest

from catalog.forms import first_error
from profiles.forms import (
    FeedbackForm,
    MyListForm,
    PickForm,
    RatingForm,
    ReorderForm,
    SavedSearchForm,
    WatchForm,
)


@pytest.mark.parametrize(
    ("form_class", "data", "message"),
    [
        (FeedbackForm, {"value": "meh"}, "Unknown feedback 'meh'."),
        (RatingForm, {"stars": "3.3"}, "A rating is 0.5 to 5 stars in half steps."),
        (RatingForm, {"stars": "NaN"}, "A rating is 0.5 to 5 stars in half steps."),
        (RatingForm, {"stars": "1e309"}, "A rating is 0.5 to 5 stars in half steps."),
        (RatingForm, {}, "A rating is 0.5 to 5 stars in half steps."),
        (MyListForm, {"action": "toggle"}, "action must be add or remove."),
        (MyListForm, {"action": "add", "page": "p\x00"}, "page must not contain NUL bytes."),
        (MyListForm, {"action": "add", "page": "x" * 41}, "page must be at most 40 characters."),
        (ReorderForm, {"position": "99999999999999999999"}, "position must be between"),
        (ReorderForm, {}, "position must be a whole number."),
        (WatchForm, {"event": "rewind"}, "Unknown watch event 'rewind'."),
        (WatchForm, {"event": "progress"}, "position must be a whole number of seconds."),
        (WatchForm, {"position": "-5"}, "position must be a whole number of seconds."),
        (SavedSearchForm, {"query_string": "kind=book"}, "kind must be movie or series."),
        (SavedSearchForm, {"query_string": ""}, "Search for something before saving it."),
        (SavedSearchForm, {"query_string": "q=a", "name": "n" * 81}, "name must be at most 80"),
        (PickForm, {"picked": "yes"}, "picked must be 1 or 0."),
    ],
)
def test_bad_posts_are_refused_with_a_message(form_class, data, message):
    form = form_class(data)
    assert not form.is_valid()
    assert first_error(form).startswith(message)


def test_good_posts_are_cleaned_to_what_the_services_take():
    assert RatingForm({"stars": "4.5"}).is_valid()
    watch = WatchForm({"event": "complete"})
    assert watch.is_valid() and watch.cleaned_data["event"] == "complete"
    progress = WatchForm({"position": "600"})
    assert progress.is_valid() and progress.cleaned_data["event"] == "progress"
    saved = SavedSearchForm({"query_string": "?q=heat&kind=movie"})
    assert saved.is_valid()
    assert saved.cleaned_data["query_string"].querystring() == "q=heat&kind=movie"
    unpick = PickForm({"picked": "0"})
    assert unpick.is_valid() and unpick.cleaned_data["picked"] is False
    assert FeedbackForm({"value": ""}).is_valid()  # empty clears the feedback
