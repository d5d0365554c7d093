"""The contracts, served as written: ``/openapi.json`` is ``contracts/skill/openapi.yaml``,
``/_mock/surfaces/<name>/openapi.json`` each surface's contract, ``/_mock/openapi.json``
the control plane's. Served with ``--no-control`` too. A surface's contract is rewritten for
``--error-style envelope`` (``edge/contract_style.py``): refusals sent as HTTP 200 are
documented under 200."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from nemo_mock.contracts.loader import load_contract, load_control
from nemo_mock.mock_server.deps import Context
from nemo_mock.mock_server.domain.errors import NotFound
from nemo_mock.mock_server.edge.contract_style import for_style
from nemo_mock.mock_server.edge.surfaces import SURFACES, Surface, surface_named

SWAGGER_ASSETS = "/_mock/swagger-ui"


def swagger_ui_path() -> str:
    """Swagger UI 5 (reads OpenAPI 3.1), shipped by the fastapi-offline wheel: no CDN."""
    import fastapi_offline

    return str(Path(fastapi_offline.__file__).parent / "static")


router = APIRouter(include_in_schema=False)


@router.get("/openapi.json")
async def nemovideo_contract(ctx: Context) -> dict[str, Any]:
    """The skill surface's contract as it holds under the error style in force."""
    document = load_contract(surface_named("skill").contracts[0])
    return for_style(document, ctx.settings.error_style)


@router.get("/_mock/surfaces/{name}/openapi.json")
async def surface_contract(name: str, ctx: Context) -> dict[str, Any]:
    surface = surface_named_or_404(name)
    return for_style(load_contract(surface.contracts[0]), ctx.settings.error_style)


@router.get("/_mock/surfaces/{name}/asyncapi.json")
async def surface_asyncapi(name: str) -> dict[str, Any]:
    """The surface's AsyncAPI document (the gateway's chat socket), as written."""
    asyncapi = surface_named_or_404(name).asyncapi
    if asyncapi is None:
        raise NotFound(f"surface {name!r} has no sockets, so no AsyncAPI document")
    return load_contract(asyncapi)


@router.get("/_mock/surfaces/{name}/docs")
async def surface_docs(name: str) -> HTMLResponse:
    surface_named_or_404(name)
    return _swagger(f"/_mock/surfaces/{name}/openapi.json", f"{name} surface (nemo-mock)")


def surface_named_or_404(name: str) -> Surface:
    try:
        return surface_named(name)
    except KeyError:
        known = ", ".join(s.name for s in SURFACES)
        raise NotFound(f"no surface {name!r} (surfaces: {known})") from None


@router.get("/_mock/openapi.json")
async def control_contract() -> dict[str, Any]:
    return load_control()


@router.get("/docs")
async def nemovideo_docs() -> HTMLResponse:
    return _swagger("/openapi.json", "NemoVideo API (nemo-mock)")


@router.get("/_mock/docs")
async def control_docs() -> HTMLResponse:
    return _swagger("/_mock/openapi.json", "nemo-mock control API")


def _swagger(openapi_url: str, title: str) -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url=openapi_url,
        title=title,
        swagger_js_url=f"{SWAGGER_ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{SWAGGER_ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{SWAGGER_ASSETS}/favicon.png",
    )
