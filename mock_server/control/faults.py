"""Control plane: fault rules (``contracts/control.yaml``, tag Faults)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from nemo_mock.mock_server.deps import Context
from nemo_mock.mock_server.domain.errors import BadRequest, NotFound
from nemo_mock.mock_server.domain.validation import describe_errors
from nemo_mock.mock_server.faults.rules import FaultRule
from nemo_mock.mock_server.faults.spec import VALID_FORMS, SpecError, parse_rule

router = APIRouter(prefix="/_mock", tags=["control"])


@router.post("/faults", status_code=201)
async def create_fault(request: Request, ctx: Context) -> JSONResponse:
    rule = read_rule(await request.body())
    return JSONResponse(ctx.faults.add(rule).to_json(), status_code=201)


@router.get("/faults")
async def list_faults(ctx: Context) -> dict[str, Any]:
    return {"faults": [active.to_json() for active in ctx.faults.rules()]}


@router.delete("/faults")
async def clear_faults(ctx: Context) -> dict[str, Any]:
    return {"deleted": ctx.faults.clear()}


@router.delete("/faults/{fault_id}")
async def delete_fault(fault_id: str, ctx: Context) -> dict[str, Any]:
    removed = ctx.faults.remove(fault_id)
    if removed is None:
        known = ", ".join(a.rule_id for a in ctx.faults.rules()) or "none"
        raise NotFound(f"no fault {fault_id!r} (faults now: {known})")
    return removed.to_json()


def read_rule(raw: bytes) -> FaultRule:
    """A rule as JSON (``{"operation": …, "action": {…}}``) or as ``{"spec": "…"}``."""
    try:
        document = json.loads(raw) if raw.strip() else None
    except ValueError as exc:
        raise BadRequest(f"invalid body: not JSON ({exc})") from None
    except RecursionError:
        raise BadRequest("invalid body: JSON nested too deeply (a fault rule is flat)") from None
    if not isinstance(document, dict):
        raise BadRequest('invalid body: a fault rule is an object, e.g. {"spec": "error=1001"}')
    if set(document) == {"spec"}:
        return _from_spec(document["spec"])
    try:
        return FaultRule.model_validate(document)
    except ValidationError as exc:
        raise BadRequest(f"invalid fault rule: {describe_errors(exc.errors(), 'body')}") from None


def _from_spec(spec: Any) -> FaultRule:
    if not isinstance(spec, str):
        raise BadRequest("invalid body: spec must be a string like 'operation=runSse cut=3'")
    try:
        return parse_rule(spec)
    except SpecError as exc:
        raise BadRequest(exc.message, data={"valid_forms": list(VALID_FORMS)}) from None
