"""The catalogue: titles (movies and series), genres, people, credits and keywords."""

import functools
import hashlib

from django.db import models
from django.db.models import Case, Value, When
from django.urls import get_script_prefix, reverse

SLUG_MARK = "__slug__"


@functools.cache
def _slug_url_pattern(name: str, prefix: str) -> str:
    # The script prefix is a parameter so that each prefix gets its own cached pattern.
    return reverse(name, args=[SLUG_MARK])


def slug_url(name: str, slug: str) -> str:
    """reverse(name, args=[slug]) for URLs that take one slug, without resolving the pattern
    each time: a page of tiles builds four of these per title."""
    return _slug_url_pattern(name, get_script_prefix()).replace(SLUG_MARK, slug, 1)


class Kind(models.TextChoices):
    MOVIE = "movie", "Movie"
    SERIES = "series", "Series"


class Certification(models.TextChoices):
    G = "G", "G"
    PG = "PG", "PG"
    PG_13 = "PG-13", "PG-13"
    R = "R", "R"
    NC_17 = "NC-17", "NC-17"
    TV_Y = "TV-Y", "TV-Y"
    TV_Y7 = "TV-Y7", "TV-Y7"
    TV_G = "TV-G", "TV-G"
    TV_PG = "TV-PG", "TV-PG"
    TV_14 = "TV-14", "TV-14"
    TV_MA = "TV-MA", "TV-MA"
    NR = "NR", "Not rated"


# The age a certification is meant for, on one scale for film and TV. Unrated titles count as
# adult-only so that a kids profile never sees something nobody has vetted.
MATURITY_LEVELS: dict[str, int] = {
    Certification.G: 0,
    Certification.TV_Y: 0,
    Certification.TV_G: 3,
    Certification.PG: 7,
    Certification.TV_Y7: 7,
    Certification.TV_PG: 10,
    Certification.PG_13: 13,
    Certification.TV_14: 14,
    Certification.R: 17,
    Certification.TV_MA: 17,
    Certification.NC_17: 18,
    Certification.NR: 18,
}
KIDS_CERTIFICATIONS = ("G", "PG", "TV-Y", "TV-Y7", "TV-G")
MAX_MATURITY = 18


def _maturity_expression() -> Case:
    return Case(
        *(When(certification=cert, then=Value(level)) for cert, level in MATURITY_LEVELS.items()),
        default=Value(MAX_MATURITY),
    )


class Genre(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Keyword(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    name = models.CharField(max_length=200, db_index=True)
    slug = models.SlugField(max_length=220, unique=True)
    tmdb_id = models.PositiveIntegerField(unique=True, null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name


class Title(models.Model):
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.MOVIE)
    title = models.CharField(max_length=300)
    original_title = models.CharField(max_length=300, blank=True)
    slug = models.SlugField(max_length=320, unique=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    release_date = models.DateField(null=True, blank=True)
    runtime = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Minutes; for a series, a typical episode."
    )
    seasons = models.PositiveSmallIntegerField(null=True, blank=True)
    overview = models.TextField(blank=True)
    tagline = models.CharField(max_length=300, blank=True)
    original_language = models.CharField(max_length=8, blank=True, help_text="ISO 639-1")
    certification = models.CharField(
        max_length=5, choices=Certification.choices, default=Certification.NR
    )
    # Derived by the database from the certification, so bulk imports can never get it wrong.
    maturity_level = models.GeneratedField(
        expression=_maturity_expression(),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    popularity = models.FloatField(default=0.0)
    vote_average = models.FloatField(default=0.0, help_text="0-10")
    vote_count = models.PositiveIntegerField(default=0)
    poster_url = models.URLField(max_length=500, blank=True)
    backdrop_url = models.URLField(max_length=500, blank=True)
    tmdb_id = models.PositiveIntegerField(null=True, blank=True)
    imdb_id = models.CharField(max_length=12, blank=True)
    movielens_id = models.PositiveIntegerField(unique=True, null=True, blank=True)
    genres = models.ManyToManyField(Genre, related_name="titles", blank=True)
    keywords = models.ManyToManyField(Keyword, related_name="titles", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-popularity", "title"]
        constraints = [
            # TMDB numbers movies and TV shows separately, so an id is unique within a kind.
            models.UniqueConstraint(
                fields=["kind", "tmdb_id"],
                condition=models.Q(tmdb_id__isnull=False),
                name="title_unique_tmdb_id_per_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(vote_average__gte=0, vote_average__lte=10),
                name="title_vote_average_0_10",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "-popularity"], name="title_kind_popularity"),
            models.Index(
                fields=["maturity_level", "-popularity"], name="title_maturity_popularity"
            ),
            models.Index(fields=["-popularity"], name="title_popularity"),
            models.Index(fields=["year"], name="title_year"),
            models.Index(fields=["-release_date"], name="title_release_date"),
            models.Index(fields=["original_language"], name="title_language"),
            models.Index(fields=["runtime"], name="title_runtime"),
            models.Index(fields=["imdb_id"], name="title_imdb_id"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title

    def get_absolute_url(self) -> str:
        return slug_url("recommender:title", self.slug)

    @property
    def poster_src(self) -> str:
        """The poster to show: the imported image, else our generated SVG."""
        if self.poster_url:
            return self.poster_url
        return f"{slug_url('catalog:poster', self.slug)}?v={self.poster_version}"

    @property
    def poster_version(self) -> str:
        # The generated poster depends only on these fields; a change gives a new cache key.
        genres = ",".join(g.name for g in self.genres.all())
        raw = f"{self.title}|{self.year}|{self.kind}|{genres}".encode()
        return hashlib.blake2b(raw, digest_size=6).hexdigest()

    @property
    def playback_seconds(self) -> int:
        """The length the player uses: the runtime, or 90 minutes when unknown."""
        return (self.runtime or 90) * 60

    @property
    def is_kids_friendly(self) -> bool:
        return self.certification in KIDS_CERTIFICATIONS


class Credit(models.Model):
    class Role(models.TextChoices):
        CAST = "cast", "Cast"
        DIRECTOR = "director", "Director"
        CREATOR = "creator", "Creator"
        WRITER = "writer", "Writer"

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="credits")
    role = models.CharField(max_length=8, choices=Role.choices)
    character = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0, help_text="Billing order")

    class Meta:
        ordering = ["title", "role", "order"]
        constraints = [
            models.UniqueConstraint(fields=["title", "person", "role"], name="credit_unique_role")
        ]
        indexes = [models.Index(fields=["person", "role"], name="credit_person_role")]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} in {self.title}"


class TMDBSyncCheckpoint(models.Model):
    """How far the nightly TMDB sync has read TMDB's change lists, one row per kind.

    A model of its own (not a key-value row elsewhere) so the checkpoint is written in the same
    transaction as the titles of each batch: after a crash, the titles and the checkpoint agree.
    """

    kind = models.CharField(max_length=6, choices=Kind.choices, unique=True)
    synced_until = models.DateField(help_text="Change lists are read up to this day.")
    window_end = models.DateField(null=True, blank=True, help_text="The window being worked on.")
    last_tmdb_id = models.PositiveIntegerField(
        null=True, blank=True, help_text="In that window, titles up to this id are done."
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"TMDB {self.kind} changes synced until {self.synced_until}"
