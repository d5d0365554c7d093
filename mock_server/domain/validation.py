"""Turn pydantic's error lists into one sentence a person can act on."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any

from pydantic import BeforeValidator

MAX_ERRORS_SHOWN = 5


def field_path(loc: Sequence[int | str], prefix: str = "") -> str:
    """``("t", 0, "sg", 2, "d")`` → ``draft.t[0].sg[2].d``."""
    out = prefix
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part:
            out += f".{part}" if out else str(part)
    return out or "(root)"


def describe_errors(errors: Iterable[Mapping[str, Any]], prefix: str = "") -> str:
    items = list(errors)
    shown = [
        f"{field_path(_useful_loc(e.get('loc', ())), prefix)}: {_message(e)}"
        for e in items[:MAX_ERRORS_SHOWN]
    ]
    more = len(items) - len(shown)
    return "; ".join(shown) + (f" (and {more} more)" if more > 0 else "")


def _useful_loc(loc: Sequence[int | str]) -> list[int | str]:
    # pydantic adds validator names such as "function-after[...]" to locations
    return [p for p in loc if not (isinstance(p, str) and "[" in p and p.endswith("]"))]


def _message(error: Mapping[str, Any]) -> str:
    msg = str(error.get("msg", "invalid value"))
    return msg.removeprefix("Value error, ")


def _whole(value: Any) -> Any:
    """An integer as JSON Schema sees it: 5 or 5.0, never true, "5" or 5.5."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be a whole number")
    return value


#: For strict bodies (control plane): a whole number, and nothing coerced into one.
WholeNumber = Annotated[int, BeforeValidator(_whole)]


def reject_nulls(value: Any, allowed: frozenset[str] = frozenset()) -> Any:
    """Strict bodies omit optional fields rather than send ``null`` (except ``allowed``)."""
    if isinstance(value, dict):
        nulls = sorted(str(k) for k, v in value.items() if v is None and k not in allowed)
        if nulls:
            raise ValueError(f"omit optional fields instead of sending null: {', '.join(nulls)}")
    return value
