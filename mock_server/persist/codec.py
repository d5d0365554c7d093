"""The whole state of a mock as one versioned JSON document, and back.

The document::

    {"format": "nemo-mock/state", "version": 1,
     "meta":   {"ids": …, "rng": …, "clock_offset_s": …, "initial_credits": …,
                "ledger_serial": …, "usage_serial": …, "faults": …, "scenarios": […],
                "consent": …},
     "tables": {"users": {key: row}, "tokens": {fingerprint: row}, …}}

``tables`` are the store's (``tables.TABLES``); ``meta`` is what is not a row: the id key
and counters (ids continue, never repeat), the seeded RNG, the clock's offset, the armed
fault rules with their counts, the names of the loaded scenarios, the era. The SQLite store keeps
the same rows and the same meta, so a document and a data dir hold the same thing.

What is not state: the journal, running turns and renders' processes (a restored job
that was running is settled by ``recovery``), files (uploads and renders stay where
their rows say; a snapshot copies them beside the document).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nemo_mock.mock_server.domain.backend import NemoBackend
from nemo_mock.mock_server.domain.errors import BadRequest
from nemo_mock.mock_server.domain.ids import restore_rng, rng_json
from nemo_mock.mock_server.faults.rules import FaultBook
from nemo_mock.mock_server.persist import rows
from nemo_mock.mock_server.persist.tables import TABLES

FORMAT = "nemo-mock/state"
#: Bump when a row's shape changes; a document or data dir of another version is refused
#: (``StateVersionError``) unless an upgrade from it is written here.
SCHEMA_VERSION = 1


class StateVersionError(BadRequest):
    """A state document (or a data dir) written by another schema version."""


@dataclass
class StateParts:
    """What a state document is made of and restored into (the runtime's pieces)."""

    backend: NemoBackend
    faults: FaultBook
    scenarios: list[str] = field(default_factory=list)
    #: The era requests are answered in (its name).
    era: str | None = None


def dump_state(parts: StateParts) -> dict[str, Any]:
    store = parts.backend.store
    return {
        "format": FORMAT,
        "version": SCHEMA_VERSION,
        "meta": dump_meta(parts),
        "tables": {table.name: table.dump(store) for table in TABLES},
    }


def dump_meta(parts: StateParts) -> dict[str, Any]:
    backend = parts.backend
    key, counts = backend.ids.state()
    return {
        "ids": {"key": key.hex(), "counts": counts},
        "rng": rng_json(backend.rng),
        "clock_offset_s": backend.clock.offset_seconds,
        "initial_credits": backend.initial_credits,
        "ledger_serial": backend.ledger.serial,
        "usage_serial": backend.usage.serial,
        "faults": parts.faults.export(),
        "scenarios": list(parts.scenarios),
        "era": parts.era,
        "consent": rows.consent_row(backend.store.mcp.oauth.consent),
    }


def check_version(doc: Any, where: str = "the state document") -> None:
    """Refuse anything but a state document of this schema version, naming what it is."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise StateVersionError(f"{where} is not a nemo-mock state document (format {FORMAT!r})")
    version = doc.get("version")
    if version != SCHEMA_VERSION:
        raise StateVersionError(
            f"{where} was written with state schema version {version!r}; this nemo-mock "
            f"reads version {SCHEMA_VERSION} only: use the nemo-mock that wrote it, or "
            "start from an empty data dir"
        )


def load_state(parts: StateParts, doc: dict[str, Any]) -> None:
    """Replace the whole state with the document's (after ``check_version``)."""
    check_version(doc)
    store = parts.backend.store
    store.clear()
    for table in TABLES:
        table.load(store, doc["tables"].get(table.name, {}))
    load_meta(parts, doc["meta"])


def load_meta(parts: StateParts, meta: dict[str, Any]) -> None:
    backend = parts.backend
    backend.ids.restore(bytes.fromhex(meta["ids"]["key"]), meta["ids"]["counts"])
    restore_rng(backend.rng, meta["rng"])
    _set_clock_offset(backend, float(meta["clock_offset_s"]))
    backend.initial_credits = meta["initial_credits"]
    backend.ledger.continue_after(meta["ledger_serial"])
    backend.usage.continue_after(meta["usage_serial"])
    parts.faults.restore(meta["faults"])
    parts.scenarios[:] = meta["scenarios"]
    parts.era = meta["era"]
    backend.store.mcp.oauth.consent = rows.consent_of(meta["consent"])


def _set_clock_offset(backend: NemoBackend, offset: float) -> None:
    clock = backend.clock
    if abs(clock.offset_seconds - offset) < 1e-6:
        return
    clock.reset()
    if offset > 0:
        clock.advance(offset)
