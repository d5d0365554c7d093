"""The gateway surface (§6 of the API notes): the host the vendor's CLI ``nemovideo`` talks to.

REST (``contracts/gateway/openapi.yaml``) and a WebSocket chat
(``contracts/gateway/asyncapi.yaml``) over the same accounts, ledger, projects and agent
turns as the skill surface. Operations are named ``gateway.<operationId>``.
"""

from __future__ import annotations

from fastapi import APIRouter

from nemo_mock.mock_server.surfaces.gateway.routers import (
    auth,
    billing,
    chat,
    files,
    projects,
    renders,
)

ROUTERS: tuple[APIRouter, ...] = tuple(
    module.router for module in (auth, billing, projects, renders, files, chat)
)
