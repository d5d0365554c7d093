"""Load the hand-written OpenAPI contracts that sit next to this module.

* ``<surface>/openapi.yaml``: one client surface of the NemoVideo API as the mock
  implements it (``skill/openapi.yaml`` today; ``OPENAPI_PATH``).
* ``control.yaml``: the mock's own surface (``/_mock/...``, ``/cdn/...``).

The documents are parsed once (cached) and every ``load_*`` call returns a fresh deep copy,
so callers may mutate what they get. YAML timestamps are kept as strings, so the result is
plain JSON data (``str``/``int``/``float``/``bool``/``None``/``list``/``dict``).
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "CONTROL_PATH",
    "HTTP_METHODS",
    "OPENAPI_PATH",
    "Operation",
    "load_contract",
    "load_control",
    "load_openapi",
    "operations",
]

CONTRACTS_DIR = Path(__file__).resolve().parent
OPENAPI_PATH = CONTRACTS_DIR / "skill" / "openapi.yaml"
CONTROL_PATH = CONTRACTS_DIR / "control.yaml"

#: The lower-case keys of an OpenAPI 3.1 Path Item Object that name operations.
HTTP_METHODS: tuple[str, ...] = (
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
)

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


#: libyaml's parser where PyYAML was built with it (the wheels are): the same documents,
#: parsed 4-7x faster (0.06-0.11 vs 0.41-0.44 CPU-s for all the contracts). Every mock and
#: every test process parses them once; the first request of a mock waited for it.
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _JsonLoader(_SafeBase):  # type: ignore[valid-type,misc]
    """A safe loader that leaves ``2024-11-22T00:00:00Z`` as a string (JSON has no dates)."""


_JsonLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation of a document: ``("POST", "/run_sse", "runSse")``."""

    method: str
    path: str
    operation_id: str


@functools.cache
def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as stream:
        # _JsonLoader is a SafeLoader subclass: no arbitrary objects are constructed.
        document = yaml.load(stream, Loader=_JsonLoader)
    if not isinstance(document, dict):
        raise ValueError(f"{path} does not hold a YAML mapping")
    return document


def load_openapi() -> dict[str, Any]:
    """The skill surface's contract (``skill/openapi.yaml``) as a dict; a fresh copy on every
    call."""
    return copy.deepcopy(_load(OPENAPI_PATH))


def load_contract(relative: str) -> dict[str, Any]:
    """A contract named by its path under ``contracts/`` (``skill/openapi.yaml``); a fresh
    copy on every call."""
    path = (CONTRACTS_DIR / relative).resolve()
    if CONTRACTS_DIR not in path.parents:
        raise ValueError(f"{relative!r} is not a contract under {CONTRACTS_DIR}")
    return copy.deepcopy(_load(path))


def load_control() -> dict[str, Any]:
    """The mock's control contract (``control.yaml``) as a dict; a fresh copy on every call."""
    return copy.deepcopy(_load(CONTROL_PATH))


def operations(doc: dict[str, Any]) -> list[Operation]:
    """Every operation of ``doc``, in document order (paths, then methods).

    An operation without an ``operationId`` gets ``""`` (the contract tests forbid that).
    """
    found: list[Operation] = []
    for path, item in doc.get("paths", {}).items():
        for key, operation in item.items():
            if key in HTTP_METHODS:
                found.append(Operation(key.upper(), path, operation.get("operationId", "")))
    return found
