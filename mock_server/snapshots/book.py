"""The snapshots of one mock: snapshot files under ``<data dir>/snapshots/``.

A saved snapshot *is* its portable file (``NAME.snapshot.tar``): export serves it as is,
import checks a file whole before it takes a name here. Writes go to a ``.partial`` file
renamed into place, so a crash never leaves half a snapshot under a name; leftovers of a
crash (partial files, a half-unpacked restore) are swept when the book opens.
"""

from __future__ import annotations

import builtins
import fnmatch
import json
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from nemo_mock.mock_server.domain.errors import BadRequest, SnapshotExists, SnapshotNotFound
from nemo_mock.mock_server.media.children import LEFTOVER_PATTERNS
from nemo_mock.mock_server.snapshots import archive
from nemo_mock.mock_server.snapshots.archive import FOLDERS, Header, Manifest

SUFFIX = ".snapshot.tar"
PARTIAL = ".partial"
RESTORE_PREFIX = ".partial-restore-"
#: Written last into a restore's staging folder: from then on the restore is rolled forward
#: by the next start if the mock dies before it is committed (``Mock._opened``).
READY = "state.json"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def check_name(name: str) -> str:
    """``name`` if it can name a snapshot (it becomes a file name), else a 400 saying why."""
    if _NAME.fullmatch(name) and ".." not in name:
        return name
    shown = repr(name if len(name) <= 64 else name[:64] + "…")
    raise BadRequest(
        f"snapshot name {shown} is not usable: give 1-64 letters, digits, '_', '-' or '.', "
        "starting with a letter or digit, without '..'"
    )


@dataclass(frozen=True)
class Unpacked:
    """A snapshot unpacked beside the data dir, ready to be swapped in."""

    manifest: Manifest
    state: dict[str, Any]
    staging: Path


