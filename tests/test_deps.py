"""No request waits on the thread pool: every route and every dependency is a coroutine.

FastAPI runs a sync ``def`` route or dependency on anyio's thread pool, which for a route
that does no blocking work only costs a thread hand-off per request (issue 18: 1.6-1.8x of
the mock's throughput) and queues it behind whatever else waits there.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.settings import Settings


def _routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # FastAPI's included routers
            yield from _routes(route.original_router.routes)


def _is_coroutine(call: Any) -> bool:
    return (
        inspect.iscoroutinefunction(call)
        or inspect.iscoroutinefunction(type(call).__call__)
        or inspect.isasyncgenfunction(call)
    )


def _sync_dependencies(dependant: Dependant) -> Iterator[str]:
    for sub in dependant.dependencies:
        yield from _sync_dependencies(sub)
        if sub.call is not None and not _is_coroutine(sub.call):
            yield f"{sub.call.__module__}.{sub.call.__qualname__}"


def test_every_route_and_dependency_is_a_coroutine(tmp_path: Any) -> None:
    app = create_app(Settings(data_dir=tmp_path))
    routes = list(_routes(app.routes))
    assert len(routes) > 50  # the walk reached the surfaces' routers
    sync_routes = [r.path for r in routes if not _is_coroutine(r.endpoint)]
    sync_deps = {name for r in routes for name in _sync_dependencies(r.dependant)}
    assert sync_routes == []
    assert sync_deps == set()


def test_a_request_never_enters_the_thread_pool(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fastapi.dependencies.utils as fastapi_deps
    import fastapi.routing as fastapi_routing

    pooled: list[str] = []

    async def counting(func: Any, *args: Any, **kwargs: Any) -> Any:
        pooled.append(getattr(func, "__qualname__", repr(func)))
        return func(*args, **kwargs)

    monkeypatch.setattr(fastapi_deps, "run_in_threadpool", counting)
    monkeypatch.setattr(fastapi_routing, "run_in_threadpool", counting)
    with TestClient(create_app(Settings(data_dir=tmp_path))) as client:
        token = client.post("/api/auth/anonymous-token", headers={"X-Client-Id": "c1"})
        auth = {"Authorization": f"Bearer {token.json()['data']['token']}"}
        assert client.get("/api/credits/balance/simple", headers=auth).status_code == 200
        assert client.get("/_mock/journal", params={"limit": 5}).status_code == 200
        assert client.get("/_mock/ui/journal").status_code == 200
    assert pooled == []


def test_surface_routes_solve_no_dependency_but_where_parameters_are_validated(
    tmp_path: Any,
) -> None:
    """A surface route awaits ``deps.caller`` instead of declaring ``Depends``: FastAPI solves
    each dependency on every request (8-12 µs apiece, issue 18). Only a route whose query
    FastAPI validates keeps its token as a dependency, so the token is checked first."""
    from nemo_mock.mock_server.edge.surfaces import surface_of

    app = create_app(Settings(data_dir=tmp_path))
    surface_routes = [r for r in _routes(app.routes) if surface_of(r.path) is not None]
    assert len(surface_routes) > 25  # the walk reached both REST surfaces
    with_dependencies = {r.name for r in surface_routes if r.dependant.dependencies}
    assert with_dependencies == {"list_usage_conversations"}
