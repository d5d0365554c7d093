"""``SURFACES``: every client surface the mock serves, declared here and nowhere else.

A surface is one way clients reach NemoVideo (the skill's REST + SSE today; the
gateway and MCP surfaces build on the same shape). Its record says what the edge
needs to know before any route runs: its name, its contract(s) under
``contracts/``, the path prefixes it owns and how its operations are named. Its
routes live in the package ``nemo_mock.mock_server.surfaces.<name>`` (a ``ROUTERS`` tuple),
which ``app.py`` mounts; the journal, the fault rules, scenarios, client rules and
``--explore`` learn its operations from here, so a new surface is a package plus
one line below.

Operations are named ``<surface>.<operationId>``; the skill surface keeps its bare
operationIds (``runSse``), as every journal, rule and scenario written so far does.
A surface whose one route carries many calls (MCP's JSON-RPC ``POST /mcp``) names each
call by its body: a ``tools/call`` of a tool its tools contract lists is the operation
``mcp.<tool>`` (``mcp.save_v3_draft``), so the journal, fault rules and client rules see
tools, not one opaque route (``body_operation``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from nemo_mock.contracts.loader import CONTRACTS_DIR, load_contract, operations
from nemo_mock.mock_server.edge.operations import Match, OperationIndex

#: Paths of the mock's own (control plane, CDN, docs): never journaled, never faulted.
OWN_PREFIXES = ("/_mock", "/cdn/", "/docs", "/openapi.json", "/favicon")


@dataclass(frozen=True)
class Surface:
    """One client surface: what the edge knows of it."""

    name: str
    #: Contract documents, relative to ``contracts/`` (the first is served as its contract).
    contracts: tuple[str, ...]
    #: Path prefixes it owns; the longest matching prefix over all surfaces wins.
    prefixes: tuple[str, ...]
    #: Whether its operations keep their bare operationIds (only the skill surface).
    bare_ids: bool = False
    #: The codes it answers for a refused token instead of 1001: (invalid, expired).
    auth_codes: tuple[int, int] | None = None
    #: Its AsyncAPI document (its sockets' messages), relative to ``contracts/``.
    asyncapi: str | None = None
    #: Its tools contract (MCP), relative to ``contracts/``: each tool is an operation.
    tools: str | None = None
    #: The operationId whose JSON-RPC body names a tool (``postMcpMessage``).
    message_operation: str | None = None
    #: Operations whose requests open an agent turn (``runSse``): let in one per iteration
    #: of the event loop (``edge/admission.py``), so a thousand at once cannot hold it.
    opens_turns: tuple[str, ...] = ()

    @functools.cached_property
    def index(self) -> OperationIndex:
        """Its operations, read from its contracts (once), named as ``qualify`` says."""
        return OperationIndex(
            (op.method, op.path, self.qualify(op.operation_id))
            for contract in self.contracts
            for op in operations(load_contract(contract))
        )

    @functools.cached_property
    def tool_operations(self) -> frozenset[str]:
        """Its tools as operations (``mcp.save_v3_draft``), from its tools contract."""
        if self.tools is None:
            return frozenset()
        return frozenset(self.qualify(name) for name in load_contract(self.tools)["tools"])

    @property
    def operation_ids(self) -> frozenset[str]:
        """Every operation of this surface: its routes' and its tools'."""
        return self.index.operation_ids | self.tool_operations

    def body_operation(self, operation: str | None, document: Any) -> str | None:
        """The tool a JSON-RPC body calls, as an operation, when ``operation`` is the route
        carrying tool calls and the tool is in the contract; else ``None``."""
        if self.message_operation is None or operation != self.qualify(self.message_operation):
            return None
        if not isinstance(document, dict) or document.get("method") != "tools/call":
            return None
        params = document.get("params")
        name = params.get("name") if isinstance(params, dict) else None
        named = self.qualify(name) if isinstance(name, str) else None
        return named if named in self.tool_operations else None

    @property
    def package(self) -> str:
        """The module whose ``ROUTERS`` serve this surface."""
        return f"nemo_mock.mock_server.surfaces.{self.name}"

    @property
    def contract_path(self) -> str:
        return str(CONTRACTS_DIR / self.contracts[0])

    def qualify(self, operation_id: str) -> str:
        return operation_id if self.bare_ids else f"{self.name}.{operation_id}"


SURFACES: tuple[Surface, ...] = (
    Surface(
        "skill",
        contracts=("skill/openapi.yaml",),
        prefixes=("/",),
        bare_ids=True,
        opens_turns=("runSse",),
    ),
    Surface(
        "gateway",
        contracts=("gateway/openapi.yaml",),
        prefixes=(
            "/auth/verify",
            "/billing/",
            "/projects",
            "/files/upload",
            "/ws/chat",
            "/services/v1/",
            "/api/v1/state/frontend/",
            "/api/auth/exchange-claim-token",
        ),
        auth_codes=(1010, 1011),
        asyncapi="gateway/asyncapi.yaml",
    ),
    Surface(
        "mcp",
        contracts=("mcp/openapi.yaml",),
        prefixes=("/mcp", "/oauth/", "/.well-known/oauth-"),
        tools="mcp/tools.yaml",
        message_operation="postMcpMessage",
    ),
)


@dataclass(frozen=True)
class Resolved:
    """The surface a request is for, and its operation when the contract has one."""

    surface: Surface
    match: Match | None

    @property
    def operation(self) -> str | None:
        return self.match.operation_id if self.match else None

    @property
    def params(self) -> dict[str, str]:
        return self.match.params if self.match else {}


def surface_named(name: str) -> Surface:
    for surface in SURFACES:
        if surface.name == name:
            return surface
    raise KeyError(f"no surface {name!r}; surfaces: {', '.join(s.name for s in SURFACES)}")


@functools.lru_cache(maxsize=4096)  # every layer asks for every request (issue 18)
def surface_of(path: str) -> Surface | None:
    """The surface owning ``path`` (longest prefix wins); ``None`` for the mock's own paths."""
    if path.startswith(OWN_PREFIXES):
        return None
    owners = [(len(p), s) for s in SURFACES for p in s.prefixes if path.startswith(p)]
    return max(owners, key=lambda owner: owner[0])[1] if owners else None


@functools.lru_cache(maxsize=4096)
def resolve(method: str, path: str) -> Resolved | None:
    """Which surface and operation a request is; ``None`` off every surface (cached: the
    answer is shared, copy its ``params`` before changing them)."""
    surface = surface_of(path)
    if surface is None:
        return None
    return Resolved(surface, surface.index.resolve(method, path))


@functools.cache
def turn_operations() -> frozenset[str]:
    """Every operation whose requests open an agent turn, on every surface."""
    return frozenset(s.qualify(op) for s in SURFACES for op in s.opens_turns)


@functools.cache
def turn_methods() -> frozenset[str]:
    """The HTTP methods of the operations that open agent turns (a cheap first test)."""
    return frozenset().union(*(s.index.methods_of(turn_operations()) for s in SURFACES))


@functools.cache
def operation_ids() -> frozenset[str]:
    """Every operation of every surface, as rules, scenarios and the journal name them."""
    return frozenset().union(*(s.operation_ids for s in SURFACES))
