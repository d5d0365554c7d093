"""``RequestFacts``: what the edge knows of a request before any route runs, built once.

The journal records these facts and the fault book matches rules on them, so
both name a request alike: its surface, its operation (``surface.operationId``,
bare for the skill surface) and path parameters, the caller's token
fingerprint, client id and session. The first layer that asks builds them
(``facts_of``) and keeps them in the scope; a session named only in a small
JSON body is added by whoever reads that body ahead (``with_body``), and so is the tool a
JSON-RPC body calls on the MCP surface (the operation becomes ``mcp.<tool>``).
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from types import MappingProxyType
from typing import Any, NamedTuple
from urllib.parse import parse_qs

from nemo_mock.mock_server.domain.secrets import fingerprint
from nemo_mock.mock_server.edge.headers import Credential, RawHeaders, credential_of, header
from nemo_mock.mock_server.edge.surfaces import resolve, surface_named

#: The scope key of this request's ``RequestFacts``.
FACTS = "nemo_mock.facts"
#: The body keys that name a session (``sessionId`` on render starts, §4.8).
SESSION_KEYS = ("session_id", "sessionId")


#: No path parameters (read-only: one shared default).
NO_PARAMS: Mapping[str, str] = MappingProxyType({})


class RequestFacts(NamedTuple):
    """What the journal records and fault rules match on, taken from one request. A named
    tuple: built for every journaled request, a frozen dataclass cost ~2 µs (issue 18)."""

    method: str
    path: str
    operation: str | None = None
    token: str | None = None  # fingerprint, never the token
    client_id: str | None = None
    session: str | None = None
    surface: str | None = None
    params: Mapping[str, str] = NO_PARAMS

    def with_session(self, session: str | None) -> RequestFacts:
        """These facts, with the session a body names when the path named none."""
        if self.session is not None or session is None:
            return self
        return self._replace(session=session)


def facts_of(scope: MutableMapping[str, Any]) -> RequestFacts:
    """This request's facts: built on the first call, then read from the scope."""
    facts = scope.get(FACTS)
    if not isinstance(facts, RequestFacts):
        facts = _build(scope)
        scope[FACTS] = facts
    return facts


def note_body_session(scope: MutableMapping[str, Any], document: Any) -> RequestFacts:
    """Add what a parsed request body says (``with_body``) to this request's facts."""
    facts = with_body(facts_of(scope), document)
    scope[FACTS] = facts
    return facts


def with_body(facts: RequestFacts, document: Any) -> RequestFacts:
    """``facts`` with what a parsed body adds: the session it names and, for a JSON-RPC
    ``tools/call`` on the MCP surface, the tool as the operation (its arguments' session)."""
    surface = surface_named(facts.surface) if facts.surface else None
    tool = surface.body_operation(facts.operation, document) if surface else None
    if tool is None:
        return facts.with_session(session_in(document))
    arguments = document["params"].get("arguments")
    return facts._replace(operation=tool).with_session(session_in(arguments))


def session_in(document: Any) -> str | None:
    """The session a JSON body names: ``session_id`` or ``sessionId``, a string or a whole
    number (as text); anything else names none."""
    if not isinstance(document, dict):
        return None
    for key in SESSION_KEYS:
        value = document.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool):
            return str(value)
    return None


def _build(scope: MutableMapping[str, Any]) -> RequestFacts:
    method, path = str(scope.get("method", "GET")), str(scope.get("path", ""))
    facts = http_facts(method, path, scope.get("headers", []), credential_of(scope))
    if scope.get("type") != "websocket":
        return facts
    # the gateway's chat: token and session in the URL
    query = parse_qs(bytes(scope.get("query_string", b"")).decode("latin-1"))
    raw = query.get("token", [""])[0]
    token = facts.token or (fingerprint(raw) if raw else None)
    params = {**facts.params}
    params.setdefault("session_id", query.get("session_id", [""])[0])
    params = {k: v for k, v in params.items() if v}
    return facts._replace(token=token, session=params.get("session_id"), params=params)


def http_facts(
    method: str, path: str, headers: RawHeaders, credential: Credential | None = None
) -> RequestFacts:
    """The facts of an HTTP request: all of them follow from its method, path and headers
    (the journal builds a plain exchange's facts from those when it is read, issue 18)."""
    resolved = resolve(method, path)
    params = dict(resolved.params) if resolved else {}
    return RequestFacts(
        method=method,
        path=path,
        operation=resolved.operation if resolved else None,
        token=(credential if credential is not None else Credential.of(headers)).fingerprint,
        client_id=header(headers, "x-client-id"),
        session=params.get("session_id"),
        surface=resolved.surface.name if resolved else None,
        params=params,
    )
