"""``ask_question`` on the chat: the agent asks, the client's next message answers."""

from __future__ import annotations

import json

from tests.surfaces.gateway.conftest import Gateway, receive


def _open(gateway: Gateway, session_id: str):
    ws = gateway.client.websocket_connect(f"/ws/chat?token={gateway.token}&session_id={session_id}")
    return ws


def _until(ws, kind: str) -> list[dict]:
    frames = [receive(ws)]
    while frames[-1]["type"] != kind:
        frames.append(receive(ws))
    return frames


def _answer(question: dict) -> str:
    """What the vendor CLI sends without a TTY: the first option of each question."""
    lines = [
        f"{i}. {q['prompt']}: {q['options'][0]['label']}"
        for i, q in enumerate(question["questions"], 1)
    ]
    return "\n".join(lines)


def _socket_events(gateway: Gateway) -> list[dict]:
    entries = gateway.client.get("/_mock/journal").json()["entries"]
    (entry,) = [e for e in entries if e["operation"] == "gateway.chatSocket"]
    return [json.loads(event["data"]) for event in entry["events"]]


def test_a_vague_message_on_an_empty_project_asks_what_to_make(gateway: Gateway):
    made = gateway.project()
    with _open(gateway, made["session"]["session_id"]) as ws:
        _until(ws, "session_ready")
        ws.send_json({"type": "message", "content": "make something", "metadata": {}})
        asked = _until(ws, "ask_question")
        question = asked[-1]
        ws.send_json({"type": "message", "content": _answer(question), "metadata": {}})
        rest = _until(ws, "done")
    (q,) = question["questions"]
    assert question["turn"] == 1 and q["allow_multiple"] is False
    assert q["options"][0]["label"] == "Make a 10-second video of ocean waves at sunset"
    assert "text" not in [f["type"] for f in asked]  # the question stands for the text
    assert rest[-1]["turn"] == 2 and "tool_start" in [f["type"] for f in rest]
    draft = gateway.get(f"/api/v1/state/frontend/{made['project_id']}")["project"]
    assert draft["timeline_draft"]["d"] == 10_000  # the answer was done
    types = [f["type"] for f in _socket_events(gateway)]
    assert types.count("done") == 1 and types.index("ask_question") < types.index("done")


def test_a_vague_message_on_a_project_with_a_timeline_offers_edits(gateway: Gateway):
    made = gateway.project()
    session_id = made["session"]["session_id"]
    gateway.chat(session_id, "a 5 second coffee ad. Duration: 5 seconds")
    with _open(gateway, session_id) as ws:
        _until(ws, "session_ready")
        ws.send_json({"type": "message", "content": "hmm", "metadata": {}})
        question = _until(ws, "ask_question")[-1]
        ws.send_json({"type": "message", "content": _answer(question), "metadata": {}})
        _until(ws, "done")
    labels = [o["label"] for o in question["questions"][0]["options"]]
    assert labels[0] == "Add lo-fi background music"
    state = gateway.get(f"/api/v1/state/frontend/{made['project_id']}")["project"]
    assert any(track["tt"] == 1 for track in state["timeline_draft"]["t"])  # music added


def test_the_ask_question_fault_asks_first_and_the_answer_joins_the_message(gateway: Gateway):
    made = gateway.project()
    rule = {"operation": "gateway.chatSocket", "action": {"ask_question": True}}
    assert gateway.client.post("/_mock/faults", json=rule).status_code == 201
    brief = "a 5 second coffee ad. Duration: 5 seconds"
    with _open(gateway, made["session"]["session_id"]) as ws:
        _until(ws, "session_ready")
        ws.send_json({"type": "message", "content": brief, "metadata": {}})
        asked = _until(ws, "ask_question")
        assert gateway.get("/billing/balance")["total_consumed"] == 0  # no work yet
        ws.send_json({"type": "message", "content": _answer(asked[-1]), "metadata": {}})
        rest = _until(ws, "done")
    assert [f["type"] for f in asked] == [
        "message_accepted",
        "thinking_start",
        "thinking_end",
        "ask_question",
    ]
    assert asked[-1]["questions"][0]["id"] == "style" and rest[-1]["turn"] == 1
    usage = gateway.get("/billing/usage/conversations")["items"][0]
    message = usage["conversation"]["user_message"]
    assert message == f"{brief}\n1. Which style should the video have?: Cinematic"


def test_an_abort_while_asked_ends_with_done_aborted(gateway: Gateway):
    made = gateway.project()
    with _open(gateway, made["session"]["session_id"]) as ws:
        _until(ws, "session_ready")
        ws.send_json({"type": "message", "content": "make something", "metadata": {}})
        _until(ws, "ask_question")
        ws.send_json({"type": "abort"})
        done = _until(ws, "done")[-1]
    assert (done["turn"], done["reason"]) == (1, "aborted")
