"""The raw capture (issue 18): an exchange keeps its messages' atoms as they pass (header
pairs, status, the body's head) and decodes them only when its entry is built. A plain one is
stored as those atoms and built when read (``journal/deferred.py``); whatever the exchange,
that entry is the one built at once from the same exchange, its access line the built
entry's, and no raw token is in either."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from nemo_mock.mock_server.domain.clock import ManualClock
from nemo_mock.mock_server.domain.secrets import redact
from nemo_mock.mock_server.edge.scope import NOTES
from nemo_mock.mock_server.journal import deferred
from nemo_mock.mock_server.journal.access import access_line
from nemo_mock.mock_server.journal.book import Journal
from nemo_mock.mock_server.journal.capture import BODY_LIMIT
from nemo_mock.mock_server.journal.entry import EntrySummary, JournalEntry
from nemo_mock.mock_server.journal.middleware import JournalMiddleware

#: Tokens the exchanges carry. The mock's own forms (``nmv_usr_…``, ``clm_…``) never appear
#: raw in an entry or an access line, nor does the bearer token the exchange was sent with.
TOKENS = ["tok-abcdefgh1", "nmv_usr_0123456789abcdef", "clm_zzzzzzzzzzzz", "tok-Q9%2Fsecret"]
BEARER = f"Bearer {TOKENS[0]}".encode()

paths = st.sampled_from(
    [
        "/api/credits/balance/simple",
        "/api/render/proxy/lambda/nothing-here",
        f"/api/render/proxy/lambda/{TOKENS[0]}",
        "/api/render/proxy/lambda/caf\xe9",
        "/billing/balance",
        "/api/anything/x%41",
    ]
)
queries = st.sampled_from(
    [b"", b"x=1", f"token={TOKENS[1]}".encode(), b"q=%41%20b&c", b"caf\xe9=1", b"a=nmv%5Fusr_x"]
)
header_values = st.sampled_from(
    [
        BEARER,
        f"bearer  {TOKENS[1]} ".encode(),
        TOKENS[2].encode(),
        b"Bearer",
        b"",
        b"caf\xe9",
        b"text/plain",
        b"application/json",
        f"see {TOKENS[3]}".encode(),
    ]
)
header_names = st.sampled_from(
    [
        b"authorization",
        b"Authorization",
        b"x-client-id",
        b"x-mock-control-token",
        b"content-type",
        b"x-dup",
        b"X-Dup",
        b"user-agent",
        b"x-caf\xe9",
    ]
)
response_types = st.sampled_from(
    [
        [(b"content-type", b"application/json")],
        [(b"content-type", b"application/json; charset=utf-8")],
        [(b"Content-Type", b"application/problem+json")],
        [(b"content-type", b"text/plain")],
        [(b"content-type", b"application/json"), (b"content-type", b"text/plain")],
        [],
    ]
)
documents = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.sampled_from([*TOKENS, "x"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["code", "data", "token", "claim_token", "msg"]), inner)
    ),
    max_leaves=8,
)
bodies = st.one_of(
    documents.map(lambda d: json.dumps(d).encode()),
    documents.map(lambda d: json.dumps({"code": 1001, "data": d}, separators=(",", ":")).encode()),
    st.sampled_from([b"", b"not json", b"caf\xe9", b'{"code":0,', b"NaN"]),
)
notes = st.dictionaries(
    st.sampled_from(["turn", "why", "token"]),
    st.sampled_from([1, "busy", TOKENS[0], float("nan"), [1, {"a": TOKENS[2]}]]),
    max_size=2,
)


@dataclass
class Plan:
    """One exchange as the middleware sees it: what the client sent and how the app answered."""

    method: str
    path: str
    query: bytes
    headers: list[tuple[bytes, bytes]]
    status: int
    response_headers: list[tuple[bytes, bytes]]
    body: bytes
    chunks: int
    notes: dict[str, Any]
    ending: str  # "complete" | "unfinished" | "nothing"
    #: Bytes of padding around ``body``: a body over the journal's limit ("too large").
    padding: int = 0


plans = st.builds(
    Plan,
    method=st.sampled_from(["GET", "DELETE", "HEAD", "POST"]),
    path=paths,
    query=queries,
    headers=st.lists(st.tuples(header_names, header_values), max_size=6),
    status=st.sampled_from([200, 401, 404, 500]),
    response_headers=response_types,
    body=bodies,
    chunks=st.integers(1, 3),
    notes=notes,
    ending=st.sampled_from(["complete", "complete", "unfinished", "nothing"]),
    padding=st.sampled_from([0, 0, 0, BODY_LIMIT]),
)


def run(plan: Plan, journal: Journal) -> None:
    async def app(scope: dict, receive: Any, send: Any) -> None:
        scope[NOTES].update(plan.notes)
        if plan.ending == "nothing":
            return
        await send(
            {"type": "http.response.start", "status": plan.status, "headers": plan.response_headers}
        )
        body = b"[%b]" % (b" " * plan.padding + plan.body) if plan.padding else plan.body
        size = -(-len(body) // plan.chunks) or 1
        pieces = [body[i : i + size] for i in range(0, len(body), size)] or [b""]
        for n, piece in enumerate(pieces):
            last = n == len(pieces) - 1 and plan.ending == "complete"
            await send({"type": "http.response.body", "body": piece, "more_body": not last})

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        return None

    scope = {
        "type": "http",
        "method": plan.method,
        "path": plan.path,
        "query_string": plan.query,
        "headers": list(plan.headers),
    }
    middleware = JournalMiddleware(app, journal=journal, clock=ManualClock())
    asyncio.run(middleware(scope, receive, send))


def recorded(plan: Plan, *, at_once: bool) -> tuple[JournalEntry, list[EntrySummary]]:
    journal, summaries = Journal(10), []
    journal.listeners.append(summaries.append)
    if at_once:
        with mock.patch.object(deferred, "deferrable", lambda exchange, fault: False):
            run(plan, journal)
    else:
        run(plan, journal)
    (entry,) = journal.query()
    return entry, summaries


def without_duration(entry: JournalEntry) -> dict[str, Any]:
    return entry.model_dump(mode="json", exclude={"duration_ms"})


@settings(max_examples=300, deadline=None)
@given(plan=plans)
def test_an_entry_built_when_read_is_the_one_built_at_once(plan: Plan) -> None:
    pending, summaries = recorded(plan, at_once=False)
    at_once, _ = recorded(plan, at_once=True)
    assert isinstance(summaries[0], deferred.Summary)  # it was stored pending
    assert without_duration(pending) == without_duration(at_once)
    assert access_line(summaries[0]) == access_line(pending)
    shown = pending.model_dump_json() + redact(access_line(summaries[0]))
    sent = any(k.lower() == b"authorization" and v == BEARER for k, v in plan.headers)
    secrets = [TOKENS[1], TOKENS[2], *([TOKENS[0]] if sent else [])]
    assert not any(secret in shown for secret in secrets), shown


def test_a_body_kept_raw_is_only_its_head_and_a_non_json_one_is_not_stored() -> None:
    journal = Journal(10)
    big = Plan("GET", "/api/anything", b"", [], 200, [(b"content-type", b"application/json")],
               b"[" + b"1," * BODY_LIMIT + b"1]", 3, {}, "complete")  # fmt: skip
    run(big, journal)
    text = Plan("GET", "/api/anything", b"", [], 200, [(b"content-type", b"text/plain")],
                b'{"code":7}', 1, {}, "complete")  # fmt: skip
    run(text, journal)
    assert journal.last_seq == 2  # the inbox admitted
    (*_, big_atoms, _), (*_, text_atoms, _) = journal._entries
    assert len(big_atoms[10]) == BODY_LIMIT + 1 and big_atoms[9] == len(big.body)
    assert text_atoms[10] == b""  # not JSON: nothing of it is parsed, nothing is kept
    first, second = journal.query()
    assert first.response is not None and first.response.body_omitted == "too large"
    assert second.response is not None and second.response.bytes == 10 and second.code is None


def test_a_stream_or_another_body_that_is_not_json_is_counted_not_held() -> None:
    from nemo_mock.mock_server.journal.middleware import Exchange

    for content_type in (b"text/event-stream", b"text/html", b"application/json, text/plain"):
        exchange = Exchange({"method": "GET", "path": "/run_sse"}, ManualClock())
        start = [(b"Content-Type", content_type)]
        exchange._on_start({"type": "http.response.start", "status": 200, "headers": start})
        for _ in range(100):
            exchange._on_body({"type": "http.response.body", "body": b"data: {}\n\n" * 100})
        assert exchange.response_size == 100_000 and exchange.response_parts == [], content_type
    exchange = Exchange({"method": "GET", "path": "/x"}, ManualClock())
    exchange._on_start({"type": "http.response.start", "status": 200, "headers": []})
    exchange._on_body({"type": "http.response.body", "body": b"{}"})
    assert exchange.response_parts == []  # no content-type: not JSON either
