"""Request bodies of the NemoVideo surface, as the contract describes them."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mock_server.domain.errors import BadRequest
from mock_server.domain.validation import describe_errors

M = TypeVar("M", bound=BaseModel)


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


def optional_body(raw: bytes, model: type[M]) -> M:
    """An omitted (empty) body means defaults; a present one must be a valid JSON object."""
    if not raw.strip():
        return model()
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        raise BadRequest(f"invalid request: {describe_errors(exc.errors(), 'body')}") from None
