"""Every rule, in a stable order, and the judge that applies them to a journal."""

from __future__ import annotations

from collections.abc import Sequence

from nemo_mock.contracts.rules.chat import (
    NO_EXPORT_CHAT,
    NO_RESEND_DURING_GENERATION,
    STATE_AFTER_SILENT_CLOSE,
)
from nemo_mock.contracts.rules.drops import STREAM_DROP_RECOVERY
from nemo_mock.contracts.rules.eras import (
    CLIENT_ID_ON_TOKEN_CALL,
    NO_GENERATE_V1,
    NO_LEGACY_AUTH,
    PLATFORM_OF_ERA,
)
from nemo_mock.contracts.rules.gateway_chat import ANSWER_ASK_QUESTION, CHAT_RECONNECT_ONCE
from nemo_mock.contracts.rules.gateway_rest import RENDER_POLL_BACKOFF, USAGE_PAGING
from nemo_mock.contracts.rules.gateway_socket import HANDSHAKE_RETRY, PINGS
from nemo_mock.contracts.rules.heartbeats import HEARTBEAT_TIMEOUT
from nemo_mock.contracts.rules.identity import (
    ATTRIBUTION_HEADERS,
    BEARER_TOKEN,
    NO_TOKEN_IN_URL,
    STABLE_CLIENT_ID,
)
from nemo_mock.contracts.rules.links import LINK_OF_ERA
from nemo_mock.contracts.rules.mcp import MCP_RULES
from nemo_mock.contracts.rules.model import Rule, RuleContext, RuleResult
from nemo_mock.contracts.rules.recovery import (
    NO_RETRY_ON_REFUSAL,
    RATE_LIMIT_RETRY,
    SESSION_RECOVERY,
)
from nemo_mock.contracts.rules.refresh import TOKEN_REFRESH
from nemo_mock.contracts.rules.render import EXPORT_READY_BEFORE_RENDER, RENDER_POLL_CADENCE
from nemo_mock.contracts.rules.render_retry import DUPLICATE_RENDER_ID, RENDER_FAILURE_RETRY
from nemo_mock.contracts.rules.validity import VALID_REQUESTS
from nemo_mock.mock_server.journal.entry import JournalEntry

RULES: tuple[Rule, ...] = (
    ATTRIBUTION_HEADERS,
    BEARER_TOKEN,
    STABLE_CLIENT_ID,
    NO_TOKEN_IN_URL,
    VALID_REQUESTS,
    RATE_LIMIT_RETRY,
    TOKEN_REFRESH,
    SESSION_RECOVERY,
    NO_RETRY_ON_REFUSAL,
    NO_RESEND_DURING_GENERATION,
    STATE_AFTER_SILENT_CLOSE,
    STREAM_DROP_RECOVERY,
    HEARTBEAT_TIMEOUT,
    NO_EXPORT_CHAT,
    EXPORT_READY_BEFORE_RENDER,
    RENDER_POLL_CADENCE,
    RENDER_FAILURE_RETRY,
    DUPLICATE_RENDER_ID,
    *MCP_RULES,
    CHAT_RECONNECT_ONCE,
    ANSWER_ASK_QUESTION,
    HANDSHAKE_RETRY,
    PINGS,
    RENDER_POLL_BACKOFF,
    USAGE_PAGING,
    CLIENT_ID_ON_TOKEN_CALL,
    NO_LEGACY_AUTH,
    NO_GENERATE_V1,
    PLATFORM_OF_ERA,
    LINK_OF_ERA,
)

_BY_ID = {rule.id: rule for rule in RULES}


def rule_by_id(rule_id: str) -> Rule:
    """The rule called ``rule_id``; ``KeyError`` naming the known ids otherwise."""
    try:
        return _BY_ID[rule_id]
    except KeyError:
        raise KeyError(f"no rule {rule_id!r}; known: {', '.join(_BY_ID)}") from None


def judge(entries: Sequence[JournalEntry], ctx: RuleContext | None = None) -> dict[str, RuleResult]:
    """Every rule's verdict on the journal, keyed by rule id, in the order of ``RULES``; a
    rule whose eras exclude ``ctx.era`` is ``not_applicable``."""
    context = ctx if ctx is not None else RuleContext()
    return {
        rule.id: rule(entries, context)
        if rule.applies_to(context.era)
        else RuleResult("not_applicable")
        for rule in RULES
    }
