"""Control plane: the scenario library, and loading a scenario at run time."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from nemo_mock.mock_server.deps import Context
from nemo_mock.mock_server.domain.validation import reject_nulls
from nemo_mock.mock_server.edge.bodies import parse_body
from nemo_mock.mock_server.scenarios.library import parse_scenario

router = APIRouter(prefix="/_mock", tags=["control"])


class LoadScenario(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    name: str | None = Field(default=None, min_length=1, max_length=200)
    scenario: dict[str, Any] | None = None

    @model_validator(mode="before")
    @classmethod
    def _no_nulls(cls, value: Any) -> Any:
        return reject_nulls(value)

    @model_validator(mode="after")
    def _one_of(self) -> LoadScenario:
        if (self.name is None) == (self.scenario is None):
            raise ValueError("give either name (from the library) or scenario (a document)")
        return self


@router.get("/scenarios")
async def list_scenarios(ctx: Context) -> dict[str, Any]:
    return {
        "scenarios": [s.summary() for s in ctx.scenarios.all()],
        "loaded": list(ctx.loaded_scenarios),
    }


@router.get("/scenarios/{name}")
async def get_scenario(name: str, ctx: Context) -> dict[str, Any]:
    return ctx.scenarios.get_by_name(name).model_dump(mode="json", exclude_none=True)


@router.post("/scenarios")
async def load_scenario(request: Request, ctx: Context) -> dict[str, Any]:
    body = parse_body(await request.body(), LoadScenario)
    scenario = (
        ctx.scenarios.get_by_name(body.name)
        if body.name is not None
        else parse_scenario(body.scenario, origin="scenario")
    )
    rules = ctx.load_scenario(scenario)
    return {**scenario.summary(), "faults": [rule.to_json() for rule in rules]}
