"""The chat's contract, ``contracts/gateway/asyncapi.yaml``, as validators.

The socket checks every client frame against ``ClientFrame`` (a frame outside it is
answered with an ``error`` frame naming what was wrong); tests check every frame the
mock sends against ``ServerFrame``. Both are a ``oneOf`` keyed by the ``type`` const, so a
frame is checked against the one branch its ``type`` names.
"""

from __future__ import annotations

import functools
from typing import Any, Literal

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from nemo_mock.contracts.loader import load_contract

ASYNCAPI = "gateway/asyncapi.yaml"
Side = Literal["ServerFrame", "ClientFrame"]


def problem(frame: Any, side: Side) -> str | None:
    """What is wrong with ``frame`` as a ``side`` frame, or ``None`` when it is valid."""
    if not isinstance(frame, dict):
        return "a frame must be a JSON object with a type"
    branches = _branches(side)
    name = branches.get(str(frame.get("type")))
    if name is None:
        shown = str(frame.get("type"))[:40]
        return f"unknown type {shown!r} (expected {', '.join(branches)})"
    for error in _validator(name).iter_errors(frame):
        where = ".".join(str(p) for p in error.absolute_path) or frame["type"]
        return f"{where}: {error.message[:200]}"
    return None


@functools.cache
def _branches(side: Side) -> dict[str, str]:
    """type -> the schema of that frame."""
    schemas = load_contract(ASYNCAPI)["components"]["schemas"]
    names = [branch["$ref"].rsplit("/", 1)[-1] for branch in schemas[side]["oneOf"]]
    return {str(schemas[name]["properties"]["type"]["const"]): name for name in names}


@functools.cache
def _validator(name: str) -> Draft202012Validator:
    components = load_contract(ASYNCAPI)["components"]
    return Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": components})
