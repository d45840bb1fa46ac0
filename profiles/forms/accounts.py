"""Forms for accounts, profiles, PINs and preferences: views bind them, services do the writes."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError

from catalog.models import MATURITY_LEVELS, MAX_MATURITY, Genre
from profiles import services
from profiles.models import KIDS_DEFAULT_CEILING, Account, Avatar, PreferenceWeights, Profile


def _maturity_choices() -> list[tuple[int, str]]:
    """One choice per level of the certification scale, e.g. 7 -> "Up to PG / TV-Y7"."""
    by_level: dict[int, list[str]] = {}
    for certification, level in MATURITY_LEVELS.items():
        by_level.setdefault(level, []).append(certification.label)
    return [
        (level, "Everything, unrated titles included")
        if level == MAX_MATURITY
        else (level, "Up to " + " / ".join(names))
        for level, names in sorted(by_level.items())
    ]


MATURITY_CHOICES = _maturity_choices()

# ISO 639-1 codes of the languages a catalogue is most likely to hold.
LANGUAGE_CHOICES = [
    ("ar", "Arabic"), ("zh", "Chinese"), ("da", "Danish"), ("nl", "Dutch"), ("en", "English"),
    ("fi", "Finnish"), ("fr", "French"), ("de", "German"), ("hi", "Hindi"), ("it", "Italian"),
    ("ja", "Japanese"), ("ko", "Korean"), ("no", "Norwegian"), ("pl", "Polish"),
    ("pt", "Portuguese"), ("ru", "Russian"), ("es", "Spanish"), ("sv", "Swedish"), ("th", "Thai"),
    ("tr", "Turkish"),
]  # fmt: skip

PIN_WIDGET_ATTRS = {
    "inputmode": "numeric", "pattern": "[0-9]{4}", "maxlength": "4", "autocomplete": "off",
}  # fmt: skip


def _pin_field(label: str) -> forms.RegexField:
    return forms.RegexField(
        label=label,
        regex=r"^\d{4}$",
        strip=True,
        widget=forms.PasswordInput(attrs=PIN_WIDGET_ATTRS),
        error_messages={"invalid": "A PIN is exactly four digits."},
    )


class SignupForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not too common and not all numbers.",
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if Account.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                "An account with this e-mail address already exists. Sign in or reset the password."
            )
        return email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords differ.")
        elif password1:
            try:
                account = Account(email=cleaned.get("email", ""))
                password_validation.validate_password(password1, user=account)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(AuthenticationForm):
    """Sign in by e-mail. django-axes counts failures per address and IP (settings.AXES_*)."""

    username = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()

    def confirm_login_allowed(self, user: Account) -> None:
        super().confirm_login_allowed(user)
        if user.is_synthetic:  # simulated community members never sign in
            raise self.get_invalid_login_error()


class PasswordResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def get_users(self, email: str):
        # Over the limit nothing is sent, and the page says the same as always.
        if not services.password_reset_mail_allowed(email=email):
            return iter(())
        return (user for user in super().get_users(email) if not user.is_synthetic)


class ProfileForm(forms.Form):
    """Add a profile (`profile` None) or edit one; the ceiling defaults by kind when left empty."""

    name = forms.CharField(max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    kind = forms.ChoiceField(
        choices=Profile.Kind.choices, initial=Profile.Kind.ADULT, widget=forms.RadioSelect
    )
    maturity_ceiling = forms.TypedChoiceField(
        label="Maturity ceiling",
        coerce=int,
        empty_value=None,
        help_text="A kids profile goes up to TV-PG at most.",
    )
    avatar_colour = forms.RegexField(
        label="Avatar colour",
        regex=r"^#[0-9a-fA-F]{6}$",
        initial="#e50914",
        widget=forms.TextInput(attrs={"type": "color"}),
        error_messages={"invalid": "Pick a colour such as #e50914."},
    )
    avatar = forms.ChoiceField(
        label="Avatar", choices=Avatar.choices, initial=Avatar.SMILE, widget=forms.RadioSelect
    )
    language = forms.ChoiceField(choices=LANGUAGE_CHOICES, initial="en")

    def __init__(self, *args, household: Account, profile: Profile | None = None, **kwargs):
        if profile is not None:
            kwargs.setdefault(
                "initial", {name: getattr(profile, name) for name in self.base_fields}
            )
        super().__init__(*args, **kwargs)
        self.household, self.profile = household, profile
        ceiling = self.fields["maturity_ceiling"]
        if profile is None:
            ceiling.required = False
            ceiling.choices = [("", "Default (kids: up to PG / TV-Y7, adults: everything)")]
        ceiling.choices = [*ceiling.choices, *MATURITY_CHOICES]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = self.household.profiles.filter(name__iexact=name)
        if self.profile is not None:
            others = others.exclude(pk=self.profile.pk)
        if others.exists():
            raise ValidationError("Another profile in this household already has that name.")
        return name

    def clean_avatar_colour(self) -> str:
        return self.cleaned_data["avatar_colour"].lower()

    def clean(self):
        cleaned = super().clean()
        kids = cleaned.get("kind") == Profile.Kind.KIDS
        if cleaned.get("maturity_ceiling") is None:
            cleaned["maturity_ceiling"] = KIDS_DEFAULT_CEILING if kids else MAX_MATURITY
        if kids and cleaned["maturity_ceiling"] > services.KIDS_MAX_CEILING:
            self.add_error(
                "maturity_ceiling", "A kids profile can go up to TV-PG at most; pick a lower one."
            )
        if kids and self.profile is None and not self.household.profiles.exists():
            self.add_error("kind", "The first profile is an adult one, to look after the others.")
        return cleaned


class PinProofForm(forms.Form):
    """Changing or removing a PIN: its current PIN, or the account password, proves the right."""

    current_pin = forms.RegexField(
        label="Current PIN",
        regex=r"^\d{4}$",
        required=False,
        widget=forms.PasswordInput(attrs=PIN_WIDGET_ATTRS),
        error_messages={"invalid": "A PIN is exactly four digits."},
    )
    password = forms.CharField(
        label="or the account password",
        required=False,
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PinForm(PinProofForm):
    pin = _pin_field("New 4-digit PIN")
    pin_confirm = _pin_field("PIN again")
    field_order = ["pin", "pin_confirm", "current_pin", "password"]

    def __init__(self, *args, target=None, **kwargs):
        super().__init__(*args, **kwargs)
        if target is None or not target.is_locked:  # a first PIN replaces nothing
            del self.fields["current_pin"], self.fields["password"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("pin") and cleaned.get("pin_confirm") not in (None, cleaned["pin"]):
            self.add_error("pin_confirm", "The two PINs differ.")
        return cleaned


class UnlockForm(forms.Form):
    pin = _pin_field("PIN")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pin"].widget.attrs["autofocus"] = True


class PreferencesForm(forms.Form):
    """Everything on the preferences page; the genre and novelty sliders can also save alone."""

    novelty = forms.FloatField(
        label="Surprise me",
        min_value=0,
        max_value=1,
        help_text="0 = familiar favourites, 1 = surprise me",
    )
    runtime = forms.ChoiceField(
        label="Length", choices=PreferenceWeights.Runtime.choices, widget=forms.RadioSelect
    )
    runtime_min = forms.IntegerField(
        label="Shortest (minutes)", required=False, min_value=1, max_value=999
    )
    runtime_max = forms.IntegerField(
        label="Longest (minutes)", required=False, min_value=1, max_value=999
    )
    languages = forms.MultipleChoiceField(
        choices=LANGUAGE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    sensitivity = forms.TypedChoiceField(
        label="Extra filtering", coerce=int, choices=PreferenceWeights.Sensitivity.choices
    )

    def __init__(self, *args, preferences: PreferenceWeights, may_relax: bool = True, **kwargs):
        genres = list(Genre.objects.order_by("name"))
        initial = {name: getattr(preferences, name) for name in self.base_fields}
        weights = preferences.genre_weights
        initial.update((f"genre-{genre.slug}", weights.get(genre.slug, 0)) for genre in genres)
        super().__init__(*args, initial=initial, **kwargs)
        for genre in genres:
            self.fields[f"genre-{genre.slug}"] = forms.FloatField(
                label=genre.name, min_value=-1, max_value=1, required=False,
                error_messages=dict.fromkeys(
                    ("invalid", "min_value", "max_value"), "A genre weight lies between -1 and +1."
                ),
            )  # fmt: skip
        self.genre_names = [f"genre-{genre.slug}" for genre in genres]
        if not may_relax:  # a kids profile on its own page can only tighten the filter
            sensitivity, current = self.fields["sensitivity"], preferences.sensitivity
            sensitivity.choices = [(v, label) for v, label in sensitivity.choices if v <= current]
            sensitivity.help_text = "Only an adult profile can relax this filter."
            sensitivity.error_messages["invalid_choice"] = sensitivity.help_text

    @property
    def slider_names(self) -> list[str]:
        return ["novelty", *self.genre_names]

    @property
    def plain_names(self) -> list[str]:
        """The fields saved only with the whole form."""
        return [name for name in self.fields if name not in self.slider_names]

    def genre_sliders(self) -> list[forms.BoundField]:
        return [self[name] for name in self.genre_names]

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("runtime_min"), cleaned.get("runtime_max")
        if low is not None and high is not None and low > high:
            self.add_error("runtime_max", "The longest runtime cannot be under the shortest.")
        return cleaned

    def changes(self) -> dict:
        """Arguments for `services.preferences_update` from a valid full form."""
        data = self.cleaned_data
        return {
            "genre_weights": {
                name.removeprefix("genre-"): data[name] or 0.0 for name in self.genre_names
            },
            "runtime": data["runtime"],
            "runtime_range": (data["runtime_min"], data["runtime_max"]),
            "languages": data["languages"],
            "sensitivity": data["sensitivity"],
            "novelty": data["novelty"],
        }

    def slider_change(self, name: str) -> dict | None:
        """The change one slider asks for, or None when its value is invalid.

        Errors of the other fields do not matter here: only this slider is saved.
        """
        self.is_valid()
        if name in self.errors:
            return None
        if name == "novelty":
            return {"novelty": self.cleaned_data["novelty"]}
        return {"genre_weights": {name.removeprefix("genre-"): self.cleaned_data[name] or 0.0}}
