"""``edge/body_headers``: what the headers say of the body, read once per request."""

from __future__ import annotations

from typing import Any

import pytest

from nemo_mock.mock_server.edge.body_headers import BODY_HEADERS, BodyHeaders, body_headers


def scope_with(*pairs: tuple[bytes, bytes]) -> dict[str, Any]:
    return {"type": "http", "headers": list(pairs)}


def test_the_last_value_of_each_header_counts_as_a_dict_of_the_pairs_would_keep():
    said = body_headers(
        scope_with(
            (b"content-length", b"5"),
            (b"content-type", b"text/plain"),
            (b"content-length", b"12"),
            (b"content-type", b"Application/JSON; charset=utf-8"),
        )
    )
    assert said == BodyHeaders(length=b"12", media_type=b"application/json", chunked=False)


@pytest.mark.parametrize(
    ("pairs", "present"),
    [
        ((), False),
        (((b"content-length", b"0"),), False),
        (((b"content-length", b"3"),), True),
        (((b"transfer-encoding", b"chunked"),), True),
        (((b"content-length", b"0"), (b"transfer-encoding", b"chunked")), True),
    ],
)
def test_a_body_is_present_with_a_length_other_than_zero_or_a_transfer_encoding(
    pairs: tuple[tuple[bytes, bytes], ...], present: bool
):
    assert body_headers(scope_with(*pairs)).present is present


def test_read_once_then_kept_in_the_scope():
    scope = scope_with((b"content-length", b"3"))
    first = body_headers(scope)
    scope["headers"] = []  # not read again
    assert scope[BODY_HEADERS] is first and body_headers(scope) is first
