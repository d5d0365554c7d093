"""Finding a request's route in the real app: the router's full scan vs the route index.

For one path per surface (and ``/_mock``, a static file, an unknown path) it times what the
router does before a route runs: each entry's ``matches`` in turn until the first full
match, over all the router's entries and over the index's candidates for the path
(``edge/route_index.py``). Interleaved in blocks, in one process; printed: microseconds
per lookup and the ratio. The end-to-end figure (CPU per request of a served mock) is
``bench/rest_bench.py``'s.

    python bench/routing_bench.py [--lookups 3000] [--blocks 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from starlette.routing import BaseRoute, Match

from bench.loadgen import load_average
from nemo_mock.mock_server.app import create_app
from nemo_mock.mock_server.edge.route_index import RouteIndex
from nemo_mock.mock_server.settings import Settings

PATHS = (
    ("skill", "GET", "/api/credits/balance/simple"),
    ("gateway", "GET", "/billing/balance"),
    ("mcp", "POST", "/mcp"),
    ("/_mock", "GET", "/_mock/journal"),
    ("health", "GET", "/_mock/health"),
    ("static", "GET", "/_mock/ui/static/ui.css"),
    ("unknown", "GET", "/nowhere"),
)


def lookup(routes: Sequence[BaseRoute], method: str, path: str) -> None:
    scope: dict[str, Any] = {"type": "http", "path": path, "root_path": "", "method": method}
    for route in routes:
        if route.matches(scope)[0] is Match.FULL:
            return


def timed(routes: Sequence[BaseRoute], method: str, path: str, lookups: int) -> float:
    start = time.perf_counter()
    for _ in range(lookups):
        lookup(routes, method, path)
    return (time.perf_counter() - start) / lookups * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lookups", type=int, default=3000)
    parser.add_argument("--blocks", type=int, default=5)
    args = parser.parse_args()
    print(f"before: {load_average()}")
    app = create_app(Settings())
    index = app.router.middleware_stack
    assert isinstance(index, RouteIndex)
    print(f"{len(app.router.routes)} entries in the router")
    for label, method, path in PATHS:
        narrowed = index.candidates(path)
        full: list[float] = []
        indexed: list[float] = []
        for _ in range(args.blocks):
            full.append(timed(app.router.routes, method, path, args.lookups))
            indexed.append(timed(narrowed, method, path, args.lookups))
            indexed[-1] += _walk_cost(index, path, args.lookups)
        scan, walk = statistics.median(full), statistics.median(indexed)
        print(
            f"  {label:<8} {method} {path:<30} scan {scan:6.1f} µs  index {walk:5.1f} µs "
            f"({len(narrowed)} tried)  index / scan = {walk / scan:.2f}"
        )
    print(f"after: {load_average()}")


def _walk_cost(index: RouteIndex, path: str, lookups: int) -> float:
    """The index's own cost: the trie walk that picks the candidates."""
    start = time.perf_counter()
    for _ in range(lookups):
        index.view(path)
    return (time.perf_counter() - start) / lookups * 1e6


if __name__ == "__main__":
    main()
