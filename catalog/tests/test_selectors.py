import pytest

from catalog.models import MATURITY_LEVELS
from catalog.selectors import names_visible, titles_visible
from catalog.tests.factories import TitleFactory


@pytest.mark.django_db
def test_names_visible_keeps_the_titles_a_ceiling_allows_as_the_queryset_does():
    titles = [
        TitleFactory(title=f"Title {n}", year=1990 + n, certification=certification)
        for n, certification in enumerate(["G", "PG", "PG-13", "R", "NC-17", "TV-Y", "TV-MA"])
    ]
    TitleFactory(title="Not asked for", certification="G")
    asked = [t.pk for t in titles] + [10**9]  # and an id that names no title
    for ceiling in sorted(set(MATURITY_LEVELS.values())):
        expected = {
            pk: (name, year)
            for pk, name, year in titles_visible(ceiling=ceiling)
            .filter(pk__in=asked)
            .values_list("pk", "title", "year")
        }
        assert names_visible(asked, ceiling=ceiling) == expected
    assert names_visible(asked, ceiling=18)[titles[0].pk] == ("Title 0", 1990)
    assert len(names_visible(set(asked) | {titles[0].pk}, ceiling=18)) == len(titles)


@pytest.mark.django_db
def test_names_visible_of_no_titles_asks_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert names_visible([], ceiling=18) == {}


@pytest.mark.django_db
def test_titles_in_genres_finds_the_titles_tagged_with_any_of_them(django_assert_num_queries):
    from catalog.selectors import titles_in_genres
    from catalog.tests.factories import GenreFactory

    horror, comedy, drama = (GenreFactory(name=n) for n in ("Horror", "Comedy", "Drama"))
    both = TitleFactory(genres=[horror, comedy])
    funny = TitleFactory(genres=[comedy])
    sad = TitleFactory(genres=[drama])
    untagged = TitleFactory(genres=[])
    asked = [both.pk, funny.pk, sad.pk, untagged.pk]
    assert titles_in_genres(asked, {"horror"}) == {both.pk}
    assert titles_in_genres(asked, {"horror", "drama"}) == {both.pk, sad.pk}
    assert titles_in_genres([funny.pk], {"horror"}) == set()
    with django_assert_num_queries(0):
        assert titles_in_genres(asked, set()) == set() == titles_in_genres([], {"horror"})
