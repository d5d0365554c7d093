"""Stream a ``multipart/form-data`` body into ``FileSink``s, part by part.

python-multipart parses; this module only routes the bytes of each ``files``
part to its sink. File writes are handed to a worker thread so a large upload
never blocks the event loop.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio.to_thread
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from nemo_mock.mock_server.domain.errors import BadRequest, TooManyParts
from nemo_mock.mock_server.media.disposition import part_names
from nemo_mock.mock_server.media.staging import FileSink, StagedFile, Staging

FILES_FIELD = "files"
MAX_FIELD_BYTES = 64 * 1024
MAX_PARTS = 20


class MultipartReader:
    """File parts named ``file_field`` go to sinks; small text fields are kept in ``fields``."""

    def __init__(
        self,
        content_type: str,
        staging: Staging,
        file_field: str = FILES_FIELD,
        max_parts: int = MAX_PARTS,
    ) -> None:
        _, params = parse_options_header(content_type)
        boundary = params.get(b"boundary")
        if not boundary:
            raise BadRequest("multipart/form-data without a boundary parameter")
        self._staging = staging
        self._max_parts = max_parts
        self._parts = 0
        self._file_field = file_field
        self._field_name: str | None = None
        self._field_value = b""
        self.fields: dict[str, str] = {}
        self._parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._on_part_begin,
                "on_part_data": self._on_part_data,
                "on_part_end": self._on_part_end,
                "on_header_field": self._on_header_field,
                "on_header_value": self._on_header_value,
                "on_header_end": self._on_header_end,
                "on_headers_finished": self._on_headers_finished,
            },
        )
        self._header_name = b""
        self._header_value = b""
        self._disposition = b""
        self._sink: FileSink | None = None
        self._field_bytes = 0
        self._pending: list[tuple[FileSink, bytes]] = []
        self._finished: list[FileSink] = []
        self.staged: list[StagedFile] = []

    async def read(self, stream: AsyncIterator[bytes]) -> list[StagedFile]:
        try:
            async for chunk in stream:
                self._parser.write(chunk)
                await anyio.to_thread.run_sync(self._flush)
            self._parser.finalize()
            await anyio.to_thread.run_sync(self._flush)
        except FormParserError as exc:
            raise BadRequest(f"malformed multipart body: {exc}") from None
        if not self.staged:
            raise BadRequest(f"the multipart body has no file parts named '{self._file_field}'")
        return self.staged

    def _flush(self) -> None:
        for sink, data in self._pending:
            sink.write(data)
        self._pending.clear()
        for sink in self._finished:
            self.staged.append(sink.finish())
        self._finished.clear()

    # -- python-multipart callbacks ------------------------------------------------
    def _on_part_begin(self) -> None:
        self._parts += 1
        if self._parts > self._max_parts:
            raise TooManyParts(
                f"the multipart body has more than {self._max_parts} parts "
                f"(--max-upload-parts {self._max_parts}): send the files in several uploads"
            )
        self._disposition = b""
        self._sink = None
        self._field_bytes = 0
        self._field_name = None
        self._field_value = b""

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _on_header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name = self._header_value = b""

    def _on_headers_finished(self) -> None:
        name, filename = part_names(self._disposition)
        if filename is None:
            self._field_name = name  # an ordinary form field: kept in ``fields``
            return
        if name != self._file_field:
            raise BadRequest(
                f"file parts must be named '{self._file_field}', got a part named {name!r}"
            )
        self._sink = self._staging.open(filename)

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._sink is not None:
            self._pending.append((self._sink, data[start:end]))
            return
        self._field_bytes += end - start
        if self._field_bytes > MAX_FIELD_BYTES:
            raise BadRequest(f"a non-file form field is larger than {MAX_FIELD_BYTES} bytes")
        self._field_value += data[start:end]

    def _on_part_end(self) -> None:
        if self._sink is not None:
            self._finished.append(self._sink)
            self._sink = None
        elif self._field_name:
            self.fields[self._field_name] = self._field_value.decode("utf-8", "replace")
