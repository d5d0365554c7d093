"""The journal's pure pieces: SSE splitting, body capture, redaction."""

import json

import pytest

from nemo_mock.mock_server.domain.secrets import fingerprint
from nemo_mock.mock_server.journal.capture import (
    BODY_LIMIT,
    BodyCapture,
    Redactor,
    SseParser,
    as_fingerprint,
    event_data,
)

TOKEN = "nmv_usr_Q3vX8nLp2RtYabcdef"


def parse(*chunks: bytes) -> list[str]:
    parser = SseParser()
    for i, chunk in enumerate(chunks):
        parser.feed(chunk, float(i))
    parser.close(float(len(chunks)))
    return [e.data for e in parser.events]


def test_one_chunk_may_hold_several_events():
    assert parse(b'data: {"a":1}\n\ndata: {"b":2}\n\n') == ['{"a":1}', '{"b":2}']


def test_an_event_may_span_chunks_and_is_timed_when_it_ends():
    parser = SseParser()
    parser.feed(b'data: {"type":', 1.0)
    assert parser.events == []
    parser.feed(b'"text"}\n', 2.0)
    parser.feed(b"\n", 3.0)
    assert [(e.at_ms, e.data) for e in parser.events] == [(3.0, '{"type":"text"}')]


def test_crlf_split_between_chunks_is_one_line_end():
    assert parse(b"data: x\r", b"\n\r\ndata: y\r\n\r\n") == ["x", "y"]


def test_keepalives_are_empty_data_and_comments_are_not_events():
    assert parse(b"data:\n\n: ping\n\ndata: \n\n") == ["", ""]


def test_multi_line_data_is_joined_and_the_space_after_the_colon_dropped():
    assert parse(b"data: a\ndata:b\nid: 7\n\n") == ["a\nb"]


def test_a_malformed_block_is_kept_raw_and_a_truncated_event_still_counts():
    assert parse(b'garbage here\n\ndata: {"type":"te') == ["garbage here", '{"type":"te']


def test_a_utf8_character_split_between_chunks_survives():
    text = 'data: {"content":"你好"}\n\n'.encode()
    assert parse(text[:17], text[17:]) == ['{"content":"你好"}']


@pytest.mark.parametrize(
    ("block", "data"),
    [("data", ""), (": only a comment", None), ("", None), ("event: x", "event: x")],
)
def test_event_data_of_odd_blocks(block, data):
    assert event_data(block) == data


def test_a_json_body_is_parsed_and_counted():
    body = BodyCapture("application/json; charset=utf-8")
    for part in (b'{"session_id": ', b'"42"}'):
        body.feed(part)
    assert body.parsed() == ({"session_id": "42"}, None) and body.bytes == 20


@pytest.mark.parametrize(
    ("content_type", "chunks", "why"),
    [
        ("multipart/form-data; boundary=x", [b"--x\r\n"], "multipart"),
        ("text/plain", [b"hello"], "not json"),
        (None, [b"{}"], "not json"),
        ("application/json", [b"{nope"], "not json"),
        ("application/json", [b'{"x": NaN}'], "not json"),
        ("application/json", [b"[" * 10_000 + b"]" * 10_000], "not json"),
        ("application/json", [b"[" + b"1," * BODY_LIMIT + b"1]"], "too large"),
    ],
)
def test_bodies_that_are_not_kept_say_why(content_type, chunks, why):
    body = BodyCapture(content_type)
    for chunk in chunks:
        body.feed(chunk)
    assert body.parsed() == (None, why)
    assert body.bytes == sum(map(len, chunks))


def test_an_empty_body_is_nothing_to_explain():
    assert BodyCapture("application/json").parsed() == (None, None)


def test_a_large_json_body_is_copied_only_up_to_the_limit():
    body = BodyCapture("application/json")
    for _ in range(100):
        body.feed(b" " * 65536)
    assert body.bytes == 100 * 65536
    assert len(body._copy) == BODY_LIMIT + 1


def test_redactor_fingerprints_patterns_known_secrets_and_secret_keys():
    redactor = Redactor(["opaque-secret-value", "short"])
    value = {
        "token": "anything at all",
        "claim_token": 12345,
        "nested": [{"note": f"sent {TOKEN} and opaque-secret-value"}, None, 3],
        TOKEN: "a key",
        "free": "short stays",
    }
    out = redactor.json(value)
    text = json.dumps(out)
    assert TOKEN not in text and "opaque-secret-value" not in text and "anything" not in text
    assert out["token"] == f"<{fingerprint('anything at all')}>"
    assert out["claim_token"] == f"<{fingerprint('12345')}>"
    assert out["nested"][0]["note"] == (
        f"sent <{fingerprint(TOKEN)}> and <{fingerprint('opaque-secret-value')}>"
    )
    assert out["free"] == "short stays"  # known secrets under 8 characters are not searched


def test_found_lists_known_secrets_and_patterns():
    redactor = Redactor(["opaque-secret-value"])
    assert redactor.found(f"/x?a=opaque-secret-value&t={TOKEN}") == [
        fingerprint("opaque-secret-value"),
        fingerprint(TOKEN),
    ]


@pytest.mark.parametrize(
    "given", [fingerprint(TOKEN), f"<{fingerprint(TOKEN)}>", TOKEN, f"  {TOKEN} "]
)
def test_a_token_filter_accepts_a_fingerprint_or_the_raw_token(given):
    assert as_fingerprint(given) == fingerprint(TOKEN)
