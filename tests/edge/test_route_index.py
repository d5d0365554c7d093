"""The route index chooses exactly what FastAPI's router chooses, for every route of the app.

``choose`` transcribes the router's order (``APIRouter.app``): the first full match, else
the first partial one (405), else a trailing-slash redirect if the other form matches, else
the default (404). It runs over all the router's entries and over the index's candidates for
the same scope; the two must agree on the entry, the route inside it and its parameters.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette._utils import get_route_path
from starlette.routing import BaseRoute, Match

from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.domain.clock import ManualClock
from nemo_mock.mock_server.edge.route_index import (
    RouteIndex,
    _included_routes,
    _own_key,
    install_route_index,
    literal_segments,
)
from nemo_mock.mock_server.settings import Settings

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
PLACEHOLDER = re.compile(r"{([^}:]+)}")


@pytest.fixture(scope="module")
def app() -> FastAPI:
    return create_app(Settings())


def index_of(app: FastAPI) -> RouteIndex:
    index = app.router.middleware_stack
    assert isinstance(index, RouteIndex)
    return index


def route_shapes(app: FastAPI) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every route the app serves, flattened: its path format and parameter convertors."""
    for entry in app.router.routes:
        contexts = getattr(entry, "effective_route_contexts", None)
        if contexts is None:
            yield entry.path_format, entry.param_convertors  # type: ignore[attr-defined]
            continue
        for context in contexts():
            if isinstance(context.original_route, APIRoute):
                yield context.path_format, context.param_convertors
            else:
                route = context.starlette_route
                yield route.path_format, route.param_convertors


def scope_for(path: str, method: str = "GET", kind: str = "http", root: str = "") -> dict[str, Any]:
    return {
        "type": kind,
        "path": root + path,
        "root_path": root,
        "method": method,
        "headers": [],
        "query_string": b"",
        "scheme": "http",
        "server": ("testserver", 80),
    }


