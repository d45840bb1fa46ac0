"""What the audience mix reads from the pages it is served and types into search, shared by
bench/locustfile.py (over HTTP) and bench/profile_mix.py (in one process)."""

import re

LAZY_RAIL = re.compile(r'hx-get="(/rails/[-\w]+/)"')
LAZY_CAROUSELS = re.compile(r'hx-get="(/title/[-\w]+/similar/)"')  # a title page's carousels
TITLE_LINK = re.compile(r'href="/title/([-\w]+)/')
WORDS = ["love", "night", "war", "star", "girl", "man", "city", "dead", "life", "story", "king"]
