"""The snapshot file: one portable tar holding a mock's state and its files.

Layout (uncompressed tar: media is compressed already, and a plain tar lists fast)::

    files/<folder>/<path>      every upload, generated clip and render output, as stored
    state.json                 the runtime's state document (``Mock.export_state``), as is
    manifest.json              written last: format, version, what made it, and the size and
                               SHA-256 of state.json and of every file

Reading never trusts the file: the manifest must name the format and a version this mock
reads (a newer one is refused naming both versions), every member must be a regular file
the manifest lists under a known folder (no absolute paths, no ``..``, no links), and every
byte read must match the manifest's SHA-256. Files are written by this module only, one by
one under a destination folder; nothing is ever extracted by the tar library itself.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from nemo_mock.mock_server.domain.errors import InvalidSnapshot
from nemo_mock.mock_server.domain.validation import describe_errors

FORMAT = "nemo-mock-snapshot"
#: The version this mock writes, and the newest it reads.
VERSION = 1
MANIFEST = "manifest.json"
STATE = "state.json"
FILES = "files/"
#: The data dir's folders a snapshot carries (the generated music library is rebuilt).
FOLDERS = ("uploads", "generated", "renders")
MAX_FILES = 100_000
MAX_STATE_BYTES = 512 * 1024 * 1024
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
CHUNK = 1024 * 1024


class FileEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    path: str = Field(min_length=1, max_length=1024)
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Manifest(BaseModel):
    """What a snapshot is; ``data_dir`` is where its files lived, so that paths in the
    state can be moved to the data dir it is restored into."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    format: str
    version: int
    name: str = Field(min_length=1, max_length=64)
    created_at: str
    mock_version: str
    seed: int
    data_dir: str
    state_size: int = Field(ge=0)
    state_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    files: tuple[FileEntry, ...] = ()

    def summary(self, name: str, size: int) -> dict[str, Any]:
        """The JSON the control API and the CLI show for a snapshot kept as ``name``."""
        return {
            "name": name,
            "saved_as": self.name,
            "created_at": self.created_at,
            "mock_version": self.mock_version,
            "format_version": self.version,
            "seed": self.seed,
            "files": len(self.files),
            "file_bytes": sum(f.size for f in self.files),
            "size": size,
        }


@dataclass(frozen=True)
class Header:
    """Who writes a snapshot: the fields of its manifest that are not measured."""

    name: str
    created_at: str
    mock_version: str
    seed: int
    data_dir: str


def write(dest: Path, header: Header, state: dict[str, Any], files: Iterable[Path]) -> Manifest:
    """Write the snapshot file at ``dest``: each file (under ``header.data_dir``), hashed as
    it is copied, then the state, then the manifest."""
    root = Path(header.data_dir)
    entries: list[FileEntry] = []
    state_bytes = json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode()
    with tarfile.open(dest, "w", format=tarfile.PAX_FORMAT) as tar:
        for path in files:
            relative = path.relative_to(root).as_posix()
            with path.open("rb") as source:
                size = path.stat().st_size
                hashing = _Hashing(source)
                tar.addfile(_info(FILES + relative, size), hashing)
            entries.append(FileEntry(path=relative, size=size, sha256=hashing.hexdigest()))
        tar.addfile(_info(STATE, len(state_bytes)), io.BytesIO(state_bytes))
        manifest = Manifest(
            format=FORMAT,
            version=VERSION,
            **header.__dict__,
            state_size=len(state_bytes),
            state_sha256=hashlib.sha256(state_bytes).hexdigest(),
            files=tuple(entries),
        )
        text = manifest.model_dump_json(indent=2).encode()
        tar.addfile(_info(MANIFEST, len(text)), io.BytesIO(text))
    return manifest


def read_manifest(path: Path) -> Manifest:
    """The manifest of a snapshot file, checked (format, version, file paths)."""
    with _open(path) as tar:
        return _manifest(tar)


def read_state(path: Path) -> tuple[Manifest, dict[str, Any]]:
    """The manifest and the state document, its SHA-256 checked."""
    with _open(path) as tar:
        manifest = _manifest(tar)
        data = _member_bytes(tar, STATE, MAX_STATE_BYTES)
    if len(data) != manifest.state_size or _sha(data) != manifest.state_sha256:
        raise InvalidSnapshot(f"{path.name}: state.json does not match its manifest (damaged)")
    try:
        state = json.loads(data)
    except ValueError as exc:
        raise InvalidSnapshot(f"{path.name}: state.json is not JSON ({exc})") from None
    if not isinstance(state, dict):
        raise InvalidSnapshot(f"{path.name}: state.json is not a JSON object")
    return manifest, state