def _inner(entry: BaseRoute, scope: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
    match = getattr(entry, "_match", None)  # an included router: the route it picks inside
    if match is None:
        return None
    _, child_scope, route, _ = match(dict(scope))
    return id(route), child_scope.get("path_params", {})


def choose(routes: list[BaseRoute], scope: dict[str, Any]) -> tuple[Any, ...]:
    partial = None
    for entry in routes:
        outcome, child_scope = entry.matches(dict(scope))
        if outcome is Match.FULL:
            return ("full", id(entry), child_scope.get("path_params"), _inner(entry, scope))
        if outcome is Match.PARTIAL and partial is None:
            partial = ("partial", id(entry), child_scope.get("path_params"), _inner(entry, scope))
    if partial is not None:
        return partial
    route_path = get_route_path(scope)
    if scope["type"] == "http" and route_path != "/":
        other = dict(scope)
        path = scope["path"]
        other["path"] = path.rstrip("/") if route_path.endswith("/") else path + "/"
        for entry in routes:
            if entry.matches(dict(other))[0] is not Match.NONE:
                return ("redirect", id(entry))
    return ("default",)


def assert_same_choice(app: FastAPI, scope: dict[str, Any]) -> tuple[Any, ...]:
    index = index_of(app)
    everything = choose(app.router.routes, scope)
    narrowed = choose(list(index.candidates(get_route_path(scope))), scope)
    assert narrowed == everything, scope["path"]
    return everything


def fill(path_format: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda found: values[found.group(1)], path_format)


def test_the_app_has_no_low_priority_routes_the_choice_below_leaves_out(app: FastAPI) -> None:
    assert list(app.router._iter_low_priority_routes()) == []


def test_the_index_narrows(app: FastAPI) -> None:
    index = index_of(app)
    assert len(app.router.routes) >= 25
    assert len(index.candidates("/api/credits/balance/simple")) == 1
    journal = index.candidates("/_mock/journal")  # its GET and its DELETE, nothing else
    assert sorted(m for route in journal for m in route.methods) == ["DELETE", "GET"]
    assert len(index.candidates("/nowhere/at/all")) == 0


def test_every_route_with_every_method_and_kind(app: FastAPI) -> None:
    seen = set()
    for path_format, convertors in route_shapes(app):
        path = fill(path_format, dict.fromkeys(convertors, "x1"))
        for method in METHODS:
            for kind in ("http", "websocket"):
                seen.add(assert_same_choice(app, scope_for(path, method, kind))[0])
        for variant in (path + "/", path.rstrip("/"), path + "\n", path + "x", path[:-1]):
            seen.add(assert_same_choice(app, scope_for(variant))[0])
    assert {"full", "partial", "redirect", "default"} <= seen


def test_the_routes_the_app_answers_are_found(app: FastAPI) -> None:
    credits = assert_same_choice(app, scope_for("/api/credits/balance/simple"))
    assert credits[0] == "full"
    assert assert_same_choice(app, scope_for("/api/credits/balance/simple", "DELETE"))[0] == (
        "partial"
    )
    assert assert_same_choice(app, scope_for("/api/credits/balance/simple/"))[0] == "redirect"
    assert assert_same_choice(app, scope_for("/api/credits/balance/simple\n")) == credits
    assert assert_same_choice(app, scope_for("/ws/chat", kind="websocket"))[0] == "full"
    assert assert_same_choice(app, scope_for("/_mock/ui/static/ui.css"))[0] == "full"


ODD = st.lists(
    st.sampled_from([*"ab/_-.%{}~ é\n\t:?#@", "mock", "api", "ui", "v1", "_mock", "in"]),
    max_size=8,
).map("".join)


@st.composite
def request_scopes(draw: st.DrawFn, shapes: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    path_format, convertors = draw(st.sampled_from(shapes))
    values = {
        name: draw(st.from_regex(convertor.regex, fullmatch=True) | ODD)
        for name, convertor in convertors.items()
    }
    path = fill(path_format, values)
    path = draw(
        st.sampled_from(
            [
                path,
                path + "/",
                path.rstrip("/"),
                path + "//",
                path + "\n",
                path + draw(ODD),
                path[: draw(st.integers(0, len(path)))],
                "/" + draw(ODD),
                "//" + path.lstrip("/"),
            ]
        )
    )
    root = draw(st.sampled_from(["", "", "/base", "/api"]))
    return scope_for(
        path,
        draw(st.sampled_from(METHODS)),
        draw(st.sampled_from(["http", "http", "websocket"])),
        root,
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_request_gets_the_same_route(app: FastAPI, data: st.DataObject) -> None:
    shapes = list(route_shapes(app))
    assert_same_choice(app, data.draw(request_scopes(shapes)))


def small_app() -> FastAPI:
    """Shapes the mock lacks: a slash-only route, a path parameter, a leading parameter."""
    small = FastAPI()
    shapes = (
        ("/only-slash/", lambda: 1, ["GET"]),
        ("/files/{rest:path}", lambda rest: rest, ["PUT"]),
        ("/{first}/fixed", lambda first: first, ["GET"]),
        ("/n/{count:int}", lambda count: count, ["GET"]),
    )
    for path, endpoint, methods in shapes:  # a router each: an entry each at the top
        inner = APIRouter()
        inner.add_api_route(path, endpoint, methods=methods)
        small.include_router(inner, prefix="/in")
        small.include_router(inner)
        outer = APIRouter(prefix="/out")  # nested: the prefixes add up
        outer.include_router(inner, prefix="/deep")
        small.include_router(outer, prefix="/top")
    small.add_api_websocket_route("/w", lambda: None)
    small.mount("/m", StaticFiles(directory=Path(__file__).parent))
    install_route_index(small)
    return small


SMALL = small_app()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_shapes_the_mock_lacks_get_the_same_route(data: st.DataObject) -> None:
    small = SMALL
    assert_same_choice(small, data.draw(request_scopes(list(route_shapes(small)))))
    assert assert_same_choice(small, scope_for("/only-slash"))[0] == "redirect"
    assert assert_same_choice(small, scope_for("/in/files/a/b", "GET"))[0] == "partial"


def context_keys(entry: BaseRoute) -> list[tuple[str, ...]]:
    """An included router's keys as FastAPI's effective routes give its paths."""
    keys = []
    for context in entry.effective_route_contexts():  # type: ignore[attr-defined]
        route = context.starlette_route or context
        keys.append(literal_segments(route.path_format, route.path_regex))
    return keys


def test_the_mock_s_routes_are_its_own_not_included_routers(app: FastAPI) -> None:
    """``app.own_routes``: no router to scan twice per request (issue 18)."""
    assert not [e for e in app.router.routes if hasattr(e, "original_router")]
    assert {type(e).__name__ for e in app.router.routes} >= {"APIRoute", "APIWebSocketRoute"}


def test_included_routers_are_keyed_by_their_prefixed_paths_as_fastapi_builds_them() -> None:
    """The index reads an included router's paths from its prefix and its own routes (not
    FastAPI's effective routes, which it would build for every router of every app): the
    same keys."""
    entries = [e for e in SMALL.router.routes if hasattr(e, "effective_route_contexts")]
    assert entries, "no included router: FastAPI holds them some other way"
    for entry in entries:
        included = _included_routes(entry)
        assert included is not None
        assert [_own_key(route, prefix) for prefix, route in included] == context_keys(entry)


def test_literal_segments_stop_at_a_parameter_and_check_the_regex() -> None:
    assert literal_segments("/a/b/{x}", re.compile("^/a/b/(?P<x>[^/]+)$")) == ("a", "b")
    assert literal_segments("/a/b", re.compile("^/a/b$")) == ("a", "b")
    assert literal_segments("/a/file{x}", re.compile("^/a/file(?P<x>[^/]+)$")) == ("a",)
    assert literal_segments("/{x}/a", re.compile("^/(?P<x>[^/]+)/a$")) == ()
    assert literal_segments("/a/", re.compile("^/a/$")) == ("a",)
    assert literal_segments("/a/b", re.compile("^/a/c$")) == ()  # a regex of its own
    assert literal_segments("/a/b", re.compile("^/a/bc$")) == ()
    assert literal_segments("/a/b", None) == ()


def test_answers_are_the_same_with_and_without_the_index() -> None:
    requests = [
        ("GET", "/api/credits/balance/simple"),
        ("DELETE", "/api/credits/balance/simple"),
        ("GET", "/api/credits/balance/simple/"),
        ("GET", "/nowhere"),
        ("GET", "/_mock/health"),
        ("POST", "/_mock/health"),
        ("GET", "/_mock/ui/static/ui.css"),
        ("GET", "/_mock/ui/static/missing.css"),
        ("GET", "/_mock/ui/"),
    ]
    answers = []
    for indexed in (True, False):
        plain = create_app(Settings(), clock=ManualClock(), rng=random.Random(7))
        if not indexed:
            plain.router.middleware_stack = plain.router.app
        with TestClient(plain) as client:  # the lifespan runs through the index too
            answers.append(
                [
                    (
                        response.status_code,
                        response.headers.get("allow"),
                        response.headers.get("location"),
                        response.content,
                    )
                    for response in (
                        client.request(method, path, follow_redirects=False)
                        for method, path in requests
                    )
                ]
            )
    assert answers[0] == answers[1]
    statuses = [status for status, *_ in answers[0]]
    assert statuses[1] == 405 and statuses[2] == 307 and statuses[3] == 404
    assert answers[0][1][1] == "GET" and answers[0][5][1] == "GET"  # what Allow names
    assert statuses[4] == 200 and statuses[6] == 200
