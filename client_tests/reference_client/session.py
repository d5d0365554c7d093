"""Sessions and uploads (§4.3, §4.5), and reading a session's state (§4.7)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nemo_mock.client_tests.reference_client import envelope
from nemo_mock.client_tests.reference_client.errors import ClientError
from nemo_mock.client_tests.reference_client.http import Api

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@dataclass(frozen=True)
class Session:
    session_id: str
    task_id: str | None


def create_session(api: Api, prompt: str) -> Session:
    language = "zh-CN" if CJK.search(prompt) else "en"
    reply = api.call(
        "createSession",
        "POST",
        "/api/tasks/me/with-session/nemo_agent",
        json={"task_name": "project", "language": language},
    )
    data = envelope.data_of(reply.body)
    session_id = data.get("session_id")
    if not isinstance(session_id, str) or not session_id:
        raise ClientError("the new session's answer has no data.session_id")
    task_id = data.get("task_id")
    api.log(f"session {session_id}")
    return Session(session_id, task_id if isinstance(task_id, str) else None)


def upload(api: Api, session: Session, files: Sequence[Path]) -> list[dict[str, Any]]:
    """Upload every file in one multipart request (4001 and 4002 are raised as ApiError)."""
    if not files:
        return []
    reply = api.call(
        "uploadFiles",
        "POST",
        f"/api/upload-video/nemo_agent/me/{session.session_id}",
        files=files,
    )
    stored = envelope.data_of(reply.body).get("files")
    found = [f for f in stored if isinstance(f, dict)] if isinstance(stored, list) else []
    names = ", ".join(str(f.get("filename")) for f in found)
    api.log(f"uploaded {len(found)} file(s): {names}")
    return found


def read_state(api: Api, session: Session) -> dict[str, Any]:
    """``data.state`` of the session (§4.7)."""
    reply = api.call(
        "getSessionState", "GET", f"/api/state/nemo_agent/me/{session.session_id}/latest"
    )
    state = envelope.data_of(reply.body).get("state")
    if not isinstance(state, dict):
        raise ClientError("the session state answer has no data.state")
    return state


TRACK_KINDS = {0: "Video", 1: "BGM", 7: "Title"}


def summarise(state: dict[str, Any]) -> str:
    """``Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%)…``"""
    draft = state.get("draft")
    listed = draft.get("t") if isinstance(draft, dict) else None
    tracks = [t for t in listed if isinstance(t, dict)] if isinstance(listed, list) else []
    parts = [f"Timeline ({len(tracks)} track{'s' if len(tracks) != 1 else ''}):"]
    for number, track in enumerate(tracks, start=1):
        parts.append(f"{number}. {_track(track)}")
    return " ".join(parts)


def _track(track: dict[str, Any]) -> str:
    kind = TRACK_KINDS.get(track.get("tt", -1), "Track")
    if kind == "BGM" and track.get("n") not in (None, "BGM"):
        kind = str(track["n"])  # e.g. a voiceover
    segments = [s for s in track.get("sg", []) if isinstance(s, dict)]
    if not segments:
        return f"{kind}: empty"
    first, last = segments[0], segments[-1]
    span = f"{_seconds(first.get('s'))}-{_seconds(_end(last))}s"
    if track.get("tt") == 7:
        return f'{kind}: "{first.get("tx") or first.get("n") or ""}" ({span})'
    more = f" +{len(segments) - 1}" if len(segments) > 1 else ""
    volume = first.get("v", track.get("v"))
    loud = f", {volume:g}%" if isinstance(volume, int | float) and track.get("tt") == 1 else ""
    return f"{kind}: {first.get('n') or first.get('src') or kind}{more} ({span}{loud})"


def _end(segment: dict[str, Any]) -> Any:
    start, length = segment.get("s", 0), segment.get("d", 0)
    if isinstance(start, int | float) and isinstance(length, int | float):
        return start + length
    return None


def _seconds(ms: Any) -> str:
    if not isinstance(ms, int | float):
        return "?"
    return f"{ms / 1000:g}"
