"""import_movielens on tiny files the tests write themselves, in both layouts."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from catalog.models import Title
from profiles.models import Account, Profile, Rating

pytestmark = pytest.mark.django_db

CITY = '"City of Lost Children, The (Cité des enfants perdus, La) (1995)"'
MOVIES = f"""movieId,title,genres
1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy
2,"American President, The (1995)",Comedy|Drama|Romance
3,{CITY},Adventure|Drama|Fantasy|Mystery|Sci-Fi
4,Nameless Film,(no genres listed)
"""
RATINGS = """userId,movieId,rating,timestamp
1,1,4.0,964982703
1,2,3.5,964981247
2,1,5.0,964982224
2,3,0.5,964983815
"""
LINKS = """movieId,imdbId,tmdbId
1,0114709,862
2,0112346,9087
3,0112682,902
4,,
"""
TAGS = """userId,movieId,tag,timestamp
2,1,Pixar,1445714994
3,1,pixar,1445714996
3,1,toys,1445714996
"""


def write_csv_layout(root: Path, **overrides: str) -> Path:
    files = {"movies.csv": MOVIES, "ratings.csv": RATINGS, "links.csv": LINKS, "tags.csv": TAGS}
    files.update({name.replace("_", "."): text for name, text in overrides.items()})
    root.mkdir(exist_ok=True)
    for name, text in files.items():
        if text is not None:
            (root / name).write_text(text, encoding="utf-8")
    return root


def write_ml100k_layout(root: Path) -> Path:
    root.mkdir(exist_ok=True)
    flags = ["0"] * 19
    toy = flags.copy()
    toy[3] = toy[4] = toy[5] = "1"  # Animation, Children's, Comedy
    noir = flags.copy()
    noir[10] = "1"  # Film-Noir
    (root / "u.item").write_text(
        f"1|Toy Story (1995)|01-Jan-1995||http://us.imdb.com/M/title-exact?Toy%20Story%20(1995)|{'|'.join(toy)}\n"
        f"2|Third Man, The (1949)|01-Jan-1949||http://us.imdb.com/|{'|'.join(noir)}\n",
        encoding="latin-1",
    )
    (root / "u.data").write_text(
        "196\t1\t3\t881250949\n186\t2\t5\t891717742\n196\t2\t4\t881250950\n"
    )
    return root


def test_csv_layout_creates_titles_members_ratings_keywords_and_links(tmp_path):
    call_command("import_movielens", write_csv_layout(tmp_path / "ml"), verbosity=0)
    assert Title.objects.filter(movielens_id__isnull=False).count() == 4
    assert Profile.objects.filter(movielens_user_id__isnull=False).count() == 2
    assert Rating.objects.count() == 4
    toy = Title.objects.get(movielens_id=1)
    assert (toy.title, toy.year, toy.tmdb_id, toy.imdb_id) == ("Toy Story", 1995, 862, "tt0114709")
    assert sorted(g.name for g in toy.genres.all()) == [
        "Adventure",
        "Animation",
        "Comedy",
        "Family",
        "Fantasy",
    ]
    assert sorted(k.name for k in toy.keywords.all()) == ["pixar", "toys"]
    assert toy.vote_count == 2 and toy.vote_average == 9.0 and toy.popularity == 2
    city = Title.objects.get(movielens_id=3)
    assert (city.title, city.original_title) == (
        "The City of Lost Children",
        "La Cité des enfants perdus",
    )
    assert Title.objects.get(movielens_id=2).title == "The American President"
    assert Title.objects.get(movielens_id=4).year is None


def test_members_are_synthetic_and_cannot_log_in(tmp_path, client):
    call_command("import_movielens", write_csv_layout(tmp_path / "ml"), verbosity=0)
    member = Account.objects.get(profiles__movielens_user_id=1)
    assert member.is_synthetic and not member.is_active and not member.has_usable_password()
    response = client.post("/accounts/login/", {"username": member.email, "password": "x"})
    assert response.status_code == 400 and "_auth_user_id" not in client.session


def test_second_run_creates_nothing(tmp_path, capsys):
    root = write_csv_layout(tmp_path / "ml")
    call_command("import_movielens", root, verbosity=0)
    before = (Title.objects.count(), Account.objects.count(), Rating.objects.count())
    call_command("import_movielens", root, verbosity=0)
    assert (Title.objects.count(), Account.objects.count(), Rating.objects.count()) == before
    assert "(0 new" in capsys.readouterr().out


def test_ml100k_layout(tmp_path):
    call_command("import_movielens", write_ml100k_layout(tmp_path / "ml-100k"), verbosity=0)
    third_man = Title.objects.get(movielens_id=2)
    assert (third_man.title, third_man.year) == ("The Third Man", 1949)
    assert sorted(g.name for g in third_man.genres.all()) == ["Crime", "Mystery"]
    assert "film noir" in {k.name for k in third_man.keywords.all()}
    assert Rating.objects.count() == 3 and Profile.objects.count() == 2
    assert Rating.objects.get(profile__movielens_user_id=186).value == 5


def write_dat_layout(root: Path, ratings: str = "") -> Path:
    """The :: layout of ml-1m (latin-1 movies.dat) and ml-10m (tags.dat)."""
    root.mkdir(exist_ok=True)
    (root / "movies.dat").write_bytes(
        "1::Star Wars: Episode IV - A New Hope (1977)::Action|Adventure|Sci-Fi\n"
        "2::Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)::Comedy|Romance\n"
        "3::Toy Story (1995)::Animation|Children's|Comedy\n".encode("latin-1")
    )
    (root / "ratings.dat").write_text(
        ratings or "1::1::5::978300760\n1::2::4::978302109\n6040::3::3::956703932\n"
    )
    (root / "tags.dat").write_text("15::1::space opera: classic::1215184630\n")
    return root


def test_dat_layout_of_ml_1m_and_ml_10m(tmp_path):
    call_command("import_movielens", write_dat_layout(tmp_path / "ml-1m"), verbosity=0)
    star_wars = Title.objects.get(movielens_id=1)
    assert (star_wars.title, star_wars.year) == ("Star Wars: Episode IV - A New Hope", 1977)
    assert "space opera: classic" in {k.name for k in star_wars.keywords.all()}
    amelie = Title.objects.get(movielens_id=2)
    assert (amelie.title, amelie.original_title) == (
        "Amélie",
        "Le Fabuleux destin d'Amélie Poulain",
    )
    toy = Title.objects.get(movielens_id=3)
    assert "Family" in {g.name for g in toy.genres.all()}
    assert Rating.objects.count() == 3 and Profile.objects.count() == 2
    assert Rating.objects.get(profile__movielens_user_id=6040).value == 3


def test_dat_layout_bad_row_names_file_and_line(tmp_path):
    root = write_dat_layout(tmp_path / "bad", ratings="1::1::5::978300760\n1::2::five::978302109\n")
    with pytest.raises(CommandError, match=r"ratings.dat:2: rating 'five' is not a number"):
        call_command("import_movielens", root, verbosity=0)
    assert Title.objects.count() == 0 and Rating.objects.count() == 0
    (root / "ratings.dat").unlink()
    with pytest.raises(CommandError, match=r"needs ratings\.dat too"):
        call_command("import_movielens", root, verbosity=0)


def test_import_matches_an_existing_title_by_name_and_year(tmp_path):
    existing = Title.objects.create(
        title="Toy Story", slug="toy-story-1995", year=1995, certification="G"
    )
    call_command("import_movielens", write_csv_layout(tmp_path / "ml"), verbosity=0)
    existing.refresh_from_db()
    assert existing.movielens_id == 1
    assert Title.objects.filter(title="Toy Story").count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ratings_csv": None}, r"ratings\.csv: missing file"),
        ({"movies_csv": "id,name,genres\n1,X (2000),Drama\n"}, r"movies\.csv:1: wrong header"),
        ({"ratings_csv": RATINGS + "3,1,4.0\n"}, r"ratings\.csv:6: expected 4 fields"),
        (
            {"ratings_csv": RATINGS + "3,1,nine,964982703\n"},
            r"ratings\.csv:6: rating 'nine' is not a number",
        ),
        (
            {"ratings_csv": RATINGS + "3,1,7.0,964982703\n"},
            r"ratings\.csv:6: rating 7\.0 is not between",
        ),
        (
            {"ratings_csv": RATINGS + "x,1,4.0,964982703\n"},
            r"ratings\.csv:6: user id 'x' is not an integer",
        ),
        ({"ratings_csv": RATINGS + "3,99,4.0,964982703\n"}, r"ratings\.csv:6: unknown movie id 99"),
        (
            {"movies_csv": MOVIES + "5,Bad (2001),Drama|Polka\n"},
            r"movies\.csv:6: unknown MovieLens genre 'Polka'",
        ),
        ({"movies_csv": MOVIES + '6,"Unclosed (2001),Drama\n'}, r"movies\.csv:\d+: malformed CSV"),
        ({"links_csv": LINKS + "1,abc,862\n"}, r"links\.csv:6: IMDb id 'abc' is not a number"),
    ],
)
def test_bad_input_stops_with_file_and_line_and_imports_nothing(tmp_path, overrides, message):
    root = write_csv_layout(tmp_path / "ml", **overrides)
    with pytest.raises(CommandError, match=message):
        call_command("import_movielens", root, verbosity=0)
    assert (
        Title.objects.count() == 0 and Rating.objects.count() == 0 and Account.objects.count() == 0
    )


def test_failure_late_in_ratings_rolls_back_everything(tmp_path):
    root = write_csv_layout(
        tmp_path / "ml", ratings_csv=RATINGS + "9,2,4.0,964982703\n9,77,4.0,1\n"
    )
    with pytest.raises(CommandError, match=r"ratings\.csv:7: unknown movie id 77"):
        call_command("import_movielens", root, verbosity=0)
    assert (
        Title.objects.count() == 0 and Rating.objects.count() == 0 and Profile.objects.count() == 0
    )


def test_skip_bad_counts_and_skips_rows(tmp_path, capsys):
    ratings = RATINGS + "3,99,4.0,964982703\n3,1,nine,1\n3,2,2.0,964982703\n"
    call_command(
        "import_movielens",
        write_csv_layout(tmp_path / "ml", ratings_csv=ratings),
        skip_bad=True,
        verbosity=0,
    )
    assert Rating.objects.count() == 5
    captured = capsys.readouterr()
    assert "2 bad rows skipped" in captured.out
    assert "ratings.csv:6: unknown movie id 99" in captured.err


def test_missing_directory_and_unknown_layout(tmp_path):
    with pytest.raises(CommandError, match="no such directory"):
        call_command("import_movielens", tmp_path / "nowhere", verbosity=0)
    (tmp_path / "empty").mkdir()
    with pytest.raises(CommandError, match="no MovieLens files here"):
        call_command("import_movielens", tmp_path / "empty", verbosity=0)


ML_SMALL = Path(__file__).resolve().parents[3] / "shared" / "data" / "movielens" / "ml-latest-small"


@pytest.mark.movielens
@pytest.mark.skipif(
    not ML_SMALL.is_dir(), reason=f"MovieLens development copy not found at {ML_SMALL}"
)
def test_ml_latest_small_imports_in_full(capsys):
    call_command("import_movielens", ML_SMALL, skip_bad=True, verbosity=0)
    assert Title.objects.count() == 9742
    assert Profile.objects.count() == 610
    assert Rating.objects.count() == 100836


def test_a_nul_byte_in_a_title_stops_with_file_and_line_not_a_traceback(tmp_path):
    root = write_csv_layout(tmp_path / "ml", movies_csv=MOVIES + "5,Bad\x00Title (2001),Drama\n")
    with pytest.raises(CommandError, match=r"movies\.csv:6: NUL character"):
        call_command("import_movielens", root, verbosity=0)
    assert Title.objects.count() == 0


def test_non_utf8_bytes_are_reported_on_their_own_line(tmp_path):
    """The text-mode reader decoded ahead in 8 KB blocks and named an earlier line (#16)."""
    padding = "".join(f"{n},{n % 4 + 1},4.0,964982703\n" for n in range(3, 2003))
    root = write_csv_layout(tmp_path / "ml")
    (root / "ratings.csv").write_bytes(
        (RATINGS + padding).encode() + b"9,1,4.0,96498\xff2703\n"
    )  # header + 4 rows + 2000 rows: the bad byte is on line 2006
    with pytest.raises(CommandError, match=r"ratings\.csv:2006: not utf-8 text"):
        call_command("import_movielens", root, verbosity=0)
    assert Rating.objects.count() == 0


def test_an_import_leaves_the_query_planner_statistics(tmp_path):
    """After a bulk load the planner knows the tables' sizes (ANALYZE ran), rather than
    waiting for autovacuum, which may be off."""
    call_command("import_movielens", str(write_csv_layout(tmp_path / "ml")), verbosity=0)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'profiles_rating'")
            assert cursor.fetchone()[0] == Rating.objects.count()
        else:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'profiles_rating'")
            assert cursor.fetchone()[0].split()[0] == str(Rating.objects.count())
