"""``contracts/mcp/tools.yaml``: the tool list, schemas and scopes the server serves."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from nemo_mock.contracts.loader import load_contract
from nemo_mock.mock_server.domain.errors import BadRequest
from nemo_mock.mock_server.edge.surfaces import surface_named


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str
    scopes: tuple[str, ...]
    input_schema: dict[str, Any]
    output_schema: dict[str, Any]
    listed_when: str | None

    def listed_for(self, scopes: frozenset[str], creator: bool) -> bool:
        if self.listed_when is None:
            return True
        if self.listed_when == "creator":
            return creator
        return self.listed_when.removeprefix("scope:") in scopes

    def check_input(self, arguments: dict[str, Any]) -> None:
        errors = sorted(_validator(self.name).iter_errors(arguments), key=lambda e: list(e.path))
        if errors:
            first = errors[0]
            where = ".".join(str(p) for p in first.path) or "arguments"
            raise BadRequest(f"invalid arguments for {self.name}: {where}: {first.message}")


@functools.cache
def load_tools() -> dict[str, ToolSpec]:
    tools = surface_named("mcp").tools  # the surface's own declaration of its contract
    assert tools is not None
    raw = load_contract(tools)  # parsed once, by libyaml, for every reader
    return {
        name: ToolSpec(
            name=name,
            description=spec["description"],
            scopes=tuple(spec["scopes"]),
            input_schema=spec["inputSchema"],
            output_schema=spec["outputSchema"],
            listed_when=spec.get("listed_when"),
        )
        for name, spec in raw["tools"].items()
    }


@functools.cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(load_tools()[name].input_schema)


@functools.cache
def output_validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(load_tools()[name].output_schema)
