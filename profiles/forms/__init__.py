"""The profiles app's forms: accounts, profiles and PINs in `accounts`; what a viewer posts about
titles and the onboarding grid in `signals`."""

from profiles.forms.accounts import (
    LoginForm,
    PasswordResetRequestForm,
    PinForm,
    PinProofForm,
    PreferencesForm,
    ProfileForm,
    SignupForm,
    UnlockForm,
)
from profiles.forms.signals import (
    FeedbackForm,
    MyListForm,
    OnboardingGridForm,
    PickForm,
    RatingForm,
    ReorderForm,
    SavedSearchForm,
    WatchForm,
)

__all__ = [
    "FeedbackForm",
    "LoginForm",
    "MyListForm",
    "OnboardingGridForm",
    "PasswordResetRequestForm",
    "PickForm",
    "PinForm",
    "PinProofForm",
    "PreferencesForm",
    "ProfileForm",
    "RatingForm",
    "ReorderForm",
    "SavedSearchForm",
    "SignupForm",
    "UnlockForm",
    "WatchForm",
]
