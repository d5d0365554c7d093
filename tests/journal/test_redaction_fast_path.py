"""The journal's fast path (issue 18): an exchange whose material holds nothing redaction could
change is recorded without redacting each piece. ``redaction_needed`` must never say "no" when
the full ``Redactor`` would change something, and an entry built the fast way equals the one
built the long way."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from hypothesis import example, given, settings
from hypothesis import strategies as st

from nemo_mock.mock_server.journal import middleware
from nemo_mock.mock_server.journal.capture import Redactor, redaction_needed
from tests.conftest import Api
from tests.journal.conftest import journal_entries

KNOWN = "opaque-secret-value"
#: Fragments that are harmless alone (several may join into something redaction changes) and
#: fragments that make something redaction changes; the harmless ones come far more often, so
#: many examples reach the fast path.
HARMLESS = ["abc", "_", "/", " ", "nmv", "usr_", "clm", "nmv_usr", "token", KNOWN[:-1], "5F"]
RISKY = [
    "nmv_usr_",
    "nmv_mcp_x",
    "clm_",
    "%",
    "%5F",
    "nmv%5Fusr",
    "%6Emv_usr_",
    "\\u006e",
    'token"',
    '"claim_token": ',
    "client_secret",
    "code_verifier",
    KNOWN,
    "\ud800",
    "é",
    '"',
    "\\",
]
texts = st.lists(st.sampled_from(HARMLESS * 6 + RISKY), max_size=5).map("".join)


SECRET_KEYS = ["token", "claim_token", "access_token", "client_secret", "code_verifier"]
keys = st.one_of(st.sampled_from([*SECRET_KEYS, "note", "a"]), st.sampled_from(SECRET_KEYS), texts)


def json_bodies() -> st.SearchStrategy[bytes]:
    leaves = st.one_of(texts, st.integers(), st.none())
    values = st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(keys, inner, max_size=3)
        ),
        max_leaves=8,
    )
    return st.builds(encoded, values, st.booleans())


def encoded(value: object, ascii_only: bool) -> bytes:
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


@settings(max_examples=1000, deadline=None)
@given(pieces=st.lists(texts, max_size=4), bodies=st.lists(json_bodies(), max_size=2))
@example(pieces=[], bodies=[b'{"client_secret": "abc"}'])
@example(pieces=[], bodies=[b'["\\ud800"]'])
@example(pieces=["/a/nmv%5Fusr%5Fx"], bodies=[])
def test_when_no_redaction_is_needed_the_redactor_changes_nothing(pieces, bodies):
    redactor = Redactor([KNOWN, "short"])
    if redaction_needed([*pieces, *bodies], [KNOWN, "short"]):
        return
    for piece in pieces:
        assert redactor.text(piece) == piece
        assert redactor.found(piece) == []
    for body in bodies:
        parsed = json.loads(body)
        assert redactor.json(parsed) == parsed


@pytest.mark.parametrize(
    "piece",
    [
        "/x?token=nmv_usr_abc",
        "/x/nmv%5Fusr%5Fabc",
        b'{"token": "anything"}',
        b'{"note": "\\u006emv_usr_abc"}',
        f"header {KNOWN}",
        KNOWN.encode(),
        "caf\u00e9",
        b'{"a": "\xe4\xbd\xa0"}',
    ],
)
def test_any_trigger_takes_the_long_way(piece):
    assert redaction_needed(["/api/credits/balance/simple", piece], [KNOWN])


def test_a_secret_json_would_escape_takes_the_long_way():
    assert redaction_needed(["clean"], ['quote"inside-secret'])
    assert not redaction_needed(["clean", b'{"a": 1}'], [KNOWN, "", "short"])


def test_a_fast_entry_equals_the_long_ways(api: Api, monkeypatch):
    """The same exchanges recorded both ways give the same entries (but their times)."""
    fast = record_some(api)
    monkeypatch.setattr(middleware, "redaction_needed", lambda pieces, known: True)
    api.client.post("/_mock/reset")
    slow = record_some(api)
    assert len(fast) == len(slow) == 3
    for one, other in zip(fast, slow, strict=True):
        assert without_times(one) == without_times(other)


def record_some(api: Api) -> list[dict]:
    client: TestClient = api.client
    headers = api.auth(client_id="client-1")
    client.get("/api/credits/balance/simple", headers=headers)
    client.get("/api/credits/balance/simple", headers={**headers, "X-Note": "plain"})
    client.get("/api/credits/balance/simple?x=1", headers=headers)
    return journal_entries(client, operation="getCreditBalance")


def without_times(entry: dict) -> dict:
    """The entry without its times and with every fingerprint alike (each run's token is new)."""
    cleaned = {k: v for k, v in entry.items() if k not in ("seq", "duration_ms", "at", "at_ms")}
    return json.loads(re.sub(r"fp_[0-9a-f]{16}", "fp_x", json.dumps(cleaned)))


@settings(max_examples=500, deadline=None)
@given(text=texts)
@example(text="caf\u00e9 \ud800")
@example(text="x nmv_usr_abc")
def test_redact_skipping_clean_text_gives_what_the_full_pass_gives(text):
    from nemo_mock.mock_server.domain import secrets

    quick = secrets.redact(text)
    original = secrets._plainly_clean
    secrets._plainly_clean = lambda _: False  # type: ignore[assignment]
    try:
        assert quick == secrets.redact(text)
    finally:
        secrets._plainly_clean = original  # type: ignore[assignment]
