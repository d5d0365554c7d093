"""Keeping the state: a versioned JSON document of it (``codec``) and, with ``--data-dir``,
a durable SQLite store written as requests are answered.

Layering: below the runtime (which exposes ``Mock.export_state``/``import_state``), above
the faults and the domain it encodes. The domain never sees SQLite or JSON.
"""

from nemo_mock.mock_server.persist.codec import (
    FORMAT,
    SCHEMA_VERSION,
    StateParts,
    StateVersionError,
    check_version,
    dump_state,
    load_state,
)

__all__ = [
    "FORMAT",
    "SCHEMA_VERSION",
    "StateParts",
    "StateVersionError",
    "check_version",
    "dump_state",
    "load_state",
]
