"""Where uploads land: one directory per file id, written as the bytes arrive.

A ``FileSink`` hashes and counts while writing and refuses the chunk that
crosses the size limit, so an oversized upload never sits whole on disk or in
memory. A ``Staging`` holds the files of one request: all are kept, or all
are removed.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from nemo_mock.mock_server.domain.ids import IdFactory
from nemo_mock.mock_server.domain.media import (
    MediaKind,
    kind_for_filename,
    safe_filename,
    too_large,
)


@dataclass(frozen=True)
class StagedFile:
    file_id: str
    filename: str
    promised: MediaKind
    path: Path
    size: int
    sha256: str


class FileSink:
    def __init__(self, file_id: str, filename: str, path: Path, limit_bytes: int) -> None:
        self.file_id = file_id
        self.filename = filename
        self.promised = kind_for_filename(filename)
        self.path = path
        self.limit_bytes = limit_bytes
        self.size = 0
        self._hash = hashlib.sha256()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh: BinaryIO = path.open("wb")

    def write(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit_bytes:
            raise too_large(self.filename, self.limit_bytes)
        self._hash.update(data)
        self._fh.write(data)

    def finish(self) -> StagedFile:
        self._fh.close()
        return StagedFile(
            file_id=self.file_id,
            filename=self.filename,
            promised=self.promised,
            path=self.path,
            size=self.size,
            sha256=self._hash.hexdigest(),
        )

    def close(self) -> None:
        self._fh.close()


class Staging:
    """The files one request is writing; ``discard`` removes every one of them."""

    def __init__(self, root: Path, ids: IdFactory, limit_bytes: int) -> None:
        self.root = root
        self._ids = ids
        self.limit_bytes = limit_bytes
        self._sinks: list[FileSink] = []

    def open(self, raw_filename: str | None) -> FileSink:
        filename = safe_filename(raw_filename, fallback="upload")
        file_id = self._ids.file()
        path = self.root / file_id / filename
        try:
            sink = FileSink(file_id, filename, path, self.limit_bytes)
        except BaseException:  # e.g. out of descriptors: not even its folder is left
            shutil.rmtree(path.parent, ignore_errors=True)
            raise
        self._sinks.append(sink)
        return sink

    def discard(self) -> None:
        for sink in self._sinks:
            sink.close()
            shutil.rmtree(sink.path.parent, ignore_errors=True)
        self._sinks.clear()
