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
