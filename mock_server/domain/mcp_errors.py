"""Refusals that only the MCP surface has, in the one ``NemoError`` family.

    NemoError
    ├── Conflict                 409
    │   ├── VersionConflict      409  save against a stale base_version (carries the current)
    │   └── TurnRunning          409  the session already has a delegated turn running
    ├── PlanRequired             403  the account's plan does not include the tool
    └── ScopeNotGranted          403  the OAuth grant lacks the tool's scope

On this surface ``InsufficientCredits`` (2001 elsewhere) answers 402: see
``mock_server/mcp/errors.py``, the one place that maps codes to MCP tool errors.
"""

from __future__ import annotations

from typing import ClassVar

from nemo_mock.mock_server.domain.errors import Conflict, NemoError


class VersionConflict(Conflict):
    default_message = "the draft changed since your base_version"


class TurnRunning(Conflict):
    default_message = "the session already has a turn running: nothing was accepted"


class PlanRequired(NemoError):
    code: ClassVar[int] = 403
    default_message = "your plan does not include this tool"


class ScopeNotGranted(NemoError):
    code: ClassVar[int] = 403
    default_message = "the sign-in did not grant the scope this tool needs"
