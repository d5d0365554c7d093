"""Every request valid against its surface's contract (``contracts/<surface>/openapi.yaml``,
every surface of ``SURFACES``; JSON Schema 2020-12, $refs resolved).

Checked per request: the operation exists; path parameters match their schemas; required
header parameters are present and every declared header sent matches its schema; the
content type is one the operation accepts; a JSON body validates against the operation's
request body schema. Multipart bodies are not recorded, so only their content type is
checked. An MCP tool call (operation ``mcp.<tool>``) is judged by its arguments against the
tool's ``inputSchema`` in ``contracts/mcp/tools.yaml``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from nemo_mock.contracts.loader import load_contract, operations
from nemo_mock.contracts.rules.journal import error_of, header, on_api
from nemo_mock.contracts.rules.model import Rule, RuleContext, RuleResult, Violation, violation
from nemo_mock.mock_server.edge.surfaces import SURFACES
from nemo_mock.mock_server.journal.entry import JournalEntry

BASE_URI = "urn:nemo-mock:openapi"
MAX_PROBLEMS = 3
MAX_MESSAGE = 160


@dataclass(frozen=True)
class _Operation:
    operation_id: str
    pattern: re.Pattern[str]
    #: Each parameter with a validator of its schema.
    parameters: tuple[tuple[dict[str, Any], Any], ...]
    #: Accepted media types, each with the URI of its schema; ``None``: no body.
    bodies: dict[str, str] | None
    body_required: bool


@dataclass(frozen=True)
class _Tool:
    """An MCP tool as an operation: its arguments' validator."""

    operation_id: str
    arguments: Any


@dataclass(frozen=True)
class _Contract:
    registry: Registry[Any]
    operations: dict[str, _Operation | _Tool]


@functools.cache
def _contract() -> _Contract:
    """Every surface's contract in one registry, operations named as the journal names them."""
    registry: Registry[Any] = Registry()
    found: dict[str, _Operation | _Tool] = {}
    for surface in SURFACES:
        if surface.tools is not None:
            for name, tool in load_contract(surface.tools)["tools"].items():
                qualified = surface.qualify(name)
                found[qualified] = _Tool(qualified, Draft202012Validator(tool["inputSchema"]))
        for relative in surface.contracts:
            document, base = load_contract(relative), f"{BASE_URI}:{relative}"
            registry = registry.with_resource(base, DRAFT202012.create_resource(document))
            for op in operations(document):
                operation_id = surface.qualify(op.operation_id)
                found[operation_id] = _operation(
                    document, base, operation_id, op.path, op.method.lower()
                )
    return _Contract(registry, found)


def _operation(
    document: dict[str, Any], base: str, operation_id: str, path: str, method: str
) -> _Operation:
    spec = document["paths"][path][method]
    params = tuple(
        (param, Draft202012Validator(param.get("schema", {})))
        for param in (_resolve(document, p) for p in spec.get("parameters", []))
    )
    raw = spec.get("requestBody")
    if raw is None:
        return _Operation(operation_id, _compile(path), params, None, False)
    # The body's place in the document, through a components/requestBodies $ref if any.
    here = f"/paths/{_escape(path)}/{method}/requestBody"
    pointer = raw["$ref"].removeprefix("#") if "$ref" in raw else here
    body = _resolve(document, raw)
    bodies = {
        media: f"{base}#{quote(f'{pointer}/content/{_escape(media)}/schema')}"
        for media in body["content"]
    }
    return _Operation(operation_id, _compile(path), params, bodies, bool(body.get("required")))


@functools.cache
def _validator(uri: str) -> Any:
    return Draft202012Validator({"$ref": uri}, registry=_contract().registry)


#: What the contract (latest) says of a token call without X-Client-Id: no problem in
#: eras whose documents send none.
OPTIONAL_CLIENT_ID = "the required header parameter X-Client-Id is missing"


