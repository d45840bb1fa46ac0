"""How the JSON API writes a title. Which titles a viewer may receive is decided before
(profiles.selectors.titles_for_profile and the rails' readers); these only describe them."""

from rest_framework import serializers

from catalog.models import Certification, Kind


class TitleSerializer(serializers.Serializer):
    """A title as a tile shows it. Genres need `prefetch_related("genres")` on the queryset."""

    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    year = serializers.IntegerField(read_only=True, allow_null=True)
    runtime = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Minutes; for a series, a typical episode."
    )
    certification = serializers.ChoiceField(choices=Certification.choices, read_only=True)
    genres = serializers.SerializerMethodField()
    poster = serializers.CharField(source="poster_src", read_only=True)

    def get_genres(self, title) -> list[str]:
        return [genre.name for genre in title.genres.all()]


class CreditSerializer(serializers.Serializer):
    person = serializers.CharField(source="person.name", read_only=True)
    person_slug = serializers.SlugField(source="person.slug", read_only=True)
    role = serializers.CharField(read_only=True)
    character = serializers.CharField(read_only=True)


class TitleDetailSerializer(TitleSerializer):
    """A title page's facts. Needs `catalog.selectors.title_detail`'s prefetches."""

    original_title = serializers.CharField(read_only=True)
    release_date = serializers.DateField(read_only=True, allow_null=True)
    seasons = serializers.IntegerField(read_only=True, allow_null=True)
    overview = serializers.CharField(read_only=True)
    tagline = serializers.CharField(read_only=True)
    original_language = serializers.CharField(read_only=True)
    vote_average = serializers.FloatField(read_only=True)
    vote_count = serializers.IntegerField(read_only=True)
    keywords = serializers.SerializerMethodField()
    credits = CreditSerializer(many=True, read_only=True)

    def get_keywords(self, title) -> list[str]:
        return [keyword.name for keyword in title.keywords.all()]
