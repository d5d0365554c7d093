"""The reference client's pieces against a scripted transport: headers, the 429 and 1001
recoveries, the client id after a 400, session loss, render retries and give-ups, the
command line, exit codes; and the careless client's declared defects."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from nemo_mock.client_tests.careless_client import BROKEN_RULES
from nemo_mock.client_tests.careless_client.client import CarelessApi, CarelessRenderer
from nemo_mock.client_tests.reference_client.auth import Tokens
from nemo_mock.client_tests.reference_client.chat import send_message
from nemo_mock.client_tests.reference_client.config import (
    Task,
    UsageError,
    read_settings,
    read_task,
)
from nemo_mock.client_tests.reference_client.errors import (
    ApiError,
    ConnectionLost,
    GaveUp,
    SessionLost,
)
from nemo_mock.client_tests.reference_client.http import MAX_REFRESHES, Api, Log
from nemo_mock.client_tests.reference_client.main import Client, advice, main
from nemo_mock.client_tests.reference_client.polling import work_was_cut
from nemo_mock.client_tests.reference_client.render import Renderer
from nemo_mock.client_tests.reference_client.session import Session, summarise
from nemo_mock.contracts.rules import RULES

Handler = Callable[[httpx.Request], httpx.Response]
ENV = {"NEMO_API_URL": "http://mock", "NEMO_CLIENT_ID": "cid-1"}


def ok(data: Any) -> httpx.Response:
    return httpx.Response(200, json={"code": 0, "data": data})


def err(status: int, code: int, **extra: Any) -> httpx.Response:
    headers = extra.pop("headers", None)
    body = {"code": code, "message": extra.pop("message", "no"), "data": extra.pop("data", None)}
    return httpx.Response(status, json=body, headers=headers)


class Script:
    """Answers each request from a queue per path (the last answer repeats)."""

    def __init__(
        self, answers: dict[str, list[httpx.Response] | Callable[[], httpx.Response]]
    ) -> None:
        self.answers = answers
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        for key, answer in self.answers.items():
            if key in request.url.path:
                if callable(answer):
                    return answer()
                return answer.pop(0) if len(answer) > 1 else answer[0]
        return httpx.Response(404, json={"code": 404, "message": "unscripted", "data": None})

    def paths(self) -> list[str]:
        return [f"{r.method} {r.url.path}" for r in self.requests]


TOKEN = "/anonymous-token"


def make_api(script: Script, *, api_class: type[Api] = Api, scale: float = 0.01) -> Api:
    settings = read_settings(ENV)
    task = Task("make a video", (), Path("out.mp4"), scale)
    api = api_class(settings, task, Log("test"), transport=httpx.MockTransport(script))
    api.slept = []  # type: ignore[attr-defined]
    api.sleep = api.slept.append  # type: ignore[method-assign,attr-defined]
    Tokens(api, settings.client_id)
    return api


def token(n: int = 1) -> httpx.Response:
    return ok({"token": f"nmv_usr_{n}", "user_id": "anon_1", "expires_at": "x", "/credits/": 100})


def test_headers_on_every_call_and_bearer_only_off_the_token_call():
    script = Script({TOKEN: [token()], "/credits/": [ok({"available": 1})]})
    api = make_api(script)
    api.call("getCreditBalance", "GET", "/api/credits/balance/simple")
    first, second = script.requests
    for request in script.requests:
        assert request.headers["X-Skill-Source"] == "nemo-video-cli"
        assert request.headers["X-Skill-Version"]
        assert request.headers["X-Skill-Platform"] == "terminal"
        assert "nmv_usr" not in str(request.url)
    assert "authorization" not in first.headers
    assert first.headers["X-Client-Id"] == "cid-1"
    assert second.headers["Authorization"] == "Bearer nmv_usr_1"
    assert "x-client-id" not in second.headers


def test_skill_source_overrides_the_platform():
    assert read_settings({**ENV, "SKILL_SOURCE": "clawhub"}).attribution["X-Skill-Platform"] == (
        "clawhub"
    )


def test_429_waits_retry_after_times_the_scale_then_retries_once():
    script = Script({TOKEN: [err(429, 429, headers={"Retry-After": "30"}), token()]})
    api = make_api(script, scale=0.02)
    assert api.tokens is not None
    assert api.tokens.bearer() == "nmv_usr_1"
    assert api.slept == [pytest.approx(0.6)]  # type: ignore[attr-defined]
    assert len(script.requests) == 2


def test_429_without_retry_after_waits_the_documented_30_s_and_gives_up_after_the_retry():
    script = Script({TOKEN: [httpx.Response(429, json={"code": 429, "message": "x"})]})
    api = make_api(script, scale=0.1)
    assert api.tokens is not None
    with pytest.raises(GaveUp):
        api.tokens.bearer()
    assert api.slept == [pytest.approx(3.0)]  # type: ignore[attr-defined]
    assert len(script.requests) == 2


@pytest.mark.parametrize("status", [401, 200])  # the code in a 401, or in an HTTP 200
def test_1001_gets_one_new_token_with_the_same_client_id_and_repeats_the_call(status):
    script = Script(
        {
            TOKEN: [token(1), token(2)],
            "/credits/": [err(status, 1001, message="token expired"), ok({"available": 5})],
        }
    )
    api = make_api(script)
    reply = api.call("getCreditBalance", "GET", "/api/credits/balance/simple")
    assert reply.body["data"] == {"available": 5}
    token_calls = [r for r in script.requests if r.url.path.endswith("anonymous-token")]
    assert [r.headers["X-Client-Id"] for r in token_calls] == ["cid-1", "cid-1"]
    assert script.requests[-1].headers["Authorization"] == "Bearer nmv_usr_2"


def test_1001_again_after_the_new_token_gets_another_new_token():
    script = Script(
        {TOKEN: [token(1), token(2), token(3)], "/credits/": [err(401, 1001), err(401, 1001),
                                                             ok({"available": 5})]}
    )  # fmt: skip
    api = make_api(script)
    api.call("getCreditBalance", "GET", "/api/credits/balance/simple")
    bearers = [r.headers.get("Authorization") for r in script.requests if "credits" in r.url.path]
    assert bearers == ["Bearer nmv_usr_1", "Bearer nmv_usr_2", "Bearer nmv_usr_3"]


def test_1001_on_every_new_token_gives_up_after_a_few():
    tokens = iter(range(1, 100))
    script = Script({TOKEN: lambda: token(next(tokens)), "/credits/": [err(401, 1001)]})
    api = make_api(script)
    with pytest.raises(GaveUp, match="3 new tokens were rejected"):
        api.call("getCreditBalance", "GET", "/api/credits/balance/simple")
    assert sum(r.url.path.endswith("anonymous-token") for r in script.requests) == 1 + MAX_REFRESHES


def test_a_retry_after_too_long_to_wait_is_a_give_up_without_waiting():
    script = Script({TOKEN: [err(429, 429, headers={"Retry-After": "86400"}), token()]})
    api = make_api(script)
    assert api.tokens is not None
    with pytest.raises(GaveUp, match="86400 s"):
        api.tokens.bearer()
    assert api.slept == []  # type: ignore[attr-defined]
    assert len(script.requests) == 1


def dropped(request: httpx.Request) -> httpx.Response:
    raise httpx.RemoteProtocolError("peer closed connection", request=request)


def test_a_read_whose_connection_dropped_is_sent_once_more():
    answers = iter([dropped, lambda r: ok({"available": 5})])

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("anonymous-token"):
            return token()
        return next(answers)(request)

    api = make_api(Script({}))
    api.http = httpx.Client(base_url="http://mock", transport=httpx.MockTransport(handler))
    reply = api.call("getCreditBalance", "GET", "/api/credits/balance/simple")
    assert reply.body["data"] == {"available": 5}
    assert api.slept == [pytest.approx(0.01)]  # type: ignore[attr-defined]


def test_a_write_whose_connection_dropped_is_not_sent_again():
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path.endswith("anonymous-token"):
            return token()
        return dropped(request)

    api = make_api(Script({}))
    api.http = httpx.Client(base_url="http://mock", transport=httpx.MockTransport(handler))
    with pytest.raises(ConnectionLost):
        api.call("createSession", "POST", "/api/tasks/me/with-session/nemo_agent", json={})
    assert calls.count("/api/tasks/me/with-session/nemo_agent") == 1


class BrokenBody(httpx.SyncByteStream):
    """A body that breaks off: the status line came, the promised bytes never do."""

    def __iter__(self):
        raise httpx.RemoteProtocolError("peer closed connection without sending complete body")


@pytest.mark.parametrize("where", ["before the status line", "after the status line"])
def test_a_message_whose_connection_dropped_is_a_dropped_stream(where):
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("anonymous-token"):
            return token()
        if where == "before the status line":
            return dropped(request)
        headers = {"content-type": "application/json", "content-length": "64"}
        return httpx.Response(200, headers=headers, stream=BrokenBody())

    api = make_api(Script({}))
    api.http = httpx.Client(base_url="http://mock", transport=httpx.MockTransport(handler))
    turn = send_message(api, Session("s1", None), "make a video", api.task)
    assert turn.ending == "dropped"
    assert "before the stream began" in turn.detail
    assert work_was_cut(turn)


def test_400_on_the_token_call_means_one_new_client_id():
    script = Script({TOKEN: [err(400, 400, message="missing X-Client-Id"), token()]})
    api = make_api(script)
    assert api.tokens is not None
    api.tokens.bearer()
    first, second = (r.headers["X-Client-Id"] for r in script.requests)
    assert first == "cid-1" and second != first and len(second) == 36


def test_1002_is_session_lost_in_both_styles():
    for answer in (err(404, 1002), err(200, 1002)):
        api = make_api(Script({TOKEN: [token()], "/api/state/": [answer]}))
        with pytest.raises(SessionLost):
            api.call("getSessionState", "GET", "/api/state/nemo_agent/me/1/latest")


def test_an_error_before_the_stream_goes_through_the_same_recoveries():
    stream = httpx.Response(
        200, headers={"content-type": "text/event-stream"}, content=b"data: {}\n\n"
    )
    script = Script({TOKEN: [token(1), token(2)], "/run_sse": [err(200, 1001), stream]})
    api = make_api(script)
    response = api.open_stream("runSse", "/run_sse", json={}, read_timeout=1)
    response.close()
    run = [r for r in script.requests if r.url.path == "/run_sse"]
    assert len(run) == 2
    assert run[0].headers["Accept"] == "text/event-stream"
    assert run[0].headers["Content-Type"] == "application/json"


# --------------------------------------------------------------------------- render


def job(status: str, rid: str = "r", url: str | None = None) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "success": True,
            "data": {"id": rid, "status": status, "progress": 5, "outputUrl": url},
        },
    )


READY = {"draft": {"t": [{"tt": 0, "sg": [{"s": 0, "d": 2000, "src": "f_1"}]}], "d": 2000}}


def renderer_for(script: Script, tmp_path: Path, renderer: type[Renderer] = Renderer) -> Renderer:
    api = make_api(script)
    api.task = Task("p", (), tmp_path / "out.mp4", 0.01)
    return renderer(api, api.task)


def start_bodies(script: Script) -> list[dict[str, Any]]:
    return [
        json.loads(r.content)
        for r in script.requests
        if r.method == "POST" and r.url.path == "/api/render/proxy/lambda"
    ]


def test_a_failed_render_is_retried_once_with_a_new_id(tmp_path):
    statuses = [job("failed"), job("completed", url="http://mock/cdn/renders/k/r.mp4")]
    script = Script(
        {
            TOKEN: [token()],
            "/cdn/": [httpx.Response(200, content=b"\x00\x00\x00\x18ftypmp42")],
            "/lambda/": lambda: statuses.pop(0),
            "/lambda": [job("pending")],
        }
    )
    renderer = renderer_for(script, tmp_path)
    reads: list[int] = []
    renderer.export(Session("1", None), lambda: reads.append(1) or READY)
    ids = [b["id"] for b in start_bodies(script)]
    assert len(ids) == 2 and ids[0] != ids[1]
    assert len(reads) == 2  # the state is read right before each render
    body = start_bodies(script)[0]
    assert body["sessionId"] == "1" and body["output"] == {"format": "mp4", "quality": "low"}
    assert body["draft"] == READY["draft"]
    assert (tmp_path / "out.mp4").read_bytes().startswith(b"\x00\x00\x00\x18ftyp")


def test_a_stuck_render_is_polled_30_times_then_cancelled(tmp_path):
    script = Script({TOKEN: [token()], "/cancel": [job("cancelled")], "/lambda": [job("pending")]})
    renderer = renderer_for(script, tmp_path)
    with pytest.raises(GaveUp):
        renderer.export(Session("1", None), lambda: READY)
    polls = [r for r in script.requests if r.method == "GET" and "/lambda/" in r.url.path]
    assert len(polls) == 30
    assert script.paths()[-1].endswith("/cancel")
    waits = renderer.api.slept  # type: ignore[attr-defined]
    assert waits == [1.0] * 30  # 10 s x 0.01 = 0.1 s, floored at 1 s of real time
    assert not (tmp_path / "out.mp4").exists()


def test_a_duplicate_render_id_is_retried_once_with_a_new_id(tmp_path):
    starts = [err(409, 409, message="duplicate render id"), job("completed", url="/cdn/x.mp4")]
    script = Script(
        {
            TOKEN: [token()],
            "/cdn/": [httpx.Response(200, content=b"mp4")],
            "/lambda": lambda: starts.pop(0),
        }
    )
    renderer_for(script, tmp_path).export(Session("1", None), lambda: READY)
    ids = [b["id"] for b in start_bodies(script)]
    assert len(ids) == 2 and ids[0] != ids[1]


def test_the_download_falls_back_to_the_bearer_download(tmp_path):
    script = Script(
        {
            TOKEN: [token()],
            "/cdn/": [httpx.Response(404)],
            "/proxy/r/download": [httpx.Response(200, content=b"mp4 bytes")],
            "/lambda": [job("completed", rid="r", url="http://mock/cdn/renders/k/r.mp4")],
        }
    )
    renderer = renderer_for(script, tmp_path)
    renderer.download("r", job("completed", url="http://mock/cdn/renders/k/r.mp4").json())
    fallback = script.requests[-1]
    assert fallback.url.path == "/api/render/proxy/r/download"
    assert fallback.headers["Authorization"].startswith("Bearer ")
    assert (tmp_path / "out.mp4").read_bytes() == b"mp4 bytes"


def test_402_on_the_render_start_is_raised_for_the_advice(tmp_path):
    script = Script({TOKEN: [token()], "/lambda": [err(402, 402)]})
    with pytest.raises(ApiError) as caught:
        renderer_for(script, tmp_path).export(Session("1", None), lambda: READY)
    assert caught.value.code == 402
    assert len(start_bodies(script)) == 1


# --------------------------------------------------------------------------- command


def test_options_override_the_environment(tmp_path):
    photo = tmp_path / "a.png"
    photo.write_bytes(b"png")
    env = {
        "NEMO_CHECK_PROMPT": "from env",
        "NEMO_CHECK_FILES": "",
        "NEMO_CHECK_OUTPUT": str(tmp_path / "env.mp4"),
        "NEMO_CHECK_TIME_SCALE": "0.5",
    }
    task = read_task(
        ["--prompt", "from argv", "--files", f"{photo}:", "--time-scale", "0.02"], env, "x"
    )
    assert task.prompt == "from argv"
    assert task.files == (photo,)
    assert task.output == tmp_path / "env.mp4"
    assert task.time_scale == 0.02
    assert task.wait(30) == pytest.approx(0.6)
    assert read_task([], env, "x").time_scale == 0.5


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        ([], {"NEMO_CHECK_OUTPUT": "o.mp4"}),
        (["--prompt", "p"], {}),
        (["--prompt", "p", "--output", "o", "--time-scale", "fast"], {}),
        (["--prompt", "p", "--output", "o", "--time-scale", "-1"], {}),
        (["--prompt", "p", "--output", "o", "--files", "/no/such/file.png"], {}),
        (["--bogus"], {}),
    ],
)
def test_bad_options_are_usage_errors(argv, env):
    with pytest.raises(UsageError):
        read_task(argv, env, "x")


def test_a_missing_api_url_is_exit_1(tmp_path):
    assert main(["--prompt", "p", "--output", str(tmp_path / "o.mp4")], {}) == 1


class Failing(Client):
    error: Exception = RuntimeError("boom")

    def run(self) -> None:
        raise self.error


@pytest.mark.parametrize(
    ("error", "code", "words"),
    [
        (ApiError("runSse", 2001, "x", {"data": {"bind_url": "https://w/register?bind=anon_1"}}),
         2, "https://w/register?bind=anon_1"),
        (ApiError("runSse", 2001, "x", {"data": {"bind_url": None}}), 2, "top up"),
        (ApiError("startRender", 402, "x", None), 2, "register or upgrade"),
        (ApiError("uploadFiles", 4001, "x", None), 2, "mp4 mov avi webm mkv"),
        (ApiError("uploadFiles", 4002, "x", None), 2, "compress or trim"),
        (ApiError("getRender", 404, "x", None), 1, "404"),
        (GaveUp("render stuck"), 3, "render stuck"),
        (RuntimeError("boom"), 1, "boom"),
    ],
)  # fmt: skip
def test_exit_codes_and_advice(tmp_path, capsys, error, code, words):
    failing = type("F", (Failing,), {"error": error})
    argv = ["--prompt", "p", "--output", str(tmp_path / "o.mp4")]
    assert main(argv, ENV, client_class=failing) == code
    assert words in capsys.readouterr().err


class LosingSessions(Client):
    """Every attempt loses its session."""

    attempts = 0

    def make_video(self) -> None:
        type(self).attempts += 1
        raise SessionLost("getSessionState", 1002, "session not found")


def test_a_lost_session_is_replaced_a_few_times_then_the_client_gives_up(tmp_path, capsys):
    argv = ["--prompt", "p", "--output", str(tmp_path / "o.mp4")]
    assert main(argv, ENV, client_class=LosingSessions) == 3
    assert LosingSessions.attempts == 1 + Client.max_new_sessions
    assert "4 sessions were lost (1002)" in capsys.readouterr().err


def test_advice_for_every_documented_refusal():
    assert "register" in advice(2001, {"data": {"bind_url": "https://w/register?bind=a"}})
    assert "top up" in advice(2001, {"data": None})
    assert "register or upgrade" in advice(402, None)
    assert "Supported formats" in advice(4001, None)
    assert "compress or trim" in advice(4002, None)


def test_summarise_a_draft():
    state = {
        "draft": {
            "t": [
                {"tt": 0, "n": "Video", "sg": [{"s": 0, "d": 10000, "n": "city timelapse"}]},
                {"tt": 1, "n": "BGM", "sg": [{"s": 0, "d": 10000, "n": "Lo-fi", "v": 35}]},
                {"tt": 7, "n": "Title", "sg": [{"s": 0, "d": 3000, "tx": "Urban Dreams"}]},
            ]
        }
    }
    assert summarise(state) == (
        "Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) "
        '3. Title: "Urban Dreams" (0-3s)'
    )


# --------------------------------------------------------------------------- careless


def test_broken_rules_are_rule_ids():
    assert {rule.id for rule in RULES} >= BROKEN_RULES
    assert len(BROKEN_RULES) >= 5


def test_careless_leaves_x_skill_version_off_get_requests_only():
    script = Script(
        {TOKEN: [token()], "/credits/": [ok({})], "/api/tasks/": [ok({"session_id": "1"})]}
    )
    api = make_api(script, api_class=CarelessApi)
    api.call("getCreditBalance", "GET", "/api/credits/balance/simple")
    api.call("createSession", "POST", "/api/tasks/me/with-session/nemo_agent", json={})
    get, post = script.requests[1], script.requests[2]
    assert "x-skill-version" not in get.headers
    assert post.headers["X-Skill-Version"]


def test_careless_retries_429_at_once_and_2001_three_times():
    script = Script({TOKEN: [err(429, 429)] * 2 + [token()], "/run_sse": [err(402, 2001)]})
    api = make_api(script, api_class=CarelessApi)
    assert api.tokens is not None
    api.tokens.bearer()
    assert api.slept == []  # type: ignore[attr-defined]
    with pytest.raises(ApiError):
        api.open_stream("runSse", "/run_sse", json={}, read_timeout=1)
    assert sum(r.url.path == "/run_sse" for r in script.requests) == 4


def test_careless_polls_renders_too_often():
    assert CarelessRenderer.poll_every_s < Renderer.poll_every_s
    assert CarelessRenderer.max_polls > 30
