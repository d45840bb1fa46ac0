"""The fitted engine on disk, shared by recompute_recs (writer) and web processes (readers).

Each fit is saved under its own version folder (engine.npz + mapping.npz); a small `current`
file names the live version and is replaced atomically, so a reader never sees half a model and
an interrupted fit leaves the previous one in service.
"""

import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings

from recommender.engine import Engine

KEEP_VERSIONS = 2
_lock = threading.Lock()
_loaded: dict[str, "Bundle"] = {}


@dataclass
class Bundle:
    version: str
    engine: Engine
    title_ids: np.ndarray  # column -> Title.pk, sorted
    title_names: np.ndarray  # column -> title name, for explanations

    def columns_of(self, title_ids) -> np.ndarray:
        """Columns of the given title pks; -1 for titles the model has not seen."""
        title_ids = np.asarray(list(title_ids), dtype=np.int64)
        positions = np.searchsorted(self.title_ids, title_ids)
        clipped = np.minimum(positions, max(len(self.title_ids) - 1, 0))
        found = (positions < len(self.title_ids)) & (self.title_ids[clipped] == title_ids)
        return np.where(found, positions, -1)


def artifacts_dir() -> Path:
    return Path(settings.MARQUEE_ARTIFACTS_DIR)


def bundle_save(
    *, engine: Engine, title_ids: np.ndarray, title_names: np.ndarray, version: str
) -> Path:
    root = artifacts_dir()
    folder = root / version
    tmp = root / f".{version}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    engine.save(tmp / "engine.npz")
    with open(tmp / "mapping.npz", "wb") as handle:
        np.savez(handle, title_ids=title_ids, title_names=np.asarray(title_names, dtype=str))
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    pointer = root / f".current.{os.getpid()}.tmp"
    pointer.write_text(version)
    pointer.replace(root / "current")
    _prune(root, keep=version)
    return folder


def _prune(root: Path, *, keep: str) -> None:
    versions = sorted(
        (p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
    )
    for old in versions[:-KEEP_VERSIONS]:
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)


def current_version() -> str | None:
    try:
        return (artifacts_dir() / "current").read_text().strip() or None
    except FileNotFoundError:
        return None


def bundle_current() -> Bundle | None:
    """The live model, loaded once per process and reloaded when a new version appears."""
    version = current_version()
    if version is None:
        return None
    bundle = _loaded.get(version)
    if bundle is not None:
        return bundle
    with _lock:
        if version not in _loaded:
            folder = artifacts_dir() / version
            try:
                engine = Engine.load(folder / "engine.npz")
                with np.load(folder / "mapping.npz", allow_pickle=False) as mapping:
                    title_ids, names = mapping["title_ids"], mapping["title_names"]
            except (FileNotFoundError, ValueError, KeyError):
                return None  # pruned under us or unreadable: serve the fallback this time
            _loaded.clear()
            _loaded[version] = Bundle(version, engine, title_ids, names)
        return _loaded[version]
