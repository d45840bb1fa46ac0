"""One BLAS/OpenMP thread per server process.

Gunicorn's web workers and Celery's worker processes each run about a core's worth of work
under load. numpy's OpenBLAS would otherwise start a thread per core in every one of them, and
those threads spin while they wait for work: a re-score after a signal took 46-55 ms of CPU with
them and 19 ms without, for the same ranking (docs/benchmarks.md, "A sixth machine"). Commands
that run alone (`recompute_recs`, the offline evaluation) keep every core.

OpenBLAS reads the setting when numpy is first imported, so `one_thread_per_process` must run
before that; a value already given in the environment is kept.
"""

import os

THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def one_thread_per_process() -> None:
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, "1")
