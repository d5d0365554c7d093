"""``--explore`` puts a client's faults where that client calls: a gateway client's on the
gateway's operations (a skill operation never fires on the vendor CLI), each kind one the
fault registry allows on its operation (else arming the schedule would be refused)."""

from __future__ import annotations

import pytest

from nemo_mock.client_tests.explore.vocabulary import (
    DEFAULT_OPERATIONS,
    GATEWAY_OPERATIONS,
    KINDS,
    MCP_OPERATIONS,
    default_operations,
    fault_kind,
    kinds_for,
)
from nemo_mock.mock_server.faults.kinds import BY_NAME as FAULT_KINDS


def test_a_gateway_client_gets_faults_on_the_gateways_operations():
    operations = default_operations("gateway")
    assert operations == GATEWAY_OPERATIONS
    assert {"gateway.chatSocket", "gateway.submitLambdaRender"} <= set(operations)
    assert all(op.startswith("gateway.") for op in operations)
    assert "render_fail" in kinds_for("gateway.submitLambdaRender")


@pytest.mark.parametrize("surface", ["skill", "gateway", "mcp"])
def test_every_kind_drawn_for_an_operation_is_one_the_registry_allows_there(surface: str):
    for operation in default_operations(surface):
        for name in kinds_for(operation):
            allowed = FAULT_KINDS[fault_kind(KINDS[name])].operations
            assert allowed is None or operation in allowed, (operation, name)


def test_the_surfaces_operations_do_not_overlap():
    assert not set(DEFAULT_OPERATIONS) & set(GATEWAY_OPERATIONS)
    assert not set(MCP_OPERATIONS) & set(GATEWAY_OPERATIONS)


#: Kinds left out on purpose (vocabulary.py says why): a stuck or slow export would hold the
#: vendor CLI, which does not scale its waits, for its whole 5-minute poll.
LEFT_OUT = {
    ("gateway.submitLambdaRender", "render_pending"),
    ("gateway.submitLambdaRender", "render_slow"),
}


def test_every_kind_the_registry_confines_to_a_default_target_is_drawn_there():
    """A kind meant for a few operations (the render kinds for every export: startRender,
    the gateway's submitLambdaRender, mcp.render_video) is explored on each of them that a
    client's flow calls."""
    targets = {op for surface in ("skill", "gateway", "mcp") for op in default_operations(surface)}
    missing = [
        (operation, name)
        for name, kind in KINDS.items()
        for operation in sorted(FAULT_KINDS[fault_kind(kind)].operations or ())
        if operation in targets and name not in kinds_for(operation)
    ]
    assert set(missing) == LEFT_OUT, missing
    assert {"render_fail", "render_pending", "render_slow"} <= set(kinds_for("mcp.render_video"))