def check_valid_requests(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    found: list[Violation] = []
    for entry in on_api(entries):
        problems = request_problems(entry)
        if not ctx.profile.client_id_required:  # the 1.0 documents send none (§8)
            problems = [p for p in problems if p != OPTIONAL_CLIENT_ID]
        if problems:
            found.append(violation("valid-requests", _summary(entry, problems), entry))
    return RuleResult.of(found, exercised=bool(on_api(entries)))


def _summary(entry: JournalEntry, problems: list[str]) -> str:
    shown = "; ".join(problems[:MAX_PROBLEMS])
    extra = len(problems) - MAX_PROBLEMS
    more = f" (and {extra} more)" if extra > 0 else ""
    what = entry.operation or f"{entry.method} {entry.path}"
    return f"{what} does not conform to the contract: {shown}{more}"


def request_problems(entry: JournalEntry) -> list[str]:
    """Everything about this request that the contract does not allow, in plain words."""
    contract = _contract()
    op = contract.operations.get(entry.operation or "")
    if op is None:
        return [f"{entry.method} {entry.path} is not an operation of the API"]
    if isinstance(op, _Tool):
        return _argument_problems(entry, op)
    return [
        *_parameter_problems(entry, op),
        *_content_problems(entry, op),
    ]


def _argument_problems(entry: JournalEntry, tool: _Tool) -> list[str]:
    body = entry.request.body
    params = body.get("params") if isinstance(body, dict) else None
    arguments = params.get("arguments", {}) if isinstance(params, dict) else None
    if arguments is None:
        return []  # not recorded (too large): nothing to judge
    errors = sorted(tool.arguments.iter_errors(arguments), key=lambda e: list(e.path))
    return [_shorten(f"arguments{_where(e.absolute_path)}: {e.message}") for e in errors]


def _parameter_problems(entry: JournalEntry, op: _Operation) -> Iterable[str]:
    found = op.pattern.fullmatch(entry.path)
    values = {k: unquote(v) for k, v in found.groupdict().items()} if found else {}
    for param, validator in op.parameters:
        name, where = param["name"], param["in"]
        if where == "path":
            value = values.get(name)
        elif where == "header":
            value = header(entry, name)
        else:
            continue
        if value is None:
            if param.get("required"):
                yield f"the required {where} parameter {name} is missing"
            continue
        for error in validator.iter_errors(value):
            yield _shorten(f"{where} parameter {name}: {error.message}")


def _content_problems(entry: JournalEntry, op: _Operation) -> Iterable[str]:
    if op.bodies is None:
        return
    media = (entry.request.content_type or "").split(";")[0].strip().lower()
    if media and media not in op.bodies:
        yield f"Content-Type {media!r} is not one of {', '.join(op.bodies)}"
        return
    if entry.request.bytes == 0 and entry.request.body is None:
        # Empty, or never read (refused before its body, e.g. 1001): only a 400 tells.
        if op.body_required and error_of(entry) == 400:
            yield f"the request body is missing (send {' or '.join(op.bodies)})"
        return
    if not media:
        yield f"a body was sent without a Content-Type (send {' or '.join(op.bodies)})"
        return
    if media != "application/json" or entry.request.body_omitted == "too large":
        return  # multipart bodies are not recorded: their content type is all we can judge
    if entry.request.body is None:
        yield "the body is not valid JSON"
        return
    validator = _validator(op.bodies[media])
    errors = sorted(validator.iter_errors(entry.request.body), key=lambda e: list(e.path))
    for error in errors:
        yield _shorten(f"body{_where(error.absolute_path)}: {error.message}")


def _where(path: Iterable[Any]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _pointer_get(document: dict[str, Any], pointer: str) -> Any:
    node: Any = document
    for token in pointer.lstrip("/").split("/"):
        node = node[token.replace("~1", "/").replace("~0", "~")]
    return node


def _resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local ``$ref`` (parameters, request bodies) to the object it names."""
    while "$ref" in node:
        node = _pointer_get(document, node["$ref"].removeprefix("#"))
    return node


def _compile(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts)
    )
    return re.compile(regex)


VALID_REQUESTS = Rule(
    id="valid-requests",
    title="Every request valid against the contract",
    section="§4",
    description=(
        "Every request is one of the documented operations and conforms to "
        "contracts/skill/openapi.yaml (§4): path parameters, required headers (X-Client-Id on the "
        "token call, attribution on export), content type, and JSON bodies in snake_case "
        "(camelCase sessionId only on renders, §4.8), validated with JSON Schema 2020-12. "
        "Multipart uploads are judged on their content type only."
    ),
    check=check_valid_requests,
    surfaces=None,
)
