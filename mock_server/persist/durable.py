"""Write-through of the state to a ``StateStore``: what changed since the last write.

``flush`` walks the state's rows (``tables.TABLES``), encodes again only the records whose
stamp changed since the last write (an immutable record is its own stamp), and writes the
rows whose JSON differs, plus the changed meta, in one transaction. The ASGI
hook (``hook.py``) calls it before a response starts and before each streamed message, so
whatever a client was told is on disk first. A flush still visits every row (one stamp
each), so its cost grows with the state: ``bench/persist_bench.py`` measures it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

from nemo_mock.mock_server.persist.codec import StateParts, dump_meta
from nemo_mock.mock_server.persist.sqlite import Changes, StateStore
from nemo_mock.mock_server.persist.tables import TABLES

_NONE = object()


def _text(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


class Durable:
    def __init__(self, store: StateStore, parts: Callable[[], StateParts]) -> None:
        self.store = store
        self.parts = parts
        self._rows: dict[tuple[str, str], str] = {}
        self._meta: dict[str, str] = {}
        #: (table, key) -> the stamp of the record last written (held: ids are not reused)
        self._stamps: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    def remember(self, doc: dict[str, Any]) -> None:
        """What the store holds now (just loaded): later flushes write only differences."""
        self._rows = {
            (name, key): _text(row)
            for name, rows in doc["tables"].items()
            for key, row in rows.items()
        }
        self._meta = {name: _text(value) for name, value in doc["meta"].items()}

    def flush(self) -> int:
        """Write what changed; how many rows and meta entries were written."""
        with self._lock:
            parts = self.parts()
            store = parts.backend.store
            seen: dict[tuple[str, str], str] = {}
            stamps: dict[tuple[str, str], Any] = {}
            for table in TABLES:
                for key, record in list(table.items(store)):
                    where, stamp = (table.name, key), table.stamp(record)
                    old = self._stamps.get(where, _NONE)
                    same = old is stamp or (old is not _NONE and old == stamp)
                    seen[where] = self._rows[where] if same else _text(table.encode(record))
                    stamps[where] = stamp
            changes: Changes = {k: v for k, v in seen.items() if self._rows.get(k) != v}
            changes.update(dict.fromkeys(self._rows.keys() - seen.keys()))
            meta = {name: _text(value) for name, value in dump_meta(parts).items()}
            meta_changes = {k: v for k, v in meta.items() if self._meta.get(k) != v}
            self.store.write(changes, meta_changes)
            self._rows, self._meta, self._stamps = seen, meta, stamps
            return len(changes) + len(meta_changes)

    def close(self) -> None:
        self.store.close()
