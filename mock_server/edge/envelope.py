"""The NemoVideo response envelope: ``{"code": 0, "data": …}`` on success,
``{"code", "message", "data"}`` on errors."""

from __future__ import annotations

from typing import Any


def ok(data: Any) -> dict[str, Any]:
    return {"code": 0, "data": data}


def failure(code: int, message: str, data: Any = None) -> dict[str, Any]:
    return {"code": code, "message": message, "data": data}
