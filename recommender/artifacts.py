"""The fitted engine on shared storage: published by recompute_recs, loaded by version in every
web process and task worker.

Publishing and reading go through Django's storage API, `STORAGES["artifacts"]`: local files in
MARQUEE_ARTIFACTS_DIR by default, S3-compatible storage (django-storages) when configured.

    {version}/engine.npz, {version}/mapping.npz     one folder per fit
    current                                         the live version's name, written last

A version's files are complete before `current` names it, so a reader never sees half a model
and an interrupted publish leaves the previous version in service. A process loads a version
from local files: the storage's own when it is local, otherwise a copy it downloads once into
MARQUEE_ARTIFACTS_DIR. Tasks are given the version to score with (`bundle_for_version`), so a
batch never switches model halfway through a night, whichever host runs it.
"""

import contextlib
import logging
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages

from recommender.engine import Engine

KEEP_VERSIONS = 2
FILES = ("engine.npz", "mapping.npz")
POINTER = "current"
# A remote pointer is read again at most this often per process (a page must not wait on S3).
REMOTE_POINTER_SECONDS = 30
log = logging.getLogger(__name__)
_lock = threading.Lock()
_loaded: dict[str, "Bundle"] = {}
_remote_pointer: dict[str, tuple[float, str | None]] = {}


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
    """This machine's artifacts folder: the storage itself by default, else the download cache
    (and, on SQLite, where the recompute lock files live)."""
    return Path(settings.MARQUEE_ARTIFACTS_DIR)


def artifact_storage() -> Storage:
    return storages["artifacts"]


def _local_path(storage: Storage, name: str) -> Path | None:
    """The file's own path when the storage is on this machine's file system, else None."""
    try:
        return Path(storage.path(name))
    except NotImplementedError:
        return None


def bundle_publish(bundle: Bundle) -> None:
    """Write a fitted model to the storage under its version, then make it the current one
    (and keep it loaded in this process)."""
    storage, version = artifact_storage(), bundle.version
    with tempfile.TemporaryDirectory(prefix="marquee-publish-") as staging:
        bundle.engine.save(Path(staging) / "engine.npz")
        with open(Path(staging) / "mapping.npz", "wb") as handle:
            np.savez(
                handle,
                title_ids=bundle.title_ids,
                title_names=np.asarray(bundle.title_names, dtype=str),
            )
        for name in FILES:
            target = f"{version}/{name}"
            storage.delete(target)  # a re-publish of the same version replaces it
            with open(Path(staging) / name, "rb") as handle:
                saved = storage.save(target, File(handle, name=name))
            if saved != target:
                raise OSError(f"the artifacts storage saved {target} as {saved}")
    with _lock:
        _remember(bundle)
    _pointer_write(storage, version)
    _remote_pointer.pop(storage_key(storage), None)
    _prune(storage, keep=version)


def _pointer_write(storage: Storage, version: str) -> None:
    local = _local_path(storage, POINTER)
    if local is None:  # object stores replace a key in one PUT
        storage.delete(POINTER)
        storage.save(POINTER, ContentFile(version.encode(), name=POINTER))
        return
    local.parent.mkdir(parents=True, exist_ok=True)
    tmp = local.with_name(f".{POINTER}.{os.getpid()}.tmp")
    tmp.write_text(version)
    tmp.replace(local)  # atomic: a reader sees the old name or the new one


def published_versions(storage: Storage | None = None) -> list[str]:
    """Every version folder on the storage, oldest first (names start with the fit's time)."""
    storage = storage or artifact_storage()
    try:
        folders, _ = storage.listdir("")
    except FileNotFoundError:
        return []
    return sorted(name for name in folders if not name.startswith("."))


def _prune(storage: Storage, *, keep: str) -> None:
    for old in published_versions(storage)[:-KEEP_VERSIONS]:
        if old == keep:
            continue
        for name in FILES:
            storage.delete(f"{old}/{name}")
        folder = _local_path(storage, old)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def storage_key(storage: Storage) -> str:
    return f"{type(storage).__name__}:{getattr(storage, 'location', '')}"


def current_version() -> str | None:
    """The published live version, or None before the first publish."""
    storage = artifact_storage()
    local = _local_path(storage, POINTER)
    if local is not None:
        try:
            return local.read_text().strip() or None
        except FileNotFoundError:
            return None
    key = storage_key(storage)
    read_at, version = _remote_pointer.get(key, (float("-inf"), None))
    if time.monotonic() - read_at < REMOTE_POINTER_SECONDS:
        return version
    try:
        with storage.open(POINTER) as handle:
            version = handle.read().decode().strip() or None
    except FileNotFoundError:
        version = None
    except Exception as error:  # storage unreachable: keep serving the version we know
        log.warning("artifacts storage unreachable (%s); keeping model %s", error, version)
    _remote_pointer[key] = (time.monotonic(), version)
    return version


def published_at(version: str) -> datetime | None:
    """When `version`'s files were written, or None when they are missing."""
    try:
        return artifact_storage().get_modified_time(f"{version}/mapping.npz")
    except (FileNotFoundError, OSError):
        return None


def bundle_current() -> Bundle | None:
    """The live model, loaded once per process and reloaded when a new version is published."""
    version = current_version()
    return None if version is None else bundle_for_version(version)


def bundle_for_version(version: str) -> Bundle | None:
    """That published version of the model, or None when it is missing or unreadable."""
    bundle = _loaded.get(version)
    if bundle is not None:
        return bundle
    with _lock:
        if version not in _loaded:
            try:
                folder = _local_folder(version)
                engine = Engine.load(folder / "engine.npz")
                with np.load(folder / "mapping.npz", allow_pickle=False) as mapping:
                    title_ids, names = mapping["title_ids"], mapping["title_names"]
            except (FileNotFoundError, ValueError, KeyError):
                return None  # pruned under us or unreadable: serve the fallback this time
            except Exception as error:  # a remote storage that fails: the same, said once
                log.warning("could not download model %s (%s)", version, error)
                return None
            _remember(Bundle(version, engine, title_ids, names))
        return _loaded[version]


def _remember(bundle: Bundle) -> None:
    """Keep a loaded model (under _lock): the live one and one a batch was given, at most."""
    while len(_loaded) >= KEEP_VERSIONS:
        _loaded.pop(next(iter(_loaded)))
    _loaded[bundle.version] = bundle


def _local_folder(version: str) -> Path:
    """A folder on this machine holding the version's files, downloaded when the storage is
    remote (into a temporary folder first, renamed when complete)."""
    storage = artifact_storage()
    local = _local_path(storage, version)
    if local is not None:
        return local
    cache = artifacts_dir()
    folder = cache / version
    if folder.is_dir():
        return folder
    cache.mkdir(parents=True, exist_ok=True)
    download = Path(tempfile.mkdtemp(prefix=f".{version}.", dir=cache))
    try:
        for name in FILES:
            with storage.open(f"{version}/{name}") as source, open(download / name, "wb") as out:
                shutil.copyfileobj(source, out, length=1 << 20)
        with contextlib.suppress(OSError):  # another process finished the same download first
            download.rename(folder)
    finally:
        shutil.rmtree(download, ignore_errors=True)
    for old in sorted(p for p in cache.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if old.name not in (version, *published_versions(storage)[-KEEP_VERSIONS:]):
            shutil.rmtree(old, ignore_errors=True)
    return folder


def process_cache_clear() -> None:
    """Forget the models and the remote pointer this process has read (tests)."""
    _loaded.clear()
    _remote_pointer.clear()
