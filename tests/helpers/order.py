"""The order the suite's modules are handed to the xdist workers: by tier, then the longest
first.

``./dev test`` runs the suite as one session (``--dist loadfile``: a module's tests stay on
one worker, in order; ``--no-loadscope-reorder``: xdist would otherwise order modules by
their number of tests, which says little about their time). A worker down to the last test
of its module takes the next module (``tests/helpers/tiers.py``). The modules come in
tiers, a test's tier named by its markers (``TIERS``): every fast module first, then the
live ones, then the slow ones (a module with tests of several tiers comes with its first),
so the cheap tests report first; within a tier the longest come first, so the last to
finish are short ones, not a two-minute module started when the others were almost done
(the slow tier's render module once ran last, alone, for its whole 115 s).

``LONGEST`` is measured (seconds of wall time per module on 2 busy cores, ``./dev test``,
2026-12-07); modules not listed keep their order after the listed ones of their tier. Being
wrong only costs time, never a result.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import pytest

#: The tiers, in the order they run.
TIERS = ("fast", "live", "slow", "nightly")


def tier_named(markers: Collection[str]) -> int:
    """The tier (an index into ``TIERS``) of a test with these markers."""
    for index in range(len(TIERS) - 1, 0, -1):
        if TIERS[index] in markers:
            return index
    return 0


def tier_of(item: pytest.Item) -> int:
    """``item``'s tier (an index into ``TIERS``), from its markers."""
    return tier_named({mark.name for mark in item.iter_markers()})


LONGEST: dict[str, float] = {
    # slow tier
    "tests/contracts/test_schemathesis.py": 79,  # 2 tests, its 49 operations subtests
    "tests/test_seed_try_saying.py": 52,
    "tests/test_seed_try_saying_slideshows.py": 48,
    "tests/test_seed_try_saying_promos.py": 46,
    "tests/surfaces/mcp/test_check_client.py": 42,
    "tests/explore/test_explore_live.py": 32,
    "tests/surfaces/gateway/test_check_client.py": 26,
    "tests/surfaces/mcp/test_explore.py": 24,
    "tests/examples/test_node_example.py": 20,  # the examples' clients at 0.02 since 12-07
    "tests/examples/test_careless_example.py": 20,
    "tests/examples/test_bash_example.py": 19,
    "tests/contracts/test_schemathesis_stateful.py": 21,
    "tests/live/test_keepalives.py": 19,
    "tests/test_seed_prompts.py": 16,
    "tests/edge/test_contract_style_schemathesis.py": 15,
    "tests/live/test_fair_renders.py": 11,
    "tests/packaging/test_wheel.py": 8,
    # live tier
    "tests/docs/test_tutorials.py": 65,
    "tests/clients/test_reference_live.py": 47,
    "tests/eras/test_era_clients.py": 42,
    "tests/surfaces/gateway/test_explore.py": 41,
    "tests/surfaces/gateway/test_vendor_cli.py": 35,
    "tests/clients/test_careless_live.py": 32,
    "tests/ui/test_dashboard_snapshots.py": 32,
    "tests/ui/test_dashboard.py": 29,
    "tests/live/test_run_sse.py": 25,
    "tests/harness/test_check_client_url.py": 23,
    "tests/live/test_faults_live.py": 22,
    "tests/snapshots/test_snapshot_replay.py": 15,
    "tests/ui/test_swagger_pages.py": 12,
    "tests/persist/test_acceptance.py": 11,
    "tests/edge/test_slow_clients.py": 10,
    "tests/edge/test_linger.py": 10,
    # fast tier
    "tests/hardening/test_corpus.py": 17,
    "tests/surfaces/mcp/test_agents.py": 15,
    "tests/media/test_generated.py": 14,
    "tests/sse/test_turns.py": 12,
    "tests/surfaces/gateway/test_socket_faults.py": 11,
    "tests/faults/test_middleware.py": 9,
    "tests/surfaces/gateway/test_chat.py": 8,
    "tests/surfaces/mcp/test_media.py": 8,
}


def longest_first(items: Sequence[pytest.Item]) -> list[pytest.Item]:
    """``items`` module by module: the modules by tier (the first tier of any of their
    tests), then those of ``LONGEST`` first, longest first; a module's own tests (and the
    modules of a tier not listed) in their order."""
    tier: dict[str, int] = {}  # module -> the first tier of its tests
    first: dict[str, int] = {}  # module -> where its first test came
    for index, item in enumerate(items):
        module = _module(item)
        tier[module] = min(tier.get(module, len(TIERS)), tier_of(item))
        first.setdefault(module, index)

    def weight(item: pytest.Item) -> tuple[int, float, int]:
        module = _module(item)
        return (tier[module], -LONGEST.get(module, 0.0), first[module])

    return sorted(items, key=weight)  # stable: a module's tests keep their order


def _module(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]
