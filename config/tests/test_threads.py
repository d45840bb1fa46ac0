"""Server processes run numpy on one BLAS thread each (config/threads.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.threads import THREAD_VARIABLES

ROOT = Path(__file__).resolve().parents[2]
BLAS_THREADS = """
{first}
import numpy
from threadpoolctl import threadpool_info
print(max(pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"))
"""


def _blas_threads(first: str, tmp_path, **given) -> int:
    """The BLAS threads of a fresh interpreter that imports `first` before anything else."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", *THREAD_VARIABLES)
    }
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings", "MARQUEE_VAR_DIR": str(tmp_path)}
    env |= given
    done = subprocess.run(
        [sys.executable, "-c", BLAS_THREADS.format(first=first)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


@pytest.mark.parametrize(
    "first", ["import config.wsgi", "import config.celery"], ids=["web worker", "celery worker"]
)
def test_a_server_process_runs_numpy_on_one_blas_thread(first, tmp_path):
    assert _blas_threads(first, tmp_path) == 1


def test_a_thread_count_given_in_the_environment_is_kept(tmp_path):
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: OpenBLAS starts one thread whatever is asked")
    assert _blas_threads("import config.wsgi", tmp_path, OPENBLAS_NUM_THREADS="2") == 2


def test_numpy_alone_would_start_a_thread_per_core(tmp_path):
    """What the setting prevents: without it, OpenBLAS takes every core in each process."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: OpenBLAS starts one thread whatever is asked")
    assert _blas_threads("", tmp_path) > 1
