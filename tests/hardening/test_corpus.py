"""The bad-input corpus (issue 13, "Also"): every case of ``cases.py`` against one mock.

For each: no 5xx; a 4xx is the error envelope and its message names what was wrong (one
of the case's ``mentions``); afterwards the state is intact: the user's credits still add
up (``total = available + frozen``, nothing negative), the session and the journal read,
and the journal holds no raw token (the user's own, or one typed into a field).
"""

from __future__ import annotations

import pytest

from tests.hardening.cases import Case, all_cases, multipart
from tests.hardening.conftest import World

CASES = all_cases()


def _param(case: Case) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
    return pytest.param(case, id=case.id, marks=marks)


def send(world: World, case: Case):
    headers = {**world.headers, **case.headers}
    if case.content_type is not None:
        headers["Content-Type"] = case.content_type
    body = case.body
    if case.files:
        parts = [
            (name, world.fill(filename), world.contents.get(content.decode(), content), kind)
            for name, filename, content, kind in case.files
        ]
        body = multipart(parts)
    elif body is not None:
        body = world.fill_bytes(body)
    return world.client.request(case.method, world.fill(case.path), content=body, headers=headers)


FAKE_TOKEN = "nmv_usr_corpusFakeToken0123456789"


def assert_intact(world: World, since: int) -> None:
    balance = world.client.get("/api/credits/balance/simple", headers=world.headers)
    assert balance.status_code == 200, balance.text
    credits = balance.json()["data"]
    assert credits["total"] == credits["available"] + credits["frozen"], credits
    assert min(credits.values()) >= 0, credits
    state = world.client.get(
        f"/api/state/nemo_agent/me/{world.session_id}/latest", headers=world.headers
    )
    assert state.status_code == 200, state.text
    journal = world.client.get("/_mock/journal", params={"since": since})
    assert journal.status_code == 200, journal.text
    raw_token = world.headers["Authorization"].removeprefix("Bearer ")
    assert raw_token not in journal.text and FAKE_TOKEN not in journal.text


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_bad_input_is_refused_clearly_and_harms_nothing(world: World, case: Case):
    since = world.client.get("/_mock/journal", params={"limit": 1}).json()["last_seq"]
    try:
        response = send(world, case)
        assert response.status_code < 500, f"{response.status_code}: {response.text[:500]}"
        if 400 <= response.status_code < 500:
            envelope = response.json()
            message = envelope.get("message") or ""
            assert envelope.get("code") not in (None, 0), envelope
            assert any(m.lower() in message.lower() for m in case.mentions), message[:500]
        assert_intact(world, since)
    finally:
        world.client.delete("/_mock/faults")


def test_the_corpus_is_large_and_covers_every_kind():
    kinds = {case.id.split("/")[0] for case in CASES}
    assert len(CASES) >= 150
    assert {"odd", "type", "malformed", "filename", "media", "url", "draft"} <= kinds
