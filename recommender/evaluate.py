"""``python -m recommender.evaluate``: forwards to :mod:`recommender.offline.evaluate`."""

import sys

from recommender.offline.evaluate import main

if __name__ == "__main__":
    sys.exit(main())
