"""Reading answers (§3, §4.8): errors in both of the mock's styles, and render jobs in every
documented shape. Pure functions over a status code and a decoded JSON body."""

from __future__ import annotations

from typing import Any

#: The refusals a client tells the user about and stops on (§3; 402 from §2).
REFUSALS = frozenset({2001, 402, 4001, 4002})
SUPPORTED_FORMATS = "video mp4 mov avi webm mkv; image jpg jpeg png gif webp; audio mp3 wav m4a aac"


def error_code(status: int, body: Any) -> int | None:
    """The error an answer carries, or ``None`` for success.

    A non-zero envelope ``code`` wins (HTTP 200 with ``code`` 1001, or HTTP 401 with it);
    else ``success: false``; else an HTTP status of 400 or more. ``code == 0``,
    ``success: true`` or no code at all (render jobs) with a 2xx status is success."""
    if isinstance(body, dict):
        code = body.get("code")
        if isinstance(code, int) and not isinstance(code, bool) and code != 0:
            return code
        if body.get("success") is False:
            return status if status >= 400 else -1
    if status >= 400:
        return status
    return None


def message_of(body: Any) -> str:
    """The envelope's ``message``, or an empty string."""
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return str(body["message"])
    return ""


def data_of(body: Any) -> dict[str, Any]:
    """The envelope's ``data`` object, or an empty dict."""
    data = body.get("data") if isinstance(body, dict) else None
    return data if isinstance(data, dict) else {}


def render_status(body: Any) -> str | None:
    """A render job's status: ``data.status`` (API reference) or top-level ``status``."""
    data = data_of(body)
    if isinstance(data.get("status"), str):
        return str(data["status"])
    status = body.get("status") if isinstance(body, dict) else None
    return status if isinstance(status, str) else None


def render_url(body: Any) -> str | None:
    """The finished MP4's URL: ``output.url`` (skill and earliest docs), ``data.outputUrl``
    (API reference) or a top-level ``outputUrl``."""
    if not isinstance(body, dict):
        return None
    output = body.get("output")
    candidates = [
        output.get("url") if isinstance(output, dict) else None,
        data_of(body).get("outputUrl"),
        body.get("outputUrl"),
    ]
    data_output = data_of(body).get("output")
    if isinstance(data_output, dict):
        candidates.append(data_output.get("url"))
    for url in candidates:
        if isinstance(url, str) and url:
            return url
    return None


def render_error(body: Any) -> str:
    """Why a render job failed, if the answer says."""
    top = body.get("error") if isinstance(body, dict) else None
    for value in (data_of(body).get("error"), top):
        if isinstance(value, str) and value:
            return value
    return "no reason given"


def bind_url(body: Any) -> str | None:
    """The register link of a 2001 answer: ``data.bind_url``, else a URL in the message."""
    url = data_of(body).get("bind_url")
    if isinstance(url, str) and url:
        return url
    for word in message_of(body).split():
        if "register?bind=" in word:
            return word.strip(".,;:()[]<>\"'")
    return None


def export_ready(state: dict[str, Any] | None) -> bool:
    """§4.7: ``draft.t`` has at least one track with a non-empty ``sg``."""
    draft = state.get("draft") if isinstance(state, dict) else None
    tracks = draft.get("t") if isinstance(draft, dict) else None
    if not isinstance(tracks, list):
        return False
    return any(isinstance(t, dict) and isinstance(t.get("sg"), list) and t["sg"] for t in tracks)
