"""The JSON API tests' shared cast, as healthchecks' alice, bob and charlie: a household with an
adult and a kids profile, another household, and a small catalogue whose crime block is
R-rated (above the kids ceiling) and shares a director with a family title."""

from dataclasses import dataclass

from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from catalog.models import Credit, Title
from catalog.tests.factories import GenreFactory, PersonFactory, TitleFactory
from profiles.models import Account, Profile, Rating
from profiles.tests.factories import KidsProfileFactory, ProfileFactory


@dataclass
class Cast:
    adult: Profile
    kid: Profile
    stranger: Profile  # another household's
    family: list[Title]  # G
    crime: list[Title]  # R: above the kid's ceiling

    @property
    def household(self) -> Account:
        return self.adult.household


def cast_make(*, fans: int = 6) -> Cast:
    family_genre = GenreFactory(name="Family")
    crime_genre = GenreFactory(name="Crime")
    family = [
        TitleFactory(title=f"Sunny Meadow {n}", certification="G", genres=[family_genre],
                     popularity=20 - n)
        for n in range(8)
    ]  # fmt: skip
    crime = [
        TitleFactory(title=f"Crimson Heist {n}", certification="R", genres=[crime_genre],
                     popularity=30 - n)
        for n in range(8)
    ]  # fmt: skip
    director = PersonFactory(name="Dana Director")
    Credit.objects.create(title=family[0], person=director, role=Credit.Role.DIRECTOR)
    Credit.objects.create(title=crime[0], person=director, role=Credit.Role.DIRECTOR)
    adult = ProfileFactory(name="Alice", onboarded_at=timezone.now())
    kid = KidsProfileFactory(household=adult.household, name="Kid", onboarded_at=timezone.now())
    stranger = ProfileFactory(name="Bob", onboarded_at=timezone.now())
    now = timezone.now()
    for n in range(fans):  # viewers who like both blocks tie crime to family in the model
        fan = ProfileFactory(name=f"Fan {n}")
        for title in family[:5] + crime[:5]:
            Rating.objects.create(profile=fan, title=title, value=5, created_at=now)
    return Cast(adult, kid, stranger, family, crime)


def bearer(account: Account) -> APIClient:
    """A client sending a fresh JWT access token for this household."""
    client = APIClient()
    token = RefreshToken.for_user(account).access_token
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def assert_error(response, status: int, code: str | None = None) -> None:
    """The API's one error shape."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error", "detail"}, body
    if code is not None:
        assert body["error"] == code, body
