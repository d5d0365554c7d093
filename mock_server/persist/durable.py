"""Write-through of the state to a ``StateStore``: the rows that changed since the last write.

The store's tables mark every row set, removed or changed in place in its change log
(``domain/changes.py``); ``flush`` drains the log, encodes those rows only (a row whose
record is gone is deleted) and writes them, plus the meta entries that changed, in one
transaction. Its cost follows what changed, not how much state there is
(``bench/persist_bench.py`` measures it). The ASGI hook (``hook.py``) calls it before a
response starts and before each streamed message, so whatever a client was told is on
disk first.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Hashable
from typing import Any

from nemo_mock.mock_server.persist.codec import StateParts, dump_meta
from nemo_mock.mock_server.persist.sqlite import Changes, StateStore
from nemo_mock.mock_server.persist.tables import BY_NAME


def _text(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


class Durable:
    def __init__(self, store: StateStore, parts: Callable[[], StateParts]) -> None:
        self.store = store
        self.parts = parts
        self._meta: dict[str, str] = {}
        self._lock = threading.Lock()

    def remember(self, doc: dict[str, Any]) -> None:
        """The state was just loaded from the store (``doc``): nothing of it to write again."""
        with self._lock:
            self.parts().backend.store.changes.drain()
            self._meta = {name: _text(value) for name, value in doc["meta"].items()}

    def flush(self) -> int:
        """Write what changed; how many rows and meta entries were written."""
        with self._lock:
            parts = self.parts()
            store = parts.backend.store
            changed = store.changes.drain()
            try:
                return self._write(parts, changed)
            except BaseException:
                for name, raw in changed:  # not written: still to write
                    store.changes.mark(name, raw)
                raise

    def _write(self, parts: StateParts, changed: set[tuple[str, Hashable]]) -> int:
        store = parts.backend.store
        changes: Changes = {}
        for name, raw in changed:
            table = BY_NAME.get(name)
            if table is None:
                continue
            key = table.key_of(raw)
            record = table.get(store, key)
            changes[(name, key)] = None if record is None else _text(table.encode(record))
        meta = {name: _text(value) for name, value in dump_meta(parts).items()}
        meta_changes = {k: v for k, v in meta.items() if self._meta.get(k) != v}
        self.store.write(changes, meta_changes)
        self._meta = meta
        return len(changes) + len(meta_changes)

    def close(self) -> None:
        self.store.close()