def extract_files(path: Path, dest: Path) -> int:
    """Write every file of the snapshot under ``dest`` (checking each against the manifest);
    the number of bytes written."""
    written = 0
    with _open(path) as tar:
        manifest = _manifest(tar)
        for entry in manifest.files:
            target = dest.joinpath(*PurePosixPath(entry.path).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            written += _copy_checked(tar, entry, target)
    return written


def verify(path: Path) -> Manifest:
    """Read the whole file once: the manifest, the state and every file's bytes match."""
    manifest, _ = read_state(path)
    with _open(path) as tar:
        for entry in manifest.files:
            _copy_checked(tar, entry, None)
    return manifest


# ---------------------------------------------------------------------------- reading


@contextmanager
def _open(path: Path) -> Iterator[tarfile.TarFile]:
    try:
        tar = tarfile.open(path, "r:")  # noqa: SIM115 (closed below, after the caller's use)
    except (tarfile.TarError, OSError) as exc:
        problem = f"{path.name}: not a snapshot file (not a tar archive: {exc})"
        raise InvalidSnapshot(problem) from None
    try:
        yield tar
    except tarfile.TarError as exc:
        raise InvalidSnapshot(f"{path.name}: damaged snapshot file ({exc})") from None
    finally:
        tar.close()


def _manifest(tar: tarfile.TarFile) -> Manifest:
    document = _json_object(_member_bytes(tar, MANIFEST, MAX_MANIFEST_BYTES), MANIFEST)
    if document.get("format") != FORMAT:
        raise InvalidSnapshot(
            f"not a nemo-mock snapshot (manifest format {document.get('format')!r})"
        )
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidSnapshot(f"snapshot format version {version!r} is not a version")
    if version > VERSION:
        raise InvalidSnapshot(
            f"snapshot format version {version} is newer than this nemo-mock reads "
            f"(up to {VERSION}): upgrade nemo-mock to load it"
        )
    try:
        manifest = Manifest.model_validate(document)
    except ValidationError as exc:
        raise InvalidSnapshot(f"manifest.json: {describe_errors(exc.errors())}") from None
    _check_files(manifest, tar)
    return manifest


def _check_files(manifest: Manifest, tar: tarfile.TarFile) -> None:
    if len(manifest.files) > MAX_FILES:
        raise InvalidSnapshot(f"{len(manifest.files)} files: at most {MAX_FILES}")
    listed = {FILES + _safe(entry.path) for entry in manifest.files}
    if len(listed) != len(manifest.files):
        raise InvalidSnapshot("manifest.json lists a file twice")
    for member in tar.getmembers():
        if member.name in (MANIFEST, STATE):
            continue
        if member.name not in listed:
            raise InvalidSnapshot(f"{member.name!r} is in the file but not in its manifest")
        if not member.isreg():
            raise InvalidSnapshot(f"{member.name!r} is not a regular file")


def _safe(relative: str) -> str:
    """A manifest path: relative, no ``..`` or empty parts, under one of ``FOLDERS``."""
    parts = PurePosixPath(relative).parts
    bad = (
        relative.startswith("/")
        or "\\" in relative
        or "\x00" in relative
        or len(parts) < 2
        or parts[0] not in FOLDERS
        or any(part in ("..", ".", "") for part in parts)
    )
    if bad:
        raise InvalidSnapshot(
            f"file path {relative!r} is not allowed: give a relative path under "
            + ", ".join(FOLDERS)
        )
    return relative


def _member_bytes(tar: tarfile.TarFile, name: str, limit: int) -> bytes:
    try:
        member = tar.getmember(name)
    except KeyError:
        raise InvalidSnapshot(f"not a nemo-mock snapshot: it has no {name}") from None
    if not member.isreg() or member.size > limit:
        raise InvalidSnapshot(f"{name} is not a regular file of at most {limit} bytes")
    handle = tar.extractfile(member)
    assert handle is not None  # a regular member always has a file object
    return handle.read()


def _copy_checked(tar: tarfile.TarFile, entry: FileEntry, target: Path | None) -> int:
    """Stream one file out (to ``target``, or nowhere to only check it)."""
    member = tar.getmember(FILES + entry.path)
    if member.size != entry.size:
        raise InvalidSnapshot(f"{entry.path}: {member.size} bytes, the manifest says {entry.size}")
    handle = tar.extractfile(member)
    assert handle is not None
    digest = hashlib.sha256()
    out = target.open("wb") if target is not None else None
    try:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            if out is not None:
                out.write(chunk)
    finally:
        if out is not None:
            out.close()
    if digest.hexdigest() != entry.sha256:
        raise InvalidSnapshot(f"{entry.path}: its bytes do not match the manifest (damaged)")
    return entry.size


# ---------------------------------------------------------------------------- writing


class _Hashing(io.RawIOBase):
    """A file read through, hashed as the tar copies it."""

    def __init__(self, source: IO[bytes]) -> None:
        self._source = source
        self._digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size)
        self._digest.update(data)
        return data

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


def _info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode = size, 0o644
    return info


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _json_object(data: bytes, name: str) -> dict[str, Any]:
    try:
        document = json.loads(data)
    except ValueError as exc:
        raise InvalidSnapshot(f"{name} is not JSON ({exc})") from None
    if not isinstance(document, dict):
        raise InvalidSnapshot(f"{name} is not a JSON object")
    return document
