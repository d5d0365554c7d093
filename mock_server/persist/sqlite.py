"""The durable store: the state document's rows and meta in one SQLite file (WAL mode).

Two tables: ``rows(tbl, key, value)`` (one row of the state document's ``tables`` each,
its JSON text) and ``meta(name, value)`` (``schema_version`` and each entry of the
document's ``meta``). A write is one transaction; WAL with ``synchronous=NORMAL`` keeps
every committed transaction across a killed process (a power cut may lose the last ones).

``StateStore`` is the interface the runtime uses; a server database for several replicas
would implement the same four methods (see ARCHITECTURE.md, "Persistence").
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any, Protocol

from nemo_mock.mock_server.persist.codec import FORMAT, SCHEMA_VERSION, StateVersionError

FILE_NAME = "state.sqlite3"
#: (table, key) -> the row's JSON text, or None to delete it
Changes = dict[tuple[str, str], str | None]


class StateStore(Protocol):
    def load(self) -> dict[str, Any] | None:
        """The stored state document, or None for an empty store."""
        ...

    def write(self, rows: Changes, meta: dict[str, str]) -> None:
        """Apply the changed rows and meta entries in one transaction."""
        ...

    def close(self) -> None: ...


class SqliteStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS rows (tbl TEXT NOT NULL, key TEXT NOT NULL, "
            "value TEXT NOT NULL, PRIMARY KEY (tbl, key)) WITHOUT ROWID"
        )
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)"
        )

    def load(self) -> dict[str, Any] | None:
        with self._lock:
            meta = dict(self._db.execute("SELECT name, value FROM meta").fetchall())
            if not meta:
                return None
            version = json.loads(meta.pop("schema_version", "null"))
            if version != SCHEMA_VERSION:
                raise StateVersionError(
                    f"the data dir's state ({self.path}) was written with state schema "
                    f"version {version!r}; this nemo-mock reads version {SCHEMA_VERSION} "
                    "only: use the nemo-mock that wrote it, or start with another --data-dir"
                )
            tables: dict[str, dict[str, Any]] = {}
            for tbl, key, value in self._db.execute("SELECT tbl, key, value FROM rows"):
                tables.setdefault(tbl, {})[key] = json.loads(value)
        return {
            "format": FORMAT,
            "version": version,
            "meta": {name: json.loads(value) for name, value in meta.items()},
            "tables": tables,
        }

    def write(self, rows: Changes, meta: dict[str, str]) -> None:
        if not rows and not meta:
            return
        upserts = [(t, k, v) for (t, k), v in rows.items() if v is not None]
        deletes = [(t, k) for (t, k), v in rows.items() if v is None]
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(
                    "INSERT INTO rows VALUES (?, ?, ?) ON CONFLICT (tbl, key) "
                    "DO UPDATE SET value = excluded.value",
                    upserts,
                )
                self._db.executemany("DELETE FROM rows WHERE tbl = ? AND key = ?", deletes)
                self._db.executemany(
                    "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                    [*meta.items(), ("schema_version", json.dumps(SCHEMA_VERSION))],
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()
