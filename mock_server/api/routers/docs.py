"""The contracts, served as written: ``/openapi.json`` is ``contracts/openapi.yaml``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from contracts.loader import load_control, load_openapi

SWAGGER_ASSETS = "/_mock/swagger-ui"

router = APIRouter(include_in_schema=False)


@router.get("/openapi.json")
async def nemovideo_contract() -> dict[str, Any]:
    return load_openapi()


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
        swagger_favicon_url=f"{SWAGGER_ASSETS}/favicon-32x32.png",
    )