class SnapshotBook:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.folder = data_dir / "snapshots"
        self.folder.mkdir(parents=True, exist_ok=True)
        self._sweep()

    # -- names ------------------------------------------------------------------------
    def path(self, name: str) -> Path:
        found = self.folder / f"{check_name(name)}{SUFFIX}"
        if not found.is_file():
            known = ", ".join(m["name"] for m in self.list()) or "none"
            raise SnapshotNotFound(f"no snapshot {name!r} (snapshots now: {known})")
        return found

    def list(self) -> list[dict[str, Any]]:
        """Every snapshot's summary, oldest first."""
        found = []
        for path in sorted(self.folder.glob(f"*{SUFFIX}")):
            try:
                found.append(summary_of(path, archive.read_manifest(path)))
            except (BadRequest, OSError):
                continue  # a file someone put there by hand that is not a snapshot
        return sorted(found, key=lambda s: (s["created_at"], s["name"]))

    def summary(self, name: str) -> dict[str, Any]:
        path = self.path(name)
        return summary_of(path, archive.read_manifest(path))

    # -- writing ----------------------------------------------------------------------
    def save(self, header: Header, state: dict[str, Any]) -> dict[str, Any]:
        """Write a new snapshot of ``state`` and the data dir's files (409 if the name is
        taken)."""
        target = self._free(header.name)
        partial = target.with_name(target.name + PARTIAL)
        try:
            manifest = archive.write(partial, header, state, self.files())
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        return summary_of(target, manifest)

    def files(self) -> Iterator[Path]:
        """The data dir's files a snapshot carries: complete files of ``FOLDERS`` (never
        the partial ones a render or an upload is still writing)."""
        for folder in FOLDERS:
            for path in sorted((self.data_dir / folder).rglob("*")):
                if path.is_file() and not path.is_symlink() and not _partial(path.name):
                    yield path

    def import_file(self, source: Path, name: str | None) -> dict[str, Any]:
        """Check the snapshot file ``source`` whole, then keep a copy under ``name`` (or the
        name it was saved as)."""
        with source.open("rb") as stream:
            return self.import_stream(stream, name)

    def import_stream(self, source: IO[bytes], name: str | None) -> dict[str, Any]:
        if name is not None:
            self._free(name)  # refuse a taken or unusable name before reading anything
        partial = self.folder / f"{uuid.uuid4().hex}{PARTIAL}"
        try:
            with partial.open("wb") as out:
                shutil.copyfileobj(source, out, archive.CHUNK)
            manifest = archive.verify(partial)
            target = self._free(name or manifest.name)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        return summary_of(target, manifest)

    def delete(self, name: str) -> dict[str, Any]:
        path = self.path(name)
        summary = summary_of(path, archive.read_manifest(path))
        path.unlink(missing_ok=True)
        return summary

    # -- restoring --------------------------------------------------------------------
    def unpack(self, path: Path) -> Unpacked:
        """The snapshot's state, and its files written to a staging folder in the data dir
        (same file system: swapping them in is a rename)."""
        manifest, state = archive.read_state(path)
        staging = self.data_dir / f"{RESTORE_PREFIX}{uuid.uuid4().hex}"
        try:
            archive.extract_files(path, staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return Unpacked(manifest, state, staging)

    def prepare(self, staging: Path, state: dict[str, Any]) -> None:
        """Make the staging folder whole: a folder for each of ``FOLDERS`` (so a folder
        missing later means it was moved already), then ``state`` (as this data dir will
        hold it), written last and atomically: the swap can be finished by a restart."""
        for folder in FOLDERS:
            (staging / folder).mkdir(parents=True, exist_ok=True)
        partial = staging / f"{READY}{PARTIAL}"
        partial.write_text(json.dumps(state), encoding="utf-8")
        os.replace(partial, staging / READY)

    def swap_in(self, staging: Path) -> None:
        """Replace the data dir's folders with the unpacked ones; done again after a crash,
        it moves only what was not moved yet."""
        for folder in FOLDERS:
            staged = staging / folder
            if staged.is_dir():
                shutil.rmtree(self.data_dir / folder, ignore_errors=True)
                os.replace(staged, self.data_dir / folder)

    def finish(self, staging: Path) -> None:
        """The restore is committed (or abandoned): its staging folder goes."""
        shutil.rmtree(staging, ignore_errors=True)

    def pending(self) -> builtins.list[tuple[Path, dict[str, Any]]]:
        """Restores that were ready to swap in when the mock died: staging folder, state."""
        ready = sorted(p for p in self.data_dir.glob(f"{RESTORE_PREFIX}*") if (p / READY).is_file())
        return [(p, json.loads((p / READY).read_text(encoding="utf-8"))) for p in ready]

    # -- internals ----------------------------------------------------------------------
    def _free(self, name: str) -> Path:
        target = self.folder / f"{check_name(name)}{SUFFIX}"
        if target.exists():
            raise SnapshotExists(
                f"a snapshot named {name!r} exists: delete it first or choose another name"
            )
        return target

    def _sweep(self) -> None:
        for leftover in self.folder.glob(f"*{PARTIAL}"):
            leftover.unlink(missing_ok=True)
        for staging in self.data_dir.glob(f"{RESTORE_PREFIX}*"):
            if not (staging / READY).is_file():  # a ready one is finished at start
                shutil.rmtree(staging, ignore_errors=True)


def summary_of(path: Path, manifest: Manifest) -> dict[str, Any]:
    """A snapshot file's summary, named as it is kept (``NAME.snapshot.tar``)."""
    name = path.name.removesuffix(SUFFIX) if path.name.endswith(SUFFIX) else path.name
    return manifest.summary(name, path.stat().st_size)


def _partial(filename: str) -> bool:
    return any(fnmatch.fnmatch(filename, pattern) for pattern in LEFTOVER_PATTERNS)


def rebase(value: Any, old: str, new: str) -> Any:
    """``value`` with every string naming a path under ``old`` moved under ``new`` (the
    state names its files by absolute path; a snapshot is restored into another data dir)."""
    if isinstance(value, str):
        if value == old or value.startswith(old.rstrip("/") + "/"):
            return new.rstrip("/") + value[len(old.rstrip("/")) :]
        return value
    if isinstance(value, dict):
        return {key: rebase(item, old, new) for key, item in value.items()}
    if isinstance(value, list):
        return [rebase(item, old, new) for item in value]
    return value
