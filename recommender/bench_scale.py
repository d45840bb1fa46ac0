"""``python -m recommender.bench_scale``: forwards to :mod:`recommender.offline.bench_scale`."""

import sys

from recommender.offline.bench_scale import main

if __name__ == "__main__":
    sys.exit(main())
