"""Request bodies of the NemoVideo surface, as the contract describes them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from nemo_mock.mock_server.domain.tokens import Scope


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


class CreateSessionRequest(_Body):
    """Both fields may be omitted; when present they must be strings (``null`` is refused)."""

    task_name: str | None = Field(default=None, max_length=200)
    language: str | None = Field(default=None, max_length=35)

    @field_validator("task_name", "language", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("must be a string when present (omit the field instead of null)")
        return value


class ClaimTokenRequest(_Body):
    task_id: str = Field(min_length=1, max_length=128)
    session_id: str = Field(min_length=1, max_length=128)


class RenderOutput(_Body):
    format: Literal["mp4"] = "mp4"
    quality: Literal["high", "medium", "low"] = "high"


class RenderRequest(BaseModel):
    """§4.8: all snake_case but ``sessionId`` (camelCase, the one exception)."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")
    session_id: str = Field(alias="sessionId", min_length=1, max_length=128)
    draft: dict[str, Any]
    output: RenderOutput = Field(default_factory=RenderOutput)


class MessagePart(_Body):
    text: str = Field(min_length=1, max_length=20_000)


class NewMessage(_Body):
    parts: list[MessagePart] = Field(min_length=1, max_length=20)


class RunSseRequest(_Body):
    """§4.4, all snake_case."""

    app_name: Literal["nemo_agent"]
    user_id: str = Field(min_length=1, max_length=64)
    session_id: str = Field(min_length=1, max_length=128)
    new_message: NewMessage
    #: ADK's ``RunAgentRequest.streaming``: in the ``adk`` stream style, texts arrive as
    #: ``partial`` chunks first (ignored by the ``simple`` style).
    streaming: bool = False

    @property
    def message(self) -> str:
        return "\n".join(part.text for part in self.new_message.parts)


class CreateApiTokenRequest(_Body):
    """The first README's ``POST /api/tokens`` (v1.0 era)."""

    name: str = Field(min_length=1, max_length=100)
    scopes: list[Scope] = Field(
        default_factory=lambda: [Scope.READ, Scope.WRITE, Scope.UPLOAD], min_length=1
    )
    #: ``None``: the token never expires.
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)
