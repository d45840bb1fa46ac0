"""Access in one place: every view that touches a profile resolves it here.

A profile of another household is a 404, never a 403, so ids cannot be probed.
"""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest

from catalog.models import Title
from catalog.selectors import titles_visible
from config.prepared import Prepared
from profiles.models import Profile

SESSION_KEY = "profile_id"


def _household_profile(*related: str) -> Prepared:
    """A household's profile by id, with these relations: read on every request
    (`current_profile`) or every profile-scoped one, so compiled once (config/prepared.py)."""
    return Prepared(
        lambda pk, household: Profile.objects.select_related(*related).filter(
            pk=pk, household_id=household
        ),
        pk=int,
        household=int,
    )


_profile = _household_profile("preferences")
_profile_in_full = _household_profile("household", "preferences")

# Every signal reads its title (`title_for_profile`): compiled once too.
_visible_title = Prepared(
    lambda slug, ceiling: titles_visible(ceiling=ceiling).filter(slug=slug)[:1],
    slug=str,
    ceiling=int,
)


def profile_for_request(request: HttpRequest, profile_id: int) -> Profile:
    """The household's own profile with this id, or 404."""
    profile = None
    if request.user.is_authenticated:
        profile = _profile_in_full.one(pk=profile_id, household=request.user.pk)
    if profile is None:
        raise Http404("No such profile in this household.")
    return profile


def current_profile(request: HttpRequest) -> Profile | None:
    """The profile chosen on "Who's watching?", if it still belongs to this household."""
    profile_id = request.session.get(SESSION_KEY)
    if profile_id is None or not request.user.is_authenticated:
        return None
    return _profile.one(pk=profile_id, household=request.user.pk)


def profile_choose(request: HttpRequest, profile: Profile) -> None:
    request.session[SESSION_KEY] = profile.pk


def title_for_profile(profile: Profile, slug: str) -> Title:
    """A title the profile may see, or 404 (signals on hidden titles are refused the same way)."""
    title = _visible_title.one(slug=slug, ceiling=profile.effective_ceiling)
    if title is None:
        raise Http404("No such title on this profile.")
    return title


PROFILE_HEADER = "X-Profile-Id"


def profile_for_header(request: HttpRequest) -> Profile:
    """The JSON API's active profile named by the X-Profile-Id header: the household's own, or
    404; a missing or malformed header is a ValidationError (400)."""
    value = request.headers.get(PROFILE_HEADER, "")
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise ValidationError(f"The {PROFILE_HEADER} header must name one of your profiles by id.")
    return profile_for_request(request, int(value))
