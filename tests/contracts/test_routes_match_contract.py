"""The app's routes and the contracts' operations are the same set, named alike.

``NOT_IMPLEMENTED`` lists the contract operations that have no route yet; it
can only shrink: each entry must still be in the contract and still unrouted.
"""

import re
from importlib import import_module

from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, APIWebSocketRoute

from nemo_mock.contracts.loader import load_contract, load_control, load_openapi, operations
from nemo_mock.mock_server.edge.surfaces import SURFACES
from tests.helpers.contracts import NOT_IMPLEMENTED


def snake(operation_id: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation_id).lower()


def app_operations(app) -> dict[tuple[str, str], str]:
    """(METHOD, path) -> route function name, for the operations FastAPI itself enumerates
    in its schema; a WebSocket route is its handshake, a GET."""
    generated = get_openapi(title="routes", version="0", routes=app.routes)
    names = {
        (method, route.path): route.name
        for route in app.routes
        if isinstance(route, APIRoute)
        for method in route.methods
    }
    sockets = {
        ("GET", route.path): route.name
        for surface in SURFACES
        for router in import_module(surface.package).ROUTERS
        for route in router.routes
        if isinstance(route, APIWebSocketRoute)
    }
    return {
        (method.upper(), path): names[method.upper(), path]
        for path, item in generated["paths"].items()
        for method in item
    } | sockets


def contract_operations() -> dict[tuple[str, str], str]:
    documents = [load_contract(c) for s in SURFACES for c in s.contracts] + [load_control()]
    ops = [op for document in documents for op in operations(document)]
    return {(op.method, op.path): op.operation_id for op in ops}


def test_every_routed_operation_is_in_a_contract(app):
    extra = set(app_operations(app)) - set(contract_operations())
    assert not extra, f"routes missing from the contracts: {sorted(extra)}"


def test_every_contract_operation_is_routed_or_listed_as_not_implemented(app):
    routed = app_operations(app)
    missing = {op_id for key, op_id in contract_operations().items() if key not in routed}
    assert missing == NOT_IMPLEMENTED


def test_not_implemented_operations_really_are_unrouted_contract_operations(app):
    contract_ids = set(contract_operations().values())
    routed_ids = {
        op_id for key, op_id in contract_operations().items() if key in app_operations(app)
    }
    assert contract_ids >= NOT_IMPLEMENTED
    assert not NOT_IMPLEMENTED & routed_ids


def test_route_functions_are_named_after_operation_ids(app):
    contract = contract_operations()
    for key, name in app_operations(app).items():
        assert name == snake(contract[key]), f"{key}: {name} should be {snake(contract[key])}"


def test_served_contract_is_the_file(client):
    assert client.get("/openapi.json").json() == load_openapi()
    assert client.get("/_mock/openapi.json").json() == load_control()


def test_each_surface_serves_its_contract(client):
    for surface in SURFACES:
        served = client.get(f"/_mock/surfaces/{surface.name}/openapi.json")
        assert served.status_code == 200
        assert served.json() == load_contract(surface.contracts[0])
    assert client.get("/_mock/surfaces/skill/openapi.json").json() == load_openapi()
    unknown = client.get("/_mock/surfaces/nope/openapi.json")
    assert unknown.status_code == 404 and "skill" in unknown.json()["message"]


def test_swagger_ui_works_offline(client):
    page = client.get("/docs")
    assert page.status_code == 200 and "/_mock/swagger-ui/swagger-ui-bundle.js" in page.text
    asset = client.get("/_mock/swagger-ui/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.content) > 100_000
    assert client.get("/_mock/docs").status_code == 200
