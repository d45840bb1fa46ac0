"""import_tmdb --movielens on ml-latest-small, against the fake TMDB with generated answers."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from catalog.models import Kind, Title
from catalog.tests.tmdb_fake.movielens import movielens_factory
from catalog.tests.tmdb_fake.server import FAKE_KEY, FakeTMDB

pytestmark = pytest.mark.django_db(transaction=False)
ML_SMALL = Path(__file__).resolve().parents[3] / "shared" / "data" / "movielens" / "ml-latest-small"


@pytest.mark.movielens
@pytest.mark.skipif(
    not ML_SMALL.is_dir(), reason=f"MovieLens development copy not found at {ML_SMALL}"
)
def test_movielens_titles_with_a_tmdb_id_are_enriched(settings, tmp_path):
    # The titles and links only: enrichment does not read ratings, and they cost a minute.
    for name in ("movies.csv", "links.csv"):
        shutil.copy(ML_SMALL / name, tmp_path / name)
    (tmp_path / "ratings.csv").write_text("userId,movieId,rating,timestamp\n")
    call_command("import_movielens", tmp_path, skip_bad=True, verbosity=0)
    server = FakeTMDB()
    server.movies.clear()  # every answer generated, none from the hand-written catalogue
    server.movie_factory, _, answered = movielens_factory(ML_SMALL)
    settings.TMDB_API_KEY = FAKE_KEY
    settings.TMDB_BASE_URL = server.start()
    settings.TMDB_RATE_LIMIT = 2000  # the default rate's timing is bench/tmdb_movielens.py's job
    try:
        out = StringIO()
        call_command("import_tmdb", "--movielens", stdout=out, stderr=StringIO(), verbosity=0)
    finally:
        server.stop()
    with_id = Title.objects.filter(
        kind=Kind.MOVIE, movielens_id__isnull=False, tmdb_id__isnull=False
    )
    enriched = with_id.exclude(overview="").count()
    assert with_id.count() > 9000
    assert enriched == with_id.filter(tmdb_id__in=answered).count()
    assert enriched / with_id.count() >= 0.95
    assert f"{enriched:,} updated" in out.getvalue()
    assert with_id.exclude(poster_url="").count() == enriched
    assert with_id.filter(certification="PG").count() > 1000
