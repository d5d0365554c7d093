"""Routing that tries only the routes a path could match: the framework's choice, found sooner.

FastAPI's router tries its routes in order (here ~30 included routers holding ~100 routes,
the surfaces first, then ``/_mock``); each included router that does not match still costs
a scan of its own routes. ``RouteIndex`` stands in for the router's own dispatch: it walks a
trie of the routes' leading literal path segments (``/api/credits/...`` → ``api`` →
``credits``) to the routes that could match the path, in their original order, and hands
the request to a copy of the router holding just those. Everything else is the router's own
code: the first full match, else the first partial one (405 with ``Allow``), the
trailing-slash redirect, the low-priority routes, 404, websockets, lifespan.

A route is kept out of a path's candidates only when its regex provably cannot match the
path: its regex begins with the literal segments the trie holds it under. A route whose path
starts with a parameter, a host route, or one of a kind this module does not know is tried
for every path. ``tests/edge/test_route_index.py`` holds the equivalence.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from fastapi import FastAPI
from fastapi.routing import APIRoute, APIRouter, APIWebSocketRoute
from starlette._utils import get_route_path
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute, compile_path
from starlette.types import Receive, Scope, Send

__all__ = ["RouteIndex", "install_route_index", "literal_segments"]

#: The ``matches`` whose answer depends only on ``path_regex`` (and method / scope type).
_REGEX_MATCHERS = frozenset(
    kind.matches for kind in (Route, WebSocketRoute, Mount, APIRoute, APIWebSocketRoute)
)

#: The trie's key for routes tried on every path.
_ANYWHERE: tuple[str, ...] = ()


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    #: positions (in the router's list) of the routes held at this node
    own: set[int] = field(default_factory=set)
    #: the router restricted to the routes held here and above, built once
    view: APIRouter | None = None


def literal_segments(path_format: str, path_regex: re.Pattern[str] | None) -> tuple[str, ...]:
    """The whole literal segments a path must start with to match, or ``()`` if unsure.

    Stops at the first segment holding a parameter and at an empty segment (so a trailing
    slash never decides the node: the redirect's path lands where the request's did), and
    gives up (``()``) unless the regex begins with exactly those segments.
    """
    if path_regex is None or not path_format.startswith("/"):
        return _ANYWHERE
    segments: list[str] = []
    for segment in path_format[1:].split("/"):
        if not segment or "{" in segment or "}" in segment:
            break
        segments.append(segment)
    if not segments:
        return _ANYWHERE
    prefix = "^" + re.escape("/" + "/".join(segments))
    rest = path_regex.pattern[len(prefix) :]
    if not path_regex.pattern.startswith(prefix) or not (rest == "$" or rest.startswith("/")):
        return _ANYWHERE
    return tuple(segments)


def _keys(route: BaseRoute) -> Iterator[tuple[str, ...]]:
    """The trie keys one of the router's entries is held under (several for a sub-router)."""
    contexts = getattr(route, "effective_route_contexts", None)
    if contexts is not None:  # an included router: every route it holds, flattened
        if route.effective_low_priority_routes():  # type: ignore[attr-defined]
            yield _ANYWHERE  # the low-priority pass walks the routers in the bucket
        included = _included_routes(route)
        if included is not None:
            for prefix, held in included:
                yield _own_key(held, prefix)
            return
        for context in contexts():
            original = context.original_route
            if isinstance(original, APIRoute):
                yield literal_segments(context.path_format, context.path_regex)
            else:
                starlette_route = context.starlette_route
                yield _ANYWHERE if starlette_route is None else _own_key(starlette_route)
        return
    yield _own_key(route)


def _included_routes(included: BaseRoute) -> list[tuple[str, BaseRoute]] | None:
    """The routes an included router holds (through nested inclusions), each with the
    prefix it is mounted under, read from the router's own routes; ``None`` where FastAPI
    holds them some other way. FastAPI's effective routes (``effective_route_contexts``)
    give the same paths, but build every route's dependencies again: ~65 ms per app, most
    of it for routers that never see a request (the framework builds them for the routers
    it tries)."""
    try:
        prefix: str = included.include_context.prefix  # type: ignore[attr-defined]
        routes: list[BaseRoute] = included.original_router.routes  # type: ignore[attr-defined]
    except AttributeError:
        return None
    found: list[tuple[str, BaseRoute]] = []
    for route in routes:
        if hasattr(route, "effective_route_contexts"):
            nested = _included_routes(route)
            if nested is None:
                return None
            found += [(prefix + inner, held) for inner, held in nested]
        else:
            found.append((prefix, route))
    return found


def _own_key(route: BaseRoute, prefix: str = "") -> tuple[str, ...]:
    """The key of a route that matches by its regex; ``prefix``: the path it is mounted under
    (its regex then is the one its prefixed path compiles to)."""
    if type(route).matches not in _REGEX_MATCHERS:
        return _ANYWHERE
    if prefix and isinstance(route, Mount):  # FastAPI does not re-path these: tried everywhere
        return _ANYWHERE
    if not prefix:
        return literal_segments(
            getattr(route, "path_format", ""), getattr(route, "path_regex", None)
        )
    path_regex, path_format, _ = compile_path(prefix + route.path)  # type: ignore[attr-defined]
    return literal_segments(path_format, path_regex)


class RouteIndex:
    """The router's dispatch (``router.middleware_stack``), narrowed by the path's segments."""

    def __init__(self, router: APIRouter) -> None:
        self._router = router
        self._dispatch = router.middleware_stack
        self._built_for: tuple[int, int, int] | None = None
        self._root = _Node()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._dispatch(scope, receive, send)
            return
        if "router" not in scope:
            scope["router"] = self._router
        await self.view(get_route_path(scope)).app(scope, receive, send)

    def candidates(self, route_path: str) -> Sequence[BaseRoute]:
        """The routes tried for ``route_path``, in the router's order."""
        return self.view(route_path).routes

    def view(self, route_path: str) -> APIRouter:
        routes = self._router.routes
        if self._built_for != (id(routes), len(routes), self._router._routes_version):
            self._build()
        node = self._root
        # ``$`` also matches before a final newline: "/a/b\n" matches ^/a/b$
        for segment in route_path.removesuffix("\n").split("/")[1:]:
            child = node.children.get(segment)
            if child is None:
                break
            node = child
        assert node.view is not None
        return node.view

    def _build(self) -> None:
        routes = self._router.routes
        root = _Node()
        for position, route in enumerate(routes):
            for key in _keys(route):
                node = root
                for segment in key:
                    node = node.children.setdefault(segment, _Node())
                node.own.add(position)
        self._fill(root, frozenset(), routes)
        self._root = root
        self._built_for = (id(routes), len(routes), self._router._routes_version)

    def _fill(self, node: _Node, above: frozenset[int], routes: list[BaseRoute]) -> None:
        held = above | node.own
        view = copy.copy(self._router)
        view.routes = [routes[position] for position in sorted(held)]
        node.view = view
        for child in node.children.values():
            self._fill(child, held, routes)


def install_route_index(app: FastAPI) -> RouteIndex:
    """Route ``app``'s requests through a ``RouteIndex`` (once every route is in place)."""
    router = app.router
    if router.middleware_stack != router.app:  # router middleware would be skipped
        raise RuntimeError("the router has middleware of its own: no route index")
    index = RouteIndex(router)
    router.middleware_stack = index
    return index
