"""What the API benchmarks share: the demo catalogue on the configured database, one household
per client (an adult profile with a demo community member's ratings) with a JWT access token,
and the latency summary."""

import json
import math

from harness import manage


def site_prepare(*, members: int = 200) -> None:
    """Migrate and load the demo catalogue and community (idempotent)."""
    manage("migrate", "--noinput")
    manage("load_demo", "--members", str(members), "-v0")


def households_create(count: int, *, prefix: str) -> list[dict]:
    """`count` households with one adult profile each (ratings copied from a demo community
    member), and an access token per household, minted directly (the benchmark measures the
    API, not password hashing)."""
    code = f"""
import json
from django.utils import timezone
from rest_framework_simplejwt.tokens import RefreshToken
from profiles.models import Account, Profile, Rating
from profiles.services import profile_create
members = list(Profile.objects.filter(household__is_synthetic=True).order_by("pk"))
out = []
for n in range({count}):
    email = f"{prefix}{{n}}@bench.marquee.local"
    account = Account.objects.filter(email=email).first()
    if account is None:
        account = Account.objects.create_user(email=email, password=None)
        profile = profile_create(household=account, name="Viewer")
        source = members[n % len(members)]
        Rating.objects.bulk_create(
            Rating(profile=profile, title_id=r.title_id, value=r.value, created_at=r.created_at)
            for r in source.ratings.all()
        )
        Profile.objects.filter(pk=profile.pk).update(onboarding_step=4, onboarded_at=timezone.now())
    profile = account.profiles.order_by("pk").first()
    out.append({{"profile_id": profile.pk,
                 "access": str(RefreshToken.for_user(account).access_token)}})
print(json.dumps(out))
"""
    return json.loads(manage("shell", "-c", code).strip().splitlines()[-1])


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1) of the values."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]
