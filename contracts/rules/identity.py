"""Who is calling: attribution headers, the bearer token, the client id, tokens kept out of URLs."""

from __future__ import annotations

from collections.abc import Sequence

from nemo_mock.contracts.rules.journal import error_of, header, on_api, ordered, response_body
from nemo_mock.contracts.rules.links import documented_token_link
from nemo_mock.contracts.rules.model import Rule, RuleContext, RuleResult, Violation, violation
from nemo_mock.mock_server.journal.entry import JournalEntry

ATTRIBUTION = ("X-Skill-Source", "X-Skill-Version", "X-Skill-Platform")
#: What the vendor CLI's chat socket sends by design (§6): no X-Skill-Platform on the upgrade.
SOCKET_ATTRIBUTION = ("X-Skill-Source", "X-Skill-Version")
#: Operations whose requests carry fewer attribution headers by the vendor's design.
ATTRIBUTION_OF = {"gateway.chatSocket": SOCKET_ATTRIBUTION}
TOKEN_CALL = "createAnonymousToken"


def check_attribution_headers(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    missing: dict[tuple[str, ...], list[JournalEntry]] = {}
    calls = on_api(entries)
    for entry in calls:
        wanted = ATTRIBUTION_OF.get(entry.operation or "", ATTRIBUTION)
        absent = tuple(h for h in wanted if not (header(entry, h) or "").strip())
        if absent:
            missing.setdefault(absent, []).append(entry)
    found = [
        violation(
            "attribution-headers",
            f"{_names(absent)} missing on {len(bad)} request(s) ({_operations(bad)}); "
            "every call must carry all three attribution headers, or exports fail with 402",
            *bad,
        )
        for absent, bad in missing.items()
    ]
    return RuleResult.of(found, exercised=bool(calls))


def check_bearer_token(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    found: list[Violation] = []
    calls = [e for e in on_api(entries) if e.operation != TOKEN_CALL]
    for entry in calls:
        problem = _bearer_problem(entry)
        if problem is None:
            continue
        found.append(
            violation("bearer-token", f"{_describe(entry)} {problem}: send 'Bearer <token>'", entry)
        )
    return RuleResult.of(found, exercised=bool(calls))


def _bearer_problem(entry: JournalEntry) -> str | None:
    scheme, _, credential = (header(entry, "Authorization") or "").strip().partition(" ")
    if entry.token is None:
        return "has no Authorization header"
    if scheme and not credential:
        return "sends the token without the 'Bearer' scheme"
    if scheme and scheme.lower() != "bearer":
        return f"uses the scheme {scheme!r} instead of Bearer"
    return None


def check_stable_client_id(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    found: list[Violation] = []
    current: JournalEntry | None = None
    allowance = False
    for entry in ordered(entries):
        if entry.client_id is not None:
            if current is not None and entry.client_id != current.client_id and not allowance:
                found.append(_client_id_changed(current, entry))
            allowance = False  # the id sent next after a 400 may differ, and only that one
            current = entry
        if entry.operation == TOKEN_CALL and error_of(entry) == 400:
            allowance = True
    exercised = any(e.client_id is not None for e in entries)
    return RuleResult.of(found, exercised=exercised)


def _client_id_changed(before: JournalEntry, after: JournalEntry) -> Violation:
    return violation(
        "stable-client-id",
        f"X-Client-Id changed from {before.client_id!r} to {after.client_id!r} on "
        f"{_describe(after)} without an HTTP 400 on the token call: persist one client id "
        "and reuse it (a new token after 1001 must come with the same id)",
        before,
        after,
    )


#: Operations whose URL carries the token by the vendor's own design: the gateway's chat
#: socket (``/ws/chat?token=…``, the CLI sends no Authorization header on the upgrade).
TOKEN_IN_URL_BY_DESIGN = frozenset({"gateway.chatSocket"})


def check_no_token_in_url(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    claims = _claim_fingerprints(entries)
    found = [
        violation(
            "no-token-in-url",
            f"the access token {', '.join(leaked)} appears in the URL of {_describe(entry)}: "
            "send it only in the Authorization header (URLs end up in logs and browsers)",
            entry,
        )
        for entry in ordered(entries)
        if entry.operation not in TOKEN_IN_URL_BY_DESIGN
        and not documented_token_link(entry, ctx)
        and (leaked := [fp for fp in entry.secrets_in_url if _bare(fp) not in claims])
    ]
    return RuleResult.of(found, exercised=bool(entries))


def _claim_fingerprints(entries: Sequence[JournalEntry]) -> set[str]:
    """Fingerprints of claim tokens handed out: those are meant for browser URLs."""
    found: set[str] = set()
    for entry in entries:
        if entry.operation != "createClaimToken":
            continue
        data = response_body(entry).get("data")
        claim = data.get("claim_token") if isinstance(data, dict) else None
        if isinstance(claim, str):
            found.add(_bare(claim))
    return found


def _bare(fingerprint: str) -> str:
    return fingerprint.strip("<>")


def _describe(entry: JournalEntry) -> str:
    name = entry.operation or "a call outside the contract"
    return f"{name} ({entry.method} {entry.path})"


def _names(headers: tuple[str, ...]) -> str:
    return ", ".join(headers)


def _operations(entries: list[JournalEntry]) -> str:
    names = dict.fromkeys(e.operation or f"{e.method} {e.path}" for e in entries)
    return ", ".join(names)


ATTRIBUTION_HEADERS = Rule(
    id="attribution-headers",
    title="Attribution headers on every request",
    section="§2",
    description=(
        "Every request carries non-empty X-Skill-Source, X-Skill-Version and X-Skill-Platform "
        "(§2: without them the backend refuses exports with HTTP 402). Judged on every API "
        "entry (the mock's own /_mock and /cdn paths are not API calls)."
    ),
    check=check_attribution_headers,
)
BEARER_TOKEN = Rule(
    id="bearer-token",
    title="A bearer token on every call but the token call",
    section="§2",
    description=(
        "Every request except createAnonymousToken sends 'Authorization: Bearer <token>' (§2). "
        "Judged on every other entry: a missing header or another scheme is a violation."
    ),
    check=check_bearer_token,
)
STABLE_CLIENT_ID = Rule(
    id="stable-client-id",
    title="The same X-Client-Id throughout",
    section="§3",
    description=(
        "The client persists one X-Client-Id and reuses it, also when it fetches a new token "
        "after 1001 (§3, §1, §4.1). Every change of the id sent is a violation, except one "
        "change after an HTTP 400 on the token call (missing or invalid id: generate one)."
    ),
    check=check_stable_client_id,
)
NO_TOKEN_IN_URL = Rule(
    id="no-token-in-url",
    title="No access token in any URL",
    section="§4.2",
    description=(
        "The nmv_usr_ token never appears in a path or query (§4.2); only claim tokens belong "
        "in (browser) URLs. Judged on the token fingerprints the mock found in each URL; the "
        "one exception is the browser link of the eras before 1.9, whose documents put the "
        "token in it (§8: ?nemo_token= in 1.0-1.3, ?token=…&task=… in 1.4-1.8), and only in "
        "those eras and in that era's own form."
    ),
    check=check_no_token_in_url,
)
