"""One HTTP surface for every call: headers (§2), error detection in both styles (§3), and
the generic recoveries: 429 (wait Retry-After, retry once), 1001 (one new token per
rejection, then the call again, a few times at most) and a dropped connection on a read
(one more try). Everything else is raised for the caller to decide."""

from __future__ import annotations

import mimetypes
import sys
import time
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx

from nemo_mock.client_tests.reference_client import envelope
from nemo_mock.client_tests.reference_client.config import Settings, Task
from nemo_mock.client_tests.reference_client.errors import (
    ApiError,
    ClientError,
    ConnectionLost,
    GaveUp,
    SessionLost,
)

#: §3: "retry once after 30 s" when Retry-After is absent or unreadable.
DEFAULT_RETRY_AFTER_S = 30.0
#: A Retry-After longer than this (unscaled) is not waited out: the client gives up.
MAX_RETRY_AFTER_S = 600.0
#: 1001 gets one new token each time; a call whose new tokens keep being rejected gives up.
MAX_REFRESHES = 3
#: A read (GET) whose connection dropped is sent once more after this wait (unscaled).
DROPPED_READ_WAIT_S = 1.0
TIMEOUT = httpx.Timeout(60.0, connect=10.0)
UPLOAD_TIMEOUT = httpx.Timeout(600.0, connect=10.0)


class Log:
    """A short human log on stderr."""

    def __init__(self, name: str = "nemo") -> None:
        self.name = name

    def __call__(self, message: str) -> None:
        print(f"[{self.name}] {message}", file=sys.stderr, flush=True)


class TokenSource(Protocol):
    def bearer(self) -> str: ...

    def refresh(self) -> None: ...


@dataclass(frozen=True)
class Reply:
    operation: str
    status: int
    body: Any
    headers: Mapping[str, str]

    @property
    def error(self) -> int | None:
        return envelope.error_code(self.status, self.body)

    @property
    def message(self) -> str:
        return envelope.message_of(self.body)


@dataclass
class Budget:
    """What one call has already spent on recoveries."""

    rate_limited: int = 0
    refreshed: int = 0
    dropped: int = 0
    extra: dict[str, int] = field(default_factory=dict)


