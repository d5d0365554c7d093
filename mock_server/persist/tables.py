"""The store as named tables of rows: what the state document and the SQLite file both hold.

A ``Table`` knows how to list its rows (key -> record), fetch one row by key (for a
write-through of the rows a request changed), encode a record as JSON and put decoded
rows back into a cleared store. Keys are strings; a render's key is its user and its
id joined by a newline (neither can hold one).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, cast

from nemo_mock.mock_server.domain.store import Store
from nemo_mock.mock_server.persist import rows
from nemo_mock.mock_server.persist.rows import Row

RENDER_KEY_SEPARATOR = "\n"


@dataclass(frozen=True)
class Table:
    name: str
    items: Callable[[Store], Iterable[tuple[str, Any]]]
    get: Callable[[Store, str], Any | None]
    encode: Callable[[Any], Row]
    #: Decode every row and put it into the (cleared) store.
    load: Callable[[Store, dict[str, Row]], None]
    #: The row key of a key the store's change log marked (``domain/changes.py``).
    key_of: Callable[[Hashable], str] = str

    def dump(self, store: Store) -> dict[str, Row]:
        return {key: self.encode(record) for key, record in list(self.items(store))}

    def row(self, store: Store, key: str) -> Row | None:
        record = self.get(store, key)
        return None if record is None else self.encode(record)


def _mapping(
    name: str,
    table: Callable[[Store], dict[str, Any]],
    encode: Callable[[Any], Row],
    decode: Callable[[Row], Any],
) -> Table:
    def load(store: Store, found: dict[str, Row]) -> None:
        table(store).update((key, decode(row)) for key, row in found.items())

    return Table(
        name,
        lambda store: list(table(store).items()),
        lambda store, key: table(store).get(key),
        encode,
        load,
    )


def render_key(user_id: str, render_id: str) -> str:
    return f"{user_id}{RENDER_KEY_SEPARATOR}{render_id}"


def _renders() -> Table:
    def items(store: Store) -> list[tuple[str, Any]]:
        return [(render_key(*key), job) for key, job in list(store.renders.items())]

    def get(store: Store, key: str) -> Any:
        user, _, render_id = key.partition(RENDER_KEY_SEPARATOR)
        return store.renders.get((user, render_id))

    def load(store: Store, found: dict[str, Row]) -> None:
        for row in found.values():
            job = rows.render_of(row)
            store.renders[(job.user_id, job.render_id)] = job

    def key_of(raw: Hashable) -> str:
        user, render_id = cast(tuple[str, str], raw)
        return render_key(user, render_id)

    return Table("renders", items, get, rows.render_row, load, key_of)


def _accounts() -> Table:
    def items(store: Store) -> list[tuple[str, Any]]:
        return [(r.user_id, r) for r in store.ledger.records()]

    def load(store: Store, found: dict[str, Row]) -> None:
        records = [rows.account_of(row) for row in found.values()]
        store.ledger.restore(records, store.ledger.serial)

    return Table(
        "accounts", items, lambda store, key: store.ledger.record(key), rows.account_row, load
    )


def _usage() -> Table:
    def items(store: Store) -> list[tuple[str, Any]]:
        return [(e.entry_id, e) for e in list(store.usage)]

    def get(store: Store, key: str) -> Any:
        return next((e for e in reversed(store.usage) if e.entry_id == key), None)

    def load(store: Store, found: dict[str, Row]) -> None:
        entries = [rows.usage_of(row) for row in found.values()]
        store.usage.extend(sorted(entries, key=lambda e: _number(e.entry_id)))

    return Table("usage", items, get, rows.usage_row, load)


def _creators() -> Table:
    def load(store: Store, found: dict[str, Row]) -> None:
        store.mcp.creators.update(found)

    return Table(
        "mcp_creators",
        lambda store: [(user, True) for user in list(store.mcp.creators)],
        lambda store, key: True if key in store.mcp.creators else None,
        lambda _: {"creator": True},
        load,
    )


def _number(entry_id: str) -> int:
    tail = entry_id.rpartition("_")[2]
    return int(tail) if tail.isdigit() else 0


def _same(row: Row) -> Row:
    return dict(row)


TABLES: tuple[Table, ...] = (
    _mapping("users", lambda s: s.users, rows.user_row, rows.user_of),
    _mapping("tokens", lambda s: s.tokens.access, rows.token_row, rows.token_of),
    _mapping("claims", lambda s: s.tokens.claims, rows.claim_row, rows.claim_of),
    _mapping(
        "token_clients",
        lambda s: s.tokens.last_by_client,
        lambda fp: {"fingerprint": fp},
        lambda row: row["fingerprint"],
    ),
    _mapping("ip_windows", lambda s: s.tokens.ip_events, rows.window_row, rows.window_of),
    _mapping("sessions", lambda s: s.sessions, rows.session_row, rows.session_of),
    _mapping("media", lambda s: s.media, rows.media_row, rows.media_of),
    _accounts(),
    _usage(),
    _renders(),
    _mapping("oauth_clients", lambda s: s.mcp.oauth.clients, _same, _same),
    _mapping("oauth_codes", lambda s: s.mcp.oauth.codes, rows.grant_row, rows.grant_of),
    _mapping("oauth_access", lambda s: s.mcp.oauth.access, rows.mcp_token_row, rows.mcp_token_of),
    _mapping(
        "oauth_refresh", lambda s: s.mcp.oauth.refresh, rows.mcp_token_row, rows.mcp_refresh_of
    ),
    _mapping("oauth_pending", lambda s: s.mcp.oauth.pending, _same, _same),
    _mapping("mcp_projects", lambda s: s.mcp.projects, rows.project_row, rows.project_of),
    _creators(),
    _mapping(
        "paying_turns",
        lambda s: s.paying_turns,
        lambda sid: {"session_id": sid},
        lambda row: row["session_id"],
    ),
    _mapping(
        "mcp_generations",
        lambda s: s.mcp.generations,
        rows.generation_row,
        rows.generation_of,
    ),
)
BY_NAME = {table.name: table for table in TABLES}
