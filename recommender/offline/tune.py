"""The tuning script: what each method chooses on the validation split of one split and scale.

    python -m recommender.offline.tune --data ../shared/data/movielens/ml-latest-small \
        [--split 1|2|3|temporal] [--graded] [--models ease,rp3beta,...]

The choosing itself is `recommender.offline.tuning`, which `python -m recommender.evaluate`
runs for every split; this script shows one split's candidates and their validation nDCG@10.
"""

import argparse
import sys

from recommender.engine.registry import available
from recommender.offline.evaluate import prepare_split
from recommender.offline.movielens import load_movielens
from recommender.offline.tuning import GRIDS, tune


def main(argv=None) -> int:
    """Print what each method chooses on the validation split of one split and scale."""
    parser = argparse.ArgumentParser(description="validation-split tuning of every method")
    parser.add_argument("--data", required=True)
    parser.add_argument("--split", default="1", help="a seed, or 'temporal'")
    parser.add_argument("--graded", action="store_true", help="star ratings as confidences")
    parser.add_argument("--models", default=",".join(GRIDS))
    args = parser.parse_args(argv)
    data = load_movielens(args.data)
    validation, _ = prepare_split(data, args.split, args.graded)
    for name in args.models.split(","):
        if name not in available():
            continue
        best, log = tune(name, validation)
        scores = ", ".join(f"{c}: {s:.4f}" for c, s in log)
        print(f"{name}: chose {best}" + (f" ({scores})" if scores else ""), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
