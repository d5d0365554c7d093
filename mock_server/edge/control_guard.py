"""``ControlGuard``: with ``--control-token``, the mock's control surface needs the secret.

A shared mock (one per CI fleet or department) keeps its NemoVideo surfaces open to every
client while the things that change or reveal the mock as a whole are locked:

* every ``/_mock`` path (faults, scenarios, clock, accounts, reset, the journal and its HAR
  export) except the ones a deployment or a reader needs: ``/_mock/health``, the control
  plane's contract and docs (``/_mock/openapi.json``, ``/_mock/docs``, ``/_mock/swagger-ui``,
  ``/_mock/surfaces/…``);
* the ``X-Mock-Fault`` and ``X-Mock-Era`` headers on any request.

The secret travels as ``X-Mock-Control-Token: <secret>`` (or, on ``/_mock`` paths only,
``Authorization: Bearer <secret>``). Missing or wrong: 401, the envelope naming the header;
nothing behind the guard runs. Compared in constant time; never journaled or logged.
"""

from __future__ import annotations

import hmac

from starlette.types import ASGIApp, Receive, Scope, Send

from nemo_mock.mock_server.domain.errors import ControlLocked
from nemo_mock.mock_server.edge.answer import refuse

HEADER = b"x-mock-control-token"
FAULT_HEADER = b"x-mock-fault"
ERA_HEADER = b"x-mock-era"
#: ``/_mock`` paths that stay open: health for deployments, contracts and docs for readers.
OPEN_PATHS = ("/_mock/health", "/_mock/openapi.json", "/_mock/docs")
OPEN_PREFIXES = ("/_mock/swagger-ui/", "/_mock/surfaces/")


_HEADER_NAMES = {FAULT_HEADER: "X-Mock-Fault", ERA_HEADER: "X-Mock-Era"}


def is_locked_path(path: str) -> bool:
    if path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
        return False
    return path == "/_mock" or path.startswith("/_mock/")


class ControlGuard:
    def __init__(self, app: ASGIApp, *, token: str) -> None:
        self.app = app
        self._token = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        control_path = is_locked_path(scope.get("path", ""))
        special = next((h for h in (FAULT_HEADER, ERA_HEADER) if h in headers), None)
        if (control_path or special) and not self._holds(headers, control_path):
            what = (
                "the control plane (/_mock)"
                if control_path
                else f"the {_HEADER_NAMES[special or FAULT_HEADER]} header"
            )
            sent = HEADER in headers or (control_path and b"authorization" in headers)
            why = "a wrong control token was sent" if sent else "no control token was sent"
            exc = ControlLocked(
                f"{what} needs the control token (--control-token): {why}; send "
                "X-Mock-Control-Token: <token>"
            )
            await refuse(exc, scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _holds(self, headers: dict[bytes, bytes], control_path: bool) -> bool:
        candidates = [headers.get(HEADER, b"")]
        if control_path:
            scheme, _, raw = headers.get(b"authorization", b"").partition(b" ")
            if scheme.lower() == b"bearer":
                candidates.append(raw.strip())
        return any(hmac.compare_digest(c, self._token) for c in candidates if c)