class Api:
    def __init__(
        self,
        settings: Settings,
        task: Task,
        log: Log,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.task = task
        self.log = log
        self.tokens: TokenSource | None = None
        self.http = httpx.Client(
            base_url=settings.api_url, timeout=TIMEOUT, transport=transport, follow_redirects=False
        )

    def close(self) -> None:
        self.http.close()

    # ----------------------------------------------------------------- headers

    def headers(self, method: str, *, auth: bool) -> dict[str, str]:
        """The three attribution headers on every call; the bearer token on all but the
        token call (never in a URL)."""
        headers = dict(self.settings.attribution)
        if auth:
            if self.tokens is None:
                raise ClientError("no token source")
            headers["Authorization"] = f"Bearer {self.tokens.bearer()}"
        return headers

    # ----------------------------------------------------------------- calls

    def call(
        self,
        operation: str,
        method: str,
        path: str,
        *,
        json: Any = None,
        files: Sequence[Path] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: bool = True,
        timeout: httpx.Timeout | None = None,
    ) -> Reply:
        """Send a call, recover from 429 and 1001 as documented, return the success."""
        budget = Budget()
        while True:
            try:
                response = self._send(
                    method,
                    path,
                    json=json,
                    files=files,
                    headers=headers,
                    auth=auth,
                    timeout=timeout,
                )
            except ConnectionLost:
                if method != "GET" or budget.dropped:
                    raise
                budget.dropped += 1
                self.log(f"{operation}: the connection dropped; reading once more")
                self.sleep(self.task.wait(DROPPED_READ_WAIT_S))
                continue
            reply = _reply(operation, response)
            if reply.error is None:
                return reply
            if not self.recover(reply, budget, auth=auth):
                raise self.failure(reply)

    def open_stream(
        self,
        operation: str,
        path: str,
        *,
        json: Any,
        read_timeout: float,
    ) -> httpx.Response:
        """POST and return the open event stream; an error answer (ordinary JSON) goes
        through the same recoveries as any call. The caller closes the response.
        ``ConnectionLost``: the connection broke before the stream began."""
        budget = Budget()
        extra = {"Accept": "text/event-stream", "Content-Type": "application/json"}
        timeout = httpx.Timeout(TIMEOUT.connect or 10.0, read=max(read_timeout, 0.05))
        while True:
            response = self._send(
                "POST", path, json=json, headers=extra, auth=True, timeout=timeout, stream=True
            )
            kind = response.headers.get("content-type", "")
            if response.status_code == 200 and kind.startswith("text/event-stream"):
                return response
            try:
                response.read()
            except httpx.TransportError as exc:
                raise _connection_lost("POST", path, exc) from exc
            finally:
                response.close()
            reply = _reply(operation, response)
            if reply.error is None:
                raise ClientError(f"{operation} answered {response.status_code} without a stream")
            if not self.recover(reply, budget, auth=True):
                raise self.failure(reply)

    def download(self, url: str, target: Path, *, auth: bool) -> None:
        """GET a file to ``target`` (written whole, then moved into place)."""
        headers = self.headers("GET", auth=auth) if auth else {}
        partial = target.with_name(target.name + ".part")
        target.parent.mkdir(parents=True, exist_ok=True)
        with self.http.stream("GET", url, headers=headers, timeout=UPLOAD_TIMEOUT) as response:
            if response.status_code != 200:
                raise ClientError(f"downloading {url} answered HTTP {response.status_code}")
            with partial.open("wb") as out:
                for chunk in response.iter_bytes():
                    out.write(chunk)
        if partial.stat().st_size == 0:
            partial.unlink()
            raise ClientError(f"downloading {url} gave an empty file")
        partial.replace(target)

    # ----------------------------------------------------------------- recoveries

    def recover(self, reply: Reply, budget: Budget, *, auth: bool) -> bool:
        """Whether to send the call again (after any wait or token refresh)."""
        code = reply.error
        if code == 429:
            if budget.rate_limited:
                raise GaveUp(f"{reply.operation} was rate limited again after one retry")
            budget.rate_limited += 1
            asked = retry_after(reply)
            if asked > MAX_RETRY_AFTER_S:
                raise GaveUp(f"{reply.operation} was rate limited for {asked:g} s: too long")
            wait = self.task.wait(asked)
            self.log(f"{reply.operation}: rate limited (429); retrying once in {wait:.2f} s")
            self.sleep(wait)
            return True
        if code == 1001 and auth and self.tokens is not None:
            if budget.refreshed >= MAX_REFRESHES:
                raise GaveUp(f"{reply.operation}: {budget.refreshed} new tokens were rejected")
            budget.refreshed += 1
            self.log(f"{reply.operation}: token rejected (1001); getting a new one")
            self.tokens.refresh()
            return True
        return False

    def failure(self, reply: Reply) -> ApiError:
        code = reply.error if reply.error is not None else reply.status
        kind = SessionLost if code == 1002 else ApiError
        return kind(reply.operation, code, reply.message, reply.body)

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    # ----------------------------------------------------------------- wire

    def _send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        files: Sequence[Path] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: bool = True,
        timeout: httpx.Timeout | None = None,
        stream: bool = False,
    ) -> httpx.Response:
        all_headers = {**self.headers(method, auth=auth), **(headers or {})}
        with ExitStack() as stack:
            parts = None
            if files is not None:
                parts = [
                    ("files", (f.name, stack.enter_context(f.open("rb")), _mime(f))) for f in files
                ]
            request = self.http.build_request(
                method,
                path,
                json=json,
                files=parts,
                headers=all_headers,
                timeout=timeout or (UPLOAD_TIMEOUT if files else TIMEOUT),
            )
            try:
                return self.http.send(request, stream=stream)
            except httpx.TransportError as exc:
                raise _connection_lost(method, path, exc) from exc
            except httpx.HTTPError as exc:
                raise ClientError(f"{method} {path} failed: {exc!r}") from exc


def _connection_lost(method: str, path: str, exc: httpx.TransportError) -> ConnectionLost:
    return ConnectionLost(f"{method} {path}: the connection broke ({exc!r})")


def retry_after(reply: Reply) -> float:
    raw = reply.headers.get("retry-after")
    try:
        value = float(raw) if raw is not None else DEFAULT_RETRY_AFTER_S
    except ValueError:
        return DEFAULT_RETRY_AFTER_S
    return value if value >= 0 else DEFAULT_RETRY_AFTER_S


def _reply(operation: str, response: httpx.Response) -> Reply:
    try:
        body = response.json() if response.content else None
    except ValueError:
        body = None
    return Reply(operation, response.status_code, body, response.headers)


def _mime(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"
