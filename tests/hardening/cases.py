# ruff: noqa: E501  (a table of cases: one case per line reads better than wrapped ones)
"""The bad-input corpus: what a careless or hostile client sends, one ``Case`` each.

Every case is sent to one mock that holds a real user, session and upload (see
``conftest.py``); ``test_corpus.py`` asserts for each: no 5xx, a 4xx names what was
wrong (its message holds one of ``mentions``), and the state is intact afterwards.

Placeholders in paths and bodies: ``{sid}`` the session, ``{uid}`` the user id,
``{fid}`` an uploaded file's id, ``{loop}`` the base URL of the test's own loopback
server of hostile answers (``hostile.py``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

JSON = "application/json"


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: str
    #: The raw body (``bytes``), or ``None``; JSON cases are serialised here, by hand when
    #: they must carry what ``json.dumps`` would not write (lone surrogates, NaN, …).
    body: bytes | None = None
    content_type: str | None = JSON
    #: Multipart files: (field, filename, bytes, content type).
    files: tuple[tuple[str, str, bytes, str], ...] = ()
    #: A 4xx message must contain one of these (case-insensitive).
    mentions: tuple[str, ...] = ()
    #: Why this case is expected to fail today (strict xfail), naming the issue item.
    xfail: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


#: Cases that still fail today, each naming the issue item whose fix makes it pass (strict
#: xfail: when the fix lands the case passes, and its line here must go).
ITEM_5 = "issue 13 item 5 (hardcore): an unhandled 500 on this input"
XFAIL: dict[str, str] = {}  # every item-5 case passes since the hardcore fixes landed


def raw_json(value: Any) -> bytes:
    """JSON text; strings may hold lone surrogates (written as ``\\udXXX`` escapes)."""
    return json.dumps(value, ensure_ascii=True).encode()


# -- the operations with JSON bodies and their string fields ---------------------------------

SESSION = "/api/tasks/me/with-session/nemo_agent"
CLAIM = "/api/auth/claim-token"
RUN = "/run_sse"
RENDER = "/api/render/proxy/lambda"
RENDER_LEGACY = "/api/render/proxy/draft"
UPLOAD = "/api/upload-video/nemo_agent/me/{sid}"


def run_body(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "app_name": "nemo_agent",
        "user_id": "me",
        "session_id": "{sid}",
        "new_message": {"parts": [{"text": "hello there"}]},
    }
    body.update(over)
    return body


def render_body(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "render_corpus",
        "sessionId": "{sid}",
        "draft": {"d": 1000, "t": [{"tt": 0, "sg": [{"s": 0, "src": "{fid}", "d": 1000}]}]},
        "output": {"format": "mp4", "quality": "low"},
    }
    body.update(over)
    return body


#: (operation path, base body, {field: where to set it, mentions})
STRING_FIELDS: list[tuple[str, str, dict[str, Any], tuple[str, ...]]] = [
    ("session.task_name", SESSION, {"task_name": None}, ("task_name",)),
    ("session.language", SESSION, {"language": None}, ("language",)),
    ("claim.task_id", CLAIM, {"task_id": None, "session_id": "{sid}"}, ("task", "session")),
    ("claim.session_id", CLAIM, {"task_id": "t", "session_id": None}, ("session",)),
    ("run.app_name", RUN, run_body(app_name=None), ("app_name",)),
    ("run.user_id", RUN, run_body(user_id=None), ("user",)),
    ("run.session_id", RUN, run_body(session_id=None), ("session",)),
    ("run.text", RUN, run_body(new_message={"parts": [{"text": None}]}), ("text", "parts")),
    ("render.id", RENDER, render_body(id=None), ("id",)),
    ("render.sessionId", RENDER, render_body(sessionId=None), ("session",)),
    ("render.quality", RENDER, render_body(output={"quality": None}), ("quality",)),
    ("render.format", RENDER, render_body(output={"format": None}), ("format",)),
    ("upload.url", UPLOAD, {"urls": [None], "source_type": "url"}, ("url", "larger")),
    ("upload.source_type", UPLOAD, {"urls": ["{loop}/photo.jpg"], "source_type": None}, ("source_type", "url", "larger")),
    ("control.reset.user_id", "/_mock/reset", {"user_id": None}, ("user",)),
    ("control.credits.user_id", "/_mock/credits", {"user_id": None, "available": 5}, ("user",)),
    ("control.faults.spec", "/_mock/faults", {"spec": None}, ("spec", "fault", "valid", "key")),
    ("control.clock.now", "/_mock/clock/set", {"now": None}, ("now", "date", "time")),
]  # fmt: skip

ODD_STRINGS: list[tuple[str, str]] = [
    ("lone-surrogate", "\ud800"),
    ("nul", "a\x00b"),
    ("rtl-override", "\u202egpj.exe"),
    ("bom", "\ufeffx"),
    ("combining", "e" + "\u0301" * 50),
    ("astral", "\U0001f600" * 500),
    ("huge", "x" * 100_000),
    ("traversal", "../../../../etc/passwd"),
    ("empty", ""),
    ("crlf", "a\r\nX-Injected: 1"),
    ("percent", "%00%2e%2e%2f"),
    ("fake-token", "nmv_usr_corpusFakeToken0123456789"),
]

WRONG_TYPES: list[tuple[str, Any]] = [
    ("int", 7),
    ("bool", True),
    ("null", None),
    ("list", ["x"]),
    ("object", {"x": 1}),
]

#: Top-level fields whose type is checked: (id, path, base body, field, mentions).
TYPED_FIELDS: list[tuple[str, str, dict[str, Any], str, tuple[str, ...]]] = [
    ("session.task_name", SESSION, {}, "task_name", ("task_name",)),
    ("session.language", SESSION, {}, "language", ("language",)),
    ("claim.task_id", CLAIM, {"task_id": "t", "session_id": "{sid}"}, "task_id", ("task_id",)),
    ("claim.session_id", CLAIM, {"task_id": "t", "session_id": "{sid}"}, "session_id", ("session",)),
    ("run.app_name", RUN, run_body(), "app_name", ("app_name",)),
    ("run.user_id", RUN, run_body(), "user_id", ("user",)),
    ("run.session_id", RUN, run_body(), "session_id", ("session",)),
    ("run.new_message", RUN, run_body(), "new_message", ("new_message", "parts")),
    ("render.id", RENDER, render_body(), "id", ("id",)),
    ("render.sessionId", RENDER, render_body(), "sessionId", ("session",)),
    ("render.draft", RENDER, render_body(), "draft", ("draft",)),
    ("render.output", RENDER, render_body(), "output", ("output",)),
    ("upload.urls", UPLOAD, {"urls": ["{loop}/photo.jpg"], "source_type": "url"}, "urls", ("url",)),
]  # fmt: skip

#: Not JSON, or JSON the mock cannot take: sent to every JSON operation.
MALFORMED: list[tuple[str, bytes]] = [
    ("unclosed", b"{"),
    ("array", b"[]"),
    ("null", b"null"),
    ("string", b'"just a string"'),
    ("number", b"12"),
    ("trailing-comma", b'{"a": 1,}'),
    ("nan", b'{"task_name": NaN, "id": NaN}'),
    ("huge-number", b'{"task_name": 1e999999, "id": 1e999999}'),
    ("deep-array", b"[" * 100_000 + b"]" * 100_000),
    ("deep-object", b'{"a":' * 20_000 + b"1" + b"}" * 20_000),
    ("invalid-utf8", b'{"task_name": "\xff\xfe"}'),
    ("bom", b'\xef\xbb\xbf{"task_name": "x"}'),
    ("junk-after", b'{"task_name": "x"} junk'),
    ("over-the-cap", b'{"task_name": "' + b"x" * (2 * 1024 * 1024) + b'"}'),
]
MALFORMED_TARGETS = [
    ("session", SESSION),
    ("claim", CLAIM),
    ("run", RUN),
    ("render", RENDER),
    ("render-legacy", RENDER_LEGACY),
    ("upload", UPLOAD),
    ("control.faults", "/_mock/faults"),
    ("control.clock", "/_mock/clock/set"),
]
MALFORMED_MENTIONS = (
    "json",
    "body",
    "object",
    "invalid",
    "too large",
    "larger",
    "expected",
    "field",
)


def _fill(body: dict[str, Any], value: Any) -> dict[str, Any]:
    """``body`` with its ``None`` placeholder (at any depth) replaced by ``value``."""

    def put(node: Any) -> Any:
        if node is None:
            return value
        if isinstance(node, dict):
            return {k: put(v) for k, v in node.items()}
        if isinstance(node, list):
            return [put(v) for v in node]
        return node

    return put(body)  # type: ignore[no-any-return]


def odd_string_cases() -> list[Case]:
    return [
        Case(
            f"odd/{name}/{odd}",
            "POST",
            path,
            raw_json(_fill(base, value)),
            mentions=(*mentions, "invalid json"),
        )  # a lone \\udXXX escape is a JSON problem
        for name, path, base, mentions in STRING_FIELDS
        for odd, value in ODD_STRINGS
    ]


def wrong_type_cases() -> list[Case]:
    return [
        Case(f"type/{name}/{kind}", "POST", path, raw_json({**base, key: value}), mentions=mentions)
        for name, path, base, key, mentions in TYPED_FIELDS
        for kind, value in WRONG_TYPES
    ]


def malformed_cases() -> list[Case]:
    return [
        Case(f"malformed/{target}/{name}", "POST", path, body, mentions=MALFORMED_MENTIONS)
        for target, path in MALFORMED_TARGETS
        for name, body in MALFORMED
    ]


# -- uploads: filenames and media ---------------------------------------------------------
#: Contents are named and filled in by the fixture from the sample set: ``photo``, ``clip``,
#: ``text``, ``random``, ``truncated-photo``, ``truncated-clip``, ``empty``, ``png-header``.
FILENAMES: list[tuple[str, str]] = [
    ("traversal", "../../etc/passwd.jpg"),
    ("backslash-traversal", "..\\..\\windows.jpg"),
    ("absolute", "/etc/passwd.jpg"),
    ("nul", "a\x00b.jpg"),
    ("long-ascii", "x" * 300 + ".jpg"),
    ("long-utf8", "\u00e9" * 200 + ".jpg"),
    ("only-extension", ".jpg"),
    ("empty", ""),
    ("rtl", "\u202egpj.exe.jpg"),
    ("dots-after", "photo.jpg/../.."),
    ("percent", "photo%2e%2e%2fx.jpg"),
    ("reserved", "con.jpg"),
    ("upper-case", "PHOTO.JPG"),
    ("lone-surrogate", "\ud800.jpg"),
]
MEDIA: list[tuple[str, str, str]] = [
    ("text-as-png", "notes.png", "text"),
    ("random-as-mp4", "clip.mp4", "random"),
    ("truncated-jpg", "cut.jpg", "truncated-photo"),
    ("truncated-mp4", "cut.mp4", "truncated-clip"),
    ("empty-jpg", "empty.jpg", "empty"),
    ("png-header-garbage", "fake.png", "png-header"),
    ("exe", "tool.exe", "random"),
    ("no-extension", "photo", "photo"),
    ("photo-as-mp4", "photo.mp4", "photo"),
]
FILE_MENTIONS = ("file", "type", "supported", "name", "media", "content", "large", "part")


def multipart(parts: list[tuple[str, str, bytes, str]], boundary: str = "corpusB") -> bytes:
    """A multipart body written by hand: filenames go out exactly as given (NUL, CR/LF, …)."""
    out = b""
    for field_name, filename, data, kind in parts:
        out += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; '
                f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'
            ).encode("utf-8", "surrogatepass")
            + data
            + b"\r\n"
        )
    return out + f"--{boundary}--\r\n".encode()


def upload_cases() -> list[Case]:
    """Filled by the fixture: ``files`` hold content names that become bytes when sent."""
    kind = "multipart/form-data; boundary=corpusB"
    cases = [
        Case(f"filename/{name}", "POST", UPLOAD, None, kind,
             files=(("files", filename, b"photo", "image/jpeg"),), mentions=FILE_MENTIONS)
        for name, filename in FILENAMES
    ]  # fmt: skip
    cases += [
        Case(f"media/{name}", "POST", UPLOAD, None, kind,
             files=(("files", filename, content.encode(), "application/octet-stream"),),
             mentions=FILE_MENTIONS)
        for name, filename, content in MEDIA
    ]  # fmt: skip
    cases += [
        Case("multipart/no-files-part", "POST", UPLOAD, None, kind,
             files=(("other", "photo.jpg", b"photo", "image/jpeg"),), mentions=("files",)),
        Case("multipart/many-parts", "POST", UPLOAD, None, kind,
             files=tuple(("files", f"p{n}.jpg", b"photo", "image/jpeg") for n in range(60)),
             mentions=FILE_MENTIONS),
        Case("multipart/no-boundary", "POST", UPLOAD, b"--x\r\n\r\n", "multipart/form-data",
             mentions=("boundary", "multipart")),
        Case("multipart/wrong-boundary", "POST", UPLOAD, multipart([("files", "a.jpg", b"x", "image/jpeg")], "other"),
             kind, mentions=("multipart", "files", "part", "boundary")),
        Case("multipart/unterminated", "POST", UPLOAD, b"--corpusB\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.jpg\"\r\n\r\nabc",
             kind, mentions=("multipart", "files", "part", "end", "file", "supported", "content")),
        Case("upload/form-urlencoded", "POST", UPLOAD, b"files=a.jpg", "application/x-www-form-urlencoded",
             mentions=("multipart", "content-type")),
        Case("upload/no-content-type", "POST", UPLOAD, b"abc", None, mentions=("content-type", "multipart")),
    ]  # fmt: skip
    return cases


# -- uploads by URL: hostile answers from the test's own loopback server -----------------------
URLS: list[tuple[str, str]] = [
    ("loop-redirect", "{loop}/redirect-loop.jpg"),
    ("redirect-to-file", "{loop}/redirect-file.jpg"),
    ("not-found", "{loop}/missing.jpg"),
    ("server-error", "{loop}/error.jpg"),
    ("html-as-jpg", "{loop}/page.jpg"),
    ("length-lie", "{loop}/length-lie.jpg"),
    ("gzip-bomb", "{loop}/bomb.jpg"),
    ("text-as-mp4", "{loop}/notes.mp4"),
    ("file-scheme", "file:///etc/passwd"),
    ("ftp-scheme", "ftp://127.0.0.1/photo.jpg"),
    ("lavfi", "lavfi:color=red"),
    ("javascript", "javascript:alert(1)"),
    ("bad-ipv6", "http://[::1/photo.jpg"),
    ("userinfo", "{loop_userinfo}/photo.jpg"),
    ("no-scheme", "127.0.0.1/photo.jpg"),
    ("empty-host", "http:///photo.jpg"),
    ("port-99999", "http://127.0.0.1:99999/photo.jpg"),
    ("crlf", "{loop}/photo.jpg\r\nX-Injected: 1"),
]
URL_MENTIONS = ("url", "fetch", "file", "supported", "large", "scheme", "http", "content")


def url_cases() -> list[Case]:
    cases = [
        Case(f"url/{name}", "POST", UPLOAD, raw_json({"urls": [url], "source_type": "url"}),
             mentions=URL_MENTIONS)
        for name, url in URLS
    ]  # fmt: skip
    cases.append(
        Case("url/twenty-five", "POST", UPLOAD,
             raw_json({"urls": ["{loop}/missing.jpg"] * 25, "source_type": "url"}),
             mentions=URL_MENTIONS)
    )  # fmt: skip
    return cases


# -- drafts a render cannot make sense of ---------------------------------------------------
SEG = {"s": 0, "src": "{fid}", "d": 1000}
DRAFTS: list[tuple[str, Any]] = [
    ("d-negative", {"d": -5, "t": [{"tt": 0, "sg": [SEG]}]}),
    ("d-zero", {"d": 0, "t": [{"tt": 0, "sg": [SEG]}]}),
    ("d-huge", {"d": 1e308, "t": [{"tt": 0, "sg": [SEG]}]}),
    ("d-string", {"d": "long", "t": [{"tt": 0, "sg": [SEG]}]}),
    ("no-tracks", {"d": 1000, "t": []}),
    ("t-number", {"t": 5}),
    ("t-bool", {"t": True, "d": 1000}),
    ("sg-bool", {"d": 1000, "t": [{"tt": 0, "sg": True}]}),
    ("sg-number", {"t": [{"tt": 0, "sg": 3}]}),
    ("segment-negative", {"d": 1000, "t": [{"tt": 0, "sg": [{"s": 0, "src": "{fid}", "d": -100}]}]}),
    ("src-traversal", {"d": 1000, "t": [{"tt": 0, "sg": [{"s": 0, "src": "../../etc/passwd", "d": 1000}]}]}),
    ("src-file", {"d": 1000, "t": [{"tt": 0, "sg": [{"s": 0, "src": "file:///etc/passwd", "d": 1000}]}]}),
    ("src-lavfi", {"d": 1000, "t": [{"tt": 0, "sg": [{"s": 0, "src": "lavfi:color=red", "d": 1000}]}]}),
    ("src-unknown", {"d": 1000, "t": [{"tt": 0, "sg": [{"s": 0, "src": "f_doesnotexist", "d": 1000}]}]}),
    ("canvas-huge", {"d": 1000, "m": {"width": 100000, "height": 100000}, "t": [{"tt": 0, "sg": [SEG]}]}),
    ("fps-zero", {"d": 1000, "m": {"width": 640, "height": 360, "fps": 0}, "t": [{"tt": 0, "sg": [SEG]}]}),
    ("many-segments", {"d": 1000, "t": [{"tt": 0, "sg": [SEG] * 5000}]}),
    ("text-injection", {"d": 1000, "t": [{"tt": 7, "sg": [{"s": 0, "tx": "%{pts} '\\:;[x]" * 2000, "d": 1000}]}]}),
    ("track-type-99", {"d": 1000, "t": [{"tt": 99, "sg": [SEG]}]}),
    ("volume-huge", {"d": 1000, "t": [{"tt": 0, "v": 1e9, "sg": [SEG]}]}),
    ("null-draft-fields", {"d": None, "t": None}),
]  # fmt: skip
DRAFT_MENTIONS = ("draft", "d", "t", "segment", "track", "sg", "src")


def draft_cases() -> list[Case]:
    return [
        Case(f"draft/{name}", "POST", RENDER, raw_json(render_body(id=f"r_{name}", draft=draft)),
             mentions=DRAFT_MENTIONS)
        for name, draft in DRAFTS
    ]  # fmt: skip


def all_cases() -> list[Case]:
    cases = [
        *odd_string_cases(),
        *wrong_type_cases(),
        *malformed_cases(),
        *upload_cases(),
        *url_cases(),
        *draft_cases(),
    ]
    return [replace(c, xfail=XFAIL.get(c.id)) for c in cases]
