"""Query parameters of the recommender's pages, as Django forms (see catalog/forms.py)."""

from django import forms


class TitleVisitForm(forms.Form):
    """`?rail=<key>` on a title page: the rail the viewer followed it from (a click on a tile)."""

    rail = forms.SlugField(
        required=False,
        max_length=60,  # Interaction.rail_key
        error_messages={
            "invalid": "rail must be a rail key of letters, digits, - and _.",
            "max_length": "rail must be at most 60 characters.",
            "null_characters_not_allowed": "rail must not contain NUL bytes.",
        },
    )
