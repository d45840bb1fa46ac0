"""A fake TMDB on loopback for tests and benchmarks: see server.py."""
