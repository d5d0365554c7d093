"""Request bodies of the gateway surface, as ``contracts/gateway/openapi.yaml`` describes them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


class VerifyRequest(_Body):
    token: str | None = Field(default=None, max_length=512)


class CreateProjectRequest(_Body):
    create_session: bool = True
    name: str | None = Field(default=None, min_length=1, max_length=200)


class ClaimExchangeRequest(_Body):
    project_id: str = Field(min_length=1, max_length=128)


class RenderOutput(_Body):
    format: Literal["mp4"] = "mp4"
    codec: Literal["h264"] = "h264"
    crf: int = Field(default=23, ge=0, le=51)
    quality: Literal["high", "medium", "low"] = "high"


class RenderRequest(BaseModel):
    """The CLI's ``{id, draft, sessionId, output: {format, codec, crf}}`` (0.1.8); an older
    CLI also sent ``projectId``."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    id: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")
    session_id: str = Field(alias="sessionId", min_length=1, max_length=128)
    project_id: str | None = Field(default=None, alias="projectId", max_length=128)
    draft: dict[str, Any]
    output: RenderOutput = Field(default_factory=RenderOutput)
