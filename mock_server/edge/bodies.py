"""Request bodies read whole and validated: every problem named in one 400."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from nemo_mock.mock_server.domain.errors import BadRequest
from nemo_mock.mock_server.domain.validation import describe_errors

M = TypeVar("M", bound=BaseModel)


def optional_body(raw: bytes, model: type[M]) -> M:
    """An omitted (empty) body means defaults; a present one must be a valid JSON object (a
    body of blanks alone is not: Schemathesis sent ``\r`` and a minted token came back)."""
    if not raw:
        return model()
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        raise BadRequest(f"invalid request: {describe_errors(exc.errors(), 'body')}") from None


def parse_body(raw: bytes, model: type[M]) -> M:
    """A required JSON body, validated; every problem named in one 400."""
    if not raw.strip():
        raise BadRequest("invalid request: a JSON body is required")
    return optional_body(raw, model)
