import pytest
from django.db import IntegrityError

from catalog.models import MATURITY_LEVELS, Title
from catalog.tests.factories import CreditFactory, TitleFactory


@pytest.mark.django_db
@pytest.mark.parametrize(("certification", "level"), sorted(MATURITY_LEVELS.items()))
def test_maturity_level_is_derived_by_the_database(certification, level):
    title = TitleFactory(certification=certification)
    assert Title.objects.get(pk=title.pk).maturity_level == level


@pytest.mark.django_db
def test_bulk_created_titles_get_their_maturity_level_too():
    Title.objects.bulk_create(
        [Title(title="A", slug="a", certification="R"), Title(title="B", slug="b")]
    )
    assert dict(Title.objects.values_list("slug", "maturity_level")) == {"a": 17, "b": 18}


@pytest.mark.django_db
def test_tmdb_id_is_unique_within_a_kind_only():
    TitleFactory(kind="movie", tmdb_id=10)
    TitleFactory(kind="series", tmdb_id=10)
    with pytest.raises(IntegrityError):
        TitleFactory(kind="movie", tmdb_id=10)


@pytest.mark.django_db
def test_slug_and_movielens_id_are_unique():
    TitleFactory(slug="x", movielens_id=1)
    with pytest.raises(IntegrityError):
        TitleFactory(slug="y", movielens_id=1)


@pytest.mark.django_db
def test_a_person_holds_one_credit_per_role_per_title():
    credit = CreditFactory()
    CreditFactory(title=credit.title, person=credit.person, role="director")
    with pytest.raises(IntegrityError):
        CreditFactory(title=credit.title, person=credit.person, role="cast")


@pytest.mark.django_db
def test_title_string_and_url():
    title = TitleFactory(title="Heat", year=1995)
    assert str(title) == "Heat (1995)"
    assert title.get_absolute_url() == "/title/heat-1995/"
