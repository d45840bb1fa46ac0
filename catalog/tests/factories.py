import factory
from django.utils.text import slugify

from catalog.models import Credit, Genre, Kind, Person, Title


class GenreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Genre
        django_get_or_create = ("name",)

    name = factory.Iterator(["Drama", "Comedy", "Science Fiction", "Family", "Horror"])
    slug = factory.LazyAttribute(lambda genre: slugify(genre.name))


class TitleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Title
        skip_postgeneration_save = True

    kind = Kind.MOVIE
    title = factory.Sequence(lambda n: f"Title {n}")
    slug = factory.LazyAttribute(lambda t: slugify(f"{t.title} {t.year}"))
    year = 2001
    runtime = 100
    certification = "PG-13"
    original_language = "en"

    @factory.post_generation
    def genres(self, create, extracted, **kwargs):
        if create and extracted:
            self.genres.set(extracted)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.LazyAttribute(lambda p: slugify(p.name))


class CreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credit

    title = factory.SubFactory(TitleFactory)
    person = factory.SubFactory(PersonFactory)
    role = Credit.Role.CAST


def search_catalogue() -> dict[str, Title]:
    """Five titles across genres, decades, kinds and certifications; Tom Hanks in two.
    Shared by the search tests (catalog) and the search page tests (recommender)."""
    drama, crime, family = (GenreFactory(name=n) for n in ("Drama", "Crime", "Family"))
    godfather = TitleFactory(title="The Godfather", year=1972, runtime=175, certification="R",
                             genres=[crime, drama], popularity=90)  # fmt: skip
    TitleFactory(title="Thanksgiving", year=2023, runtime=106, certification="R", genres=[drama])
    big = TitleFactory(
        title="Big", year=1988, runtime=104, certification="PG", genres=[family], popularity=50
    )
    toy = TitleFactory(title="Toy Story", year=1995, runtime=81, kind="movie", certification="G",
                       genres=[family], popularity=80, original_language="en")  # fmt: skip
    TitleFactory(title="Dark", year=2017, runtime=60, kind="series", certification="TV-MA",
                 genres=[drama, crime], original_language="de", popularity=70)  # fmt: skip
    hanks = PersonFactory(name="Tom Hanks")
    for title in (big, toy):
        CreditFactory(title=title, person=hanks)
    return {"godfather": godfather, "big": big, "toy": toy}
