"""Keys that the journal, the faults middleware and the routes share in the ASGI scope."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

#: A ``dict`` the journal puts in the scope; routes add facts only the mock knows.
NOTES = "nemo_mock.notes"
#: ``{"rule": id, "action": {...}}`` of the fault that fired on this request, set by faults.
FAULT = "nemo_mock.fault"
#: The fault's action object, for the routes that act it out (SSE and render faults).
FAULT_ACTION = "nemo_mock.fault_action"


def note(scope: MutableMapping[str, Any], **facts: Any) -> None:
    """Record facts about this request in the journal (a no-op without a journal)."""
    notes = scope.get(NOTES)
    if isinstance(notes, dict):
        notes.update(facts)
