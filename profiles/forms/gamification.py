"""Parameters of the challenge and leaderboard pages. Views answer 400 with the form's first
error when one is not valid (catalog.forms.form_rejected)."""

from django import forms

from catalog.forms import choice_field


def _required_choice(choices, message: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=choices, error_messages={"required": message, "invalid_choice": message}
    )


class ChallengeJoinForm(forms.Form):
    code = forms.SlugField(
        max_length=40,
        error_messages={"required": "Choose a challenge.", "invalid": "Unknown challenge."},
    )


class FreezeForm(forms.Form):
    week = _required_choice([("this", "This week"), ("last", "Last week")], "week is this or last.")


class BoardForm(forms.Form):
    """Which leaderboard: the household's (the default) or the community's."""

    board = choice_field(
        [("household", "Household"), ("community", "Community")],
        "board must be household or community.",
    )


class CommunityForm(forms.Form):
    joined = _required_choice([("1", "join"), ("0", "leave")], "joined must be 1 or 0.")
