"""TMDB: a gateway around tmdbv3api (gateway.py), the mapping of its answers onto our catalogue
(mapping.py), the writes (store.py), and the import and nightly sync built on them."""
