"""``edge/headers.request_headers``: what the layers ask of a request's headers (its body,
its credential, a fault header), read in one pass, once per request."""

from __future__ import annotations

from typing import Any

import pytest

from nemo_mock.mock_server.edge.headers import (
    REQUEST_HEADERS,
    Credential,
    credential_of,
    request_headers,
)


def scope_with(*pairs: tuple[bytes, bytes]) -> dict[str, Any]:
    return {"type": "http", "headers": list(pairs)}


def test_the_last_value_of_each_header_counts_as_a_dict_of_the_pairs_would_keep():
    said = request_headers(
        scope_with(
            (b"content-length", b"5"),
            (b"content-type", b"text/plain"),
            (b"content-length", b"12"),
            (b"content-type", b"Application/JSON; charset=utf-8"),
        )
    )
    assert (said.length, said.media_type, said.chunked) == (b"12", b"application/json", False)
    assert said.credential == Credential() and not said.fault


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
    assert request_headers(scope_with(*pairs)).present is present


def test_read_once_then_kept_in_the_scope():
    scope = scope_with((b"content-length", b"3"))
    first = request_headers(scope)
    scope["headers"] = []  # not read again
    assert scope[REQUEST_HEADERS] is first and request_headers(scope) is first
    assert credential_of(scope) is first.credential


def test_every_authorization_value_in_order_and_the_fault_header_in_any_case():
    said = request_headers(
        scope_with(
            (b"host", b"x"),
            (b"Authorization", b"Bearer nmv_one"),
            (b"x-request-id", b"abc"),  # twelve letters, as content-type and x-mock-fault
            (b"authorization", b"Bearer nmv_two"),
            (b"X-Mock-Fault", b"error=1001"),
            (b"Transfer-Encoding", b"chunked"),
        )
    )
    assert said.credential.values == ("Bearer nmv_one", "Bearer nmv_two")
    assert said.credential.token is None  # two values: none is the token
    assert said.fault and said.chunked and said.present and said.media_type == b""


def test_a_single_bearer_is_the_token():
    said = request_headers(scope_with((b"authorization", b"bearer  nmv_abc ")))
    assert said.credential.token == "nmv_abc" and not said.fault
