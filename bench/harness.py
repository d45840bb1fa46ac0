"""What the page benchmarks share: running manage.py against the configured database, and a
free loopback port for the server under test."""

import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "movielens" / "ml-latest-small"


def manage(*args: str) -> str:
    """Run a management command; exit with its error output when it fails."""
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
