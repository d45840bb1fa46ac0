from catalog.models import MATURITY_LEVELS, Certification
from profiles.models import KIDS_DEFAULT_CEILING


def test_every_kids_certification_is_at_or_below_the_kids_default_ceiling():
    for cert in ("G", "PG", "TV-Y", "TV-Y7", "TV-G"):
        assert MATURITY_LEVELS[cert] <= KIDS_DEFAULT_CEILING
    for cert in ("PG-13", "R", "NC-17", "TV-PG", "TV-14", "TV-MA", "NR"):
        assert MATURITY_LEVELS[cert] > KIDS_DEFAULT_CEILING
    assert set(MATURITY_LEVELS) == set(Certification.values)
