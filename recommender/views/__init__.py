"""The viewer's pages, one module per page: home.py (home and its rail fragments), title.py
(a title's page) and search.py."""
