"""The skill surface (§4 of the API notes): REST, ``POST /run_sse``, uploads, state, renders.

Contract: ``contracts/skill/openapi.yaml``; operations keep their bare
operationIds (``runSse``, ``startRender``, …).
"""

from __future__ import annotations

from fastapi import APIRouter

from nemo_mock.mock_server.surfaces.skill.routers import (
    agent,
    auth,
    cdn,
    credits,
    renders,
    sessions,
    tokens,
    uploads,
    workspace,
)

ROUTERS: tuple[APIRouter, ...] = tuple(
    module.router
    for module in (auth, sessions, agent, uploads, credits, renders, tokens, cdn, workspace)
)
