"""Which contract operation a request is: ``("POST", "/run_sse") -> runSse``.

An ``OperationIndex`` is built from one surface's contract (the single source of
truth), so the journal and the fault rules name operations exactly as the contract
does. Literal paths win over templated ones (``/api/render/proxy/draft`` is
``startRenderLegacy``, not ``getRenderLegacy`` with ``render_id=draft``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Match:
    operation_id: str
    params: dict[str, str]


@dataclass(frozen=True)
class _Route:
    method: str
    pattern: re.Pattern[str]
    operation_id: str
    literal: bool


class OperationIndex:
    """``(method, path template, operationId)`` triples, resolved against request paths."""

    def __init__(self, routes: Iterable[tuple[str, str, str]]) -> None:
        routes = list(routes)
        compiled = [
            _Route(method, _compile(path), operation_id, "{" not in path)
            for method, path, operation_id in routes
        ]
        self._routes = sorted(compiled, key=lambda r: not r.literal)
        self.operation_ids = frozenset(operation_id for _, _, operation_id in routes)

    def methods_of(self, operation_ids: Iterable[str]) -> frozenset[str]:
        """The HTTP methods these operations are called with."""
        wanted = set(operation_ids)
        return frozenset(r.method for r in self._routes if r.operation_id in wanted)

    def resolve(self, method: str, path: str) -> Match | None:
        for route in self._routes:
            if route.method != method.upper():
                continue
            found = route.pattern.fullmatch(path)
            if found:
                return Match(route.operation_id, found.groupdict())
        return None


def _compile(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts)
    )
    return re.compile(regex)
