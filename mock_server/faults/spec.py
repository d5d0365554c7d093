"""The one-line form of a fault, for ``X-Mock-Fault`` and ``nemo-mock serve --fault``.

A spec is ``key=value`` words (or bare flags) separated by spaces, commas or
semicolons; quote values with spaces: ``render_fail="disk full"``. The header
takes only an action (it applies to its own request); ``--fault`` and scenario
files may add match keys. The action keys, their aliases and types are the registry's
(``faults.kinds``); ``VALID_FORMS`` is written from it.
"""

from __future__ import annotations

import re
import shlex
from typing import Any

from pydantic import ValidationError

from nemo_mock.mock_server.domain.validation import describe_errors
from nemo_mock.mock_server.faults.actions import FaultAction
from nemo_mock.mock_server.faults.kinds import ACTION_KEYS as KEYS
from nemo_mock.mock_server.faults.kinds import KINDS
from nemo_mock.mock_server.faults.rules import FaultRule

#: One line per kind of the registry, in its order.
VALID_FORMS = tuple(kind.valid_form() for kind in KINDS)
MATCH_FORMS = (
    "match keys (--fault and scenarios only): operation=ID method=M path=GLOB token=TOKEN "
    "client_id=ID session=ID; nth=N | every=N | probability=P; times=N|unlimited",
)
MATCH_ALIASES = {"op": "operation", "client": "client_id", "p": "probability"}
ALIASES = {
    **MATCH_ALIASES,
    **{alias: key.name for key in KEYS.values() for alias in key.aliases},
}
FLAGS = {name for name, key in KEYS.items() if key.bare_allowed}
ACTION_KEYS = set(KEYS)
MATCH_KEYS = set(FaultRule.model_fields) - {"action"}
INTEGER_KEYS = {name for name, key in KEYS.items() if key.value == "whole"} | {
    "nth",
    "every",
    "times",
}
NUMBER_KEYS = {name for name, key in KEYS.items() if key.value == "number"} | {"probability"}


class SpecError(ValueError):
    """A spec that cannot be read; ``forms`` lists what can be written instead."""

    def __init__(self, message: str, forms: tuple[str, ...]) -> None:
        super().__init__(message)
        self.message = message
        self.forms = forms


def parse_action(spec: str) -> FaultAction:
    """An ``X-Mock-Fault`` header: an action only."""
    rule = _parse(spec, allow_match=False)
    return rule.action


def parse_rule(spec: str) -> FaultRule:
    """A ``--fault`` spec: an action and, optionally, what it matches."""
    return _parse(spec, allow_match=True)


def _parse(spec: str, *, allow_match: bool) -> FaultRule:
    forms = VALID_FORMS + (MATCH_FORMS if allow_match else ())
    words = _words(spec, forms)
    action: dict[str, Any] = {}
    match: dict[str, Any] = {}
    for word in words:
        key, value = _key_value(word, forms)
        if key in ACTION_KEYS:
            action[key] = _value(key, value, forms)
        elif key in MATCH_KEYS and allow_match:
            match[key] = _value(key, value, forms)
        elif key in MATCH_KEYS:
            raise SpecError(f"{key!r} is a match key; the header applies to its own request", forms)
        else:
            raise SpecError(f"unknown key {key!r} in fault spec {spec!r}", forms)
    if not action:
        raise SpecError(f"fault spec {spec!r} names no action", forms)
    try:
        return FaultRule.model_validate({**match, "action": action})
    except ValidationError as exc:
        reason = describe_errors(exc.errors()).removeprefix("(root): ")
        raise SpecError(f"fault spec {spec!r}: {reason}", forms) from None


def _words(spec: str, forms: tuple[str, ...]) -> list[str]:
    lexer = shlex.shlex(spec, posix=True)
    lexer.whitespace += ",;"
    lexer.whitespace_split = True
    try:
        words = list(lexer)
    except ValueError as exc:
        raise SpecError(f"cannot read fault spec {spec!r}: {exc}", forms) from None
    if not words:
        raise SpecError("empty fault spec", forms)
    return words


def _key_value(word: str, forms: tuple[str, ...]) -> tuple[str, str | None]:
    key, sep, value = word.partition("=")
    key = key.strip().lower()
    key = ALIASES.get(key, key)
    if key not in ACTION_KEYS | MATCH_KEYS:
        raise SpecError(f"unknown key {key!r}", forms)
    if not sep:
        if key not in FLAGS:
            raise SpecError(f"{key!r} needs a value ({key}=…)", forms)
        return key, None
    return key, value


def _value(key: str, value: str | None, forms: tuple[str, ...]) -> Any:
    if value is None:
        default = KEYS[key].default if key in KEYS else None
        return True if default is None else default
    try:
        if key in KEYS and KEYS[key].value == "ms":
            return _milliseconds(value)
        if key == "times" and value.lower() in {"unlimited", "inf", "always"}:
            return None
        if key == "method":
            return value.upper()
        if key in INTEGER_KEYS:
            return int(value)
        if key in NUMBER_KEYS:
            return float(value)
    except ValueError:
        raise SpecError(f"{key}={value!r}: not a number", forms) from None
    if key in KEYS and KEYS[key].value == "flag":
        return _flag(key, value, forms)
    return value


def _milliseconds(value: str) -> int:
    found = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s)?\s*", value)
    if not found:
        raise ValueError(value)
    number = float(found.group(1))
    return round(number * 1000) if found.group(2) == "s" else round(number)


def _flag(key: str, value: str, forms: tuple[str, ...]) -> bool:
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    raise SpecError(f"{key} is a flag: write {key} alone", forms)
