"""What the eras of the documents disagree on (§8): the client id on the token call, the
deprecated legacy headers, the endpoint only generated skills call, the platform value.

Each rule says which eras it applies to (``Rule.eras``); the others come from every era
and read the era's documented values from ``RuleContext.profile``.
"""

from __future__ import annotations

from collections.abc import Sequence

from nemo_mock.contracts.rules.journal import call_name, header, on_api, ordered
from nemo_mock.contracts.rules.model import Rule, RuleContext, RuleResult, violation
from nemo_mock.mock_server.domain.eras import ERAS
from nemo_mock.mock_server.journal.entry import JournalEntry

TOKEN_CALL = "createAnonymousToken"
GENERATE_V1 = "generateV1"
LEGACY_HEADERS = ("X-API-Key", "X-User-Id")
#: The eras whose documents make the token call carry X-Client-Id (all but 1.0).
CLIENT_ID_ERAS = frozenset(e.name for e in ERAS if e.client_id_required)


def check_client_id_on_token_call(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    calls = [e for e in ordered(entries) if e.operation == TOKEN_CALL]
    found = [
        violation(
            "client-id-on-token-call",
            f"{call_name(entry)} sent no X-Client-Id: since skill 1.1 the token call needs a "
            "UUID the client generates once and keeps (the backend answers 400 without it)",
            entry,
        )
        for entry in calls
        if not (entry.client_id or "").strip()
    ]
    return RuleResult.of(found, exercised=bool(calls))


def check_no_legacy_auth(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    calls = on_api(entries)
    found = [
        violation(
            "no-legacy-auth",
            f"{call_name(entry)} sends {', '.join(sent)}: the first README's legacy headers "
            "'still work but are deprecated' (and only in the v1.0 era): send "
            "Authorization: Bearer <token>",
            entry,
        )
        for entry in calls
        if (sent := [h for h in LEGACY_HEADERS if header(entry, h) is not None])
    ]
    return RuleResult.of(found, exercised=bool(calls))


def check_no_generate_v1(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    calls = on_api(entries)
    found = [
        violation(
            "no-generate-endpoint",
            f"{call_name(entry)}: POST /api/v1/generate is in no official document (generated "
            "'SEO' skills invent it; the backend answers 404): create a session and send the "
            "request as a message to /run_sse",
            entry,
        )
        for entry in calls
        if entry.operation == GENERATE_V1 or entry.path.rstrip("/") == "/api/v1/generate"
    ]
    return RuleResult.of(found, exercised=bool(calls))


def check_platform_of_era(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    documented = ctx.profile.platforms
    calls = on_api(entries)
    found = [
        violation(
            "platform-of-era",
            f"{call_name(entry)} sends X-Skill-Platform: github, which only the 1.0 and the "
            f"generated 4.x skills hard-code; the {ctx.era} documents send "
            f"{', '.join(sorted(documented))} (or what SKILL_SOURCE says)",
            entry,
        )
        for entry in calls
        if (header(entry, "X-Skill-Platform") or "").strip().lower() == "github"
        and "github" not in documented
    ]
    return RuleResult.of(found, exercised=bool(calls))


CLIENT_ID_ON_TOKEN_CALL = Rule(
    id="client-id-on-token-call",
    title="The token call carries X-Client-Id (skill 1.1 and later)",
    section="§8",
    description=(
        "Since skill 1.1 every anonymous-token call sends X-Client-Id, a UUID generated once "
        "and kept (§4.1, §8); skill 1.0 sent none, so the rule does not apply to the v1.0 era. "
        "Judged on every createAnonymousToken entry."
    ),
    check=check_client_id_on_token_call,
    eras=CLIENT_ID_ERAS,
)
NO_LEGACY_AUTH = Rule(
    id="no-legacy-auth",
    title="No legacy X-API-Key / X-User-Id headers",
    section="§8",
    description=(
        "The first README's X-API-Key and X-User-Id headers 'still work but are deprecated' (§8) "
        "(the mock honours them only in the v1.0 era, with a Deprecation header): a client "
        "authenticates with Authorization: Bearer. Judged on every API entry, in every era."
    ),
    check=check_no_legacy_auth,
)
NO_GENERATE_V1 = Rule(
    id="no-generate-endpoint",
    title="No calls to the undocumented /api/v1/generate",
    section="§8",
    description=(
        "Generated 'SEO' skills call POST /api/v1/generate and expect job_id/status/outputs; "
        "no official document has that endpoint (§8) and the backend answers 404. A client makes "
        "videos through a session and /run_sse. Judged on every API entry, in every era."
    ),
    check=check_no_generate_v1,
)
PLATFORM_OF_ERA = Rule(
    id="platform-of-era",
    title="X-Skill-Platform 'github' only where the era's documents send it",
    section="§8",
    description=(
        "X-Skill-Platform: github is what skill 1.0 and a generated 4.x skill hard-code (§8); the "
        "other documents detect the platform (clawhub, cursor, unknown; the CLI: cursor, "
        "claude_code, terminal). Judged on every API entry: 'github' fails outside the v1.0 "
        "and generated eras."
    ),
    check=check_platform_of_era,
)
