"""TMDB answers for every title of a MovieLens copy that has a tmdbId in links.csv, made up
on demand for the fake server: the title, year and genres come from movies.csv; the runtime,
certification, people, keywords and overview are invented (deterministic per id). One id in
fifty gets no answer (404), as some links point at titles TMDB has since removed."""

from pathlib import Path

from catalog.importers.movielens_files import read_links, read_movies

# Our genres back to TMDB's movie genres (name, id), for the generated answers.
TMDB_GENRES = {
    "Action": 28, "Adventure": 12, "Animation": 16, "Comedy": 35, "Crime": 80,
    "Documentary": 99, "Drama": 18, "Family": 10751, "Fantasy": 14, "History": 36,
    "Horror": 27, "Music": 10402, "Mystery": 9648, "Romance": 10749,
    "Science Fiction": 878, "Thriller": 53, "War": 10752, "Western": 37,
}  # fmt: skip
CERTIFICATIONS = ["G", "PG", "PG-13", "R", "NC-17", ""]
MISSING_EVERY = 50


def movielens_factory(root: Path):
    """(factory for FakeTMDB.movie_factory, TMDB ids with a link, ids answered)."""
    movies = read_movies(root, "csv", lambda error: None)
    links = read_links(root, lambda error: None)
    by_tmdb = {}
    for movielens_id, (imdb, tmdb_id) in links.items():
        if tmdb_id and movielens_id in movies:
            by_tmdb[tmdb_id] = (movies[movielens_id], imdb)

    def factory(tmdb_id: int) -> dict | None:
        if tmdb_id not in by_tmdb or tmdb_id % MISSING_EVERY == 0:
            return None
        movie, imdb = by_tmdb[tmdb_id]
        year = movie.year or 2000
        cert = CERTIFICATIONS[tmdb_id % len(CERTIFICATIONS)]
        people = [5_000_000 + (tmdb_id * 7 + k * 13) % 4000 for k in range(4)]
        release = {"certification": cert, "type": 3, "iso_639_1": "", "note": "",
                   "release_date": f"{year:04d}-01-01T00:00:00.000Z"}  # fmt: skip
        director = {"id": people[3] + 10_000, "name": f"Fixture Director {people[3]}",
                    "job": "Director", "department": "Directing"}  # fmt: skip
        return {
            "id": tmdb_id,
            "title": movie.title,
            "original_title": movie.original_title or movie.title,
            "release_date": f"{year:04d}-0{1 + tmdb_id % 9}-1{tmdb_id % 9}",
            "runtime": 75 + tmdb_id % 90,
            "overview": f"Fixture overview number {tmdb_id}, written for the benchmark.",
            "tagline": "",
            "original_language": "en",
            "popularity": round(100 / (1 + tmdb_id % 500), 3),
            "vote_average": round(4 + (tmdb_id % 60) / 10, 1),
            "vote_count": tmdb_id % 5000,
            "poster_path": f"/ml{tmdb_id}.jpg",
            "backdrop_path": f"/mlb{tmdb_id}.jpg" if tmdb_id % 3 else None,
            "imdb_id": imdb,
            "genres": [{"id": TMDB_GENRES[g], "name": g} for g in movie.genres],
            "release_dates": {"results": [{"iso_3166_1": "US", "release_dates": [release]}]},
            "credits": {
                "cast": [
                    {"id": p, "name": f"Fixture Actor {p}", "character": f"Part {k}", "order": k}
                    for k, p in enumerate(people[:3])
                ],
                "crew": [director],
            },
            "keywords": {"keywords": [{"id": 600 + tmdb_id % 40, "name": f"theme {tmdb_id % 40}"}]},
        }

    answered = {i for i in by_tmdb if i % MISSING_EVERY}
    return factory, set(by_tmdb), answered
