"""The behavioural contract of a correct NemoVideo client, as rules checked over the journal.

Each rule is named, documented and cites the section of ``nemovideo-api.md`` it comes from.
``judge(entries, ctx)`` applies every rule to the mock's journal and answers, per rule id,
``pass``, ``fail`` (with violations whose evidence is journal ``seq`` numbers) or
``not_exercised`` (the situation the rule is about never arose) or ``not_applicable`` (the
rule is not one of the era the client was judged in: ``Rule.eras``, ``RuleContext.era``).

=============================  =====  ==========================================================
rule                           §      a correct client…
=============================  =====  ==========================================================
attribution-headers            §2     sends X-Skill-Source/-Version/-Platform on every request
bearer-token                   §2     sends ``Authorization: Bearer`` on all but the token call
stable-client-id               §3     reuses one X-Client-Id (one change after a token-call 400)
no-token-in-url                §4.2   never puts its nmv_usr_ token in a path or query
valid-requests                 §4     sends only requests valid against contracts/skill/openapi.yaml
rate-limit-retry               §3     after 429 retries once, not before Retry-After
token-refresh                  §3     after 1001 gets one new token (same client id), repeats
session-recovery               §3     after 1002 creates a new session, leaves the lost one
no-retry-on-refusal            §3     after 2001/402 repeats the call at most once
no-resend-during-generation    §4.4   sends no message to a session while a generation runs
state-after-silent-close       §4.4   reads the state after a stream that ended without text
stream-drop-recovery           §4.4   after a drop waits 30 s, polls every 60 s (≤5 unchanged)
heartbeat-timeout              §4.4   closes a heartbeats-only stream itself at 10 min, not before
no-export-chat                 §4.4   never sends "export"/"download"/导出 as a chat message
export-ready-before-render     §4.7   reads an export-ready state right before each render
render-poll-cadence            §4.8   polls a render every 10-30 s, at most 30 times
render-failure-retry           §4.8   retries a failed render at most once, with a new id
duplicate-render-id            §4.8   uses a new id per render; after 409 one retry, new id
mcp-save-base-version          §7     saves a V3 draft against the version it was last shown
mcp-conflict-apply             §7     applies a conflict to the returned template (no re-read loop)
mcp-no-save-during-turn        §7     never saves while its own delegated turn may run
mcp-turn-polling               §7     polls a turn by turn_state before delegating again/rendering
mcp-idempotency-key            §7     reuses an idempotency_key only to retry (and to retry)
mcp-no-retry-refusal           §7     never repeats a call refused with 402 or 403
mcp-token-refresh              §7     a new token after a 401; never a refresh token twice
mcp-export-after-status        §7     claims an export only once get_render_status says completed
chat-reconnect-once            §6     after a socket drop mid-turn: one reconnect, no re-sent prompt
answer-ask-question            §6     answers an ask_question with a message naming an option
gateway-handshake-retry        §6     retries a refused chat handshake ≤10 times, backing off
gateway-pings                  §6     pings an open chat socket every 30 s
gateway-render-poll-backoff    §6     polls a Lambda render with backoff (2 s, x1.5, ≤15 s), ≤5 min
gateway-usage-paging           §6     reads usage history page by page (≤100), each page once
client-id-on-token-call        §8     sends X-Client-Id on the token call (all eras but v1.0)
no-legacy-auth                 §8     never sends the deprecated X-API-Key / X-User-Id headers
no-generate-endpoint           §8     never calls the undocumented POST /api/v1/generate
platform-of-era                §8     sends X-Skill-Platform github only in v1.0 / generated
link-of-era                    §8     gives the user the browser link of its era's form
=============================  =====  ==========================================================

Each rule judges the requests of its surfaces (``Rule.surfaces``): the skill rules the skill
and gateway surfaces, the ``mcp-*`` rules the MCP surface, ``valid-requests`` every one.

Modules: ``model`` (Rule, RuleContext, RuleResult, Violation), ``journal`` (reading entries),
one module per concern (``identity``, ``validity``, ``recovery``, ``refresh``, ``chat``,
``drops``, ``heartbeats``, ``render``, ``render_retry``, ``eras``, ``links``, ``mcp`` and
``mcp_export`` over ``mcp_calls``, ``gateway_chat``, ``gateway_socket`` and ``gateway_rest``
(the gateway), ``catalog`` (RULES, rule_by_id, judge).
"""

from __future__ import annotations

from nemo_mock.contracts.rules.catalog import RULES, judge, rule_by_id
from nemo_mock.contracts.rules.model import Rule, RuleContext, RuleResult, Status, Violation

__all__ = [
    "RULES",
    "Rule",
    "RuleContext",
    "RuleResult",
    "Status",
    "Violation",
    "judge",
    "rule_by_id",
]
