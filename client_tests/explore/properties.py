"""The universal properties: what every run of a correct client shows, whatever the faults.

Pure functions over the mock's journal (``JournalEntry``) and the facts of the client run
(``RunFacts``: exit status, time, its own log, the MP4 it wrote, probed beforehand).

==========================  ================================================================
property                    a correct client…
==========================  ================================================================
ends-within-budget          ends before the per-run time-out (``--timeout``)
valid-outcome               writes a valid H.264 MP4 of the asked length and exits 0; or
                            exits non-zero without an MP4 after a documented refusal the mock
                            really answered (2001, 402, 4001, 4002; an MCP tool's 402 or
                            403); or gives up (non-zero,
                            no MP4) when the fault it stopped on leaves no documented way to
                            an MP4 (see ``excuses``)
charged-once                never has one intent charged twice: no two generation turns with
                            the same message accepted by the mock, unless the first one's
                            session was lost (1002) before the second was sent
no-token-leak               never puts its access token in a URL, never prints a token of the
                            run in its own output (a claim token only inside its claim link;
                            the mock's own messages name a token by its first characters only,
                            which is not a leak)
no-endless-retry            makes at most 300 requests for the task, and sends no identical
                            failing call (same method, path and operation: one MCP tool,
                            same error) more than 4 times
==========================  ================================================================
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nemo_mock.client_tests.explore.excuses import faulted, give_up_excuse
from nemo_mock.client_tests.harness.outcome import DURATION_TOLERANCE, Mp4Facts
from nemo_mock.contracts.rules import Status, Violation
from nemo_mock.contracts.rules.identity import TOKEN_IN_URL_BY_DESIGN
from nemo_mock.contracts.rules.journal import (
    TOOL_PREFIX,
    call_name,
    error_of,
    is_generation,
    message_text,
    on_api,
    response_body,
)
from nemo_mock.mock_server.domain.secrets import SECRET_PATTERN, fingerprint
from nemo_mock.mock_server.journal.entry import JournalEntry

#: The documented refusals a client stops on (§3; 402 from §2).
REFUSALS = frozenset({2001, 402, 4001, 4002})
#: An MCP tool's deterministic refusals (§7): 402 insufficient credits, 403 plan or scope.
MCP_REFUSALS = frozenset({402, 403})
MAX_REQUESTS = 300
MAX_SAME_FAILURES = 4
CLAIM_LINK = re.compile(r"ct=$")


@dataclass(frozen=True)
class Property:
    id: str
    title: str
    description: str


@dataclass(frozen=True)
class PropertyResult:
    """Like a rule's verdict (``status``, ``violations``), plus ``note``: what was seen."""

    status: Status
    violations: tuple[Violation, ...] = ()
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.status != "fail"


@dataclass(frozen=True)
class RunFacts:
    """What the client did, outside the journal."""

    #: ``None``: killed at the time-out.
    exit_code: int | None
    seconds: float
    #: The per-run time-out, in seconds.
    budget_s: float
    #: The client's own output (stdout and stderr).
    log: str = ""
    #: The MP4 at the output path, probed (``None``: missing or not playable).
    mp4: Mp4Facts | None = None
    #: The length the task asks for, in seconds (``None``: any).
    wanted_duration: float | None = None
    time_scale: float = 1.0


Check = Callable[[Sequence[JournalEntry], RunFacts], PropertyResult]

PROPERTIES: tuple[Property, ...] = (
    Property(
        "ends-within-budget",
        "The client ends within its budget",
        "It exits before the per-run time-out (--timeout); documented waits are scaled by "
        "NEMO_CHECK_TIME_SCALE.",
    ),
    Property(
        "valid-outcome",
        "An MP4 of the asked length, a documented refusal, or an excused give-up",
        "Exit 0 with a valid H.264 MP4 of the task's length (within 10 %); or a non-zero exit "
        "without an MP4 after the mock answered 2001, 402, 4001 or 4002 (an MCP tool: 402 "
        "or 403); or a non-zero exit without an MP4 when the fault it stopped on leaves no "
        "documented way to an MP4 (5xx, a dropped connection, a stuck or too slow render, a "
        "documented retry that met the fault again, a second lost session, a generated client "
        "id refused too).",
    ),
    Property(
        "charged-once",
        "One intent is never charged twice",
        "No two generation turns with the same message are accepted (charged) by the mock, "
        "unless the first one's session was reported lost (1002) before the second was sent.",
    ),
    Property(
        "no-token-leak",
        "The token never leaks",
        "No access token in a URL (the journal's secrets_in_url); none of the run's nmv_usr_ "
        "tokens in the client's own output, and its clm_ claim tokens only inside their claim "
        "link (ct=…).",
    ),
    Property(
        "no-endless-retry",
        "No endless retry",
        f"At most {MAX_REQUESTS} requests for the task, and no identical failing call (same "
        f"method, path and operation answered the same error, or dropped) sent more than "
        f"{MAX_SAME_FAILURES} times.",
    ),
)


def check_properties(entries: Sequence[JournalEntry], facts: RunFacts) -> dict[str, PropertyResult]:
    """Every universal property's verdict, keyed by id, in the order of ``PROPERTIES``."""
    return {prop.id: CHECKS[prop.id](entries, facts) for prop in PROPERTIES}


# ---------------------------------------------------------------------- the checks


def ends_within_budget(entries: Sequence[JournalEntry], facts: RunFacts) -> PropertyResult:
    if facts.exit_code is not None:
        return PropertyResult(
            "pass", note=f"ended after {facts.seconds:.1f} s of {facts.budget_s:g} s"
        )
    api = on_api(entries)
    last = (api[-1].seq,) if api else ()
    message = f"still running after {facts.budget_s:g} s: killed at the time-out"
    if api:
        message += f"; its last request was {call_name(api[-1])}"
    return PropertyResult("fail", (_violation("ends-within-budget", message, last),))


def valid_outcome(entries: Sequence[JournalEntry], facts: RunFacts) -> PropertyResult:
    rid = "valid-outcome"
    code, mp4 = facts.exit_code, facts.mp4
    if code is None:
        return PropertyResult("not_exercised", note="killed at the time-out: no outcome")
    if code == 0:
        return _mp4_verdict(mp4, facts.wanted_duration)
    if mp4 is not None:
        message = f"wrote an MP4 but exited {code}: a run that succeeded must say so"
        return PropertyResult("fail", (_violation(rid, message, ()),))
    refused = [e for e in on_api(entries) if refusal_of(e) is not None]
    if refused:
        return PropertyResult("pass", note=f"stopped on {error_of(refused[0])} (exit {code})")
    excuse = give_up_excuse(entries, facts.time_scale)
    if excuse is not None:
        return PropertyResult("pass", note=f"gave up (exit {code}): {excuse.reason}")
    hits = [e for e in on_api(entries) if faulted(e)]
    message = f"exited {code} without an MP4, though no documented refusal was answered"
    message += " and the last fault has a documented recovery" if hits else " and no fault fired"
    return PropertyResult("fail", (_violation(rid, message, tuple(e.seq for e in hits)),))


def charged_once(entries: Sequence[JournalEntry], facts: RunFacts) -> PropertyResult:
    rid = "charged-once"
    accepted = [e for e in on_api(entries) if _accepted_generation(e)]
    found: list[Violation] = []
    for index, later in enumerate(accepted):
        for earlier in accepted[:index]:
            same = message_text(earlier) == message_text(later)
            if same and not _lost_before(entries, earlier.session_id, later):
                message = (
                    f"the same message was charged twice: {call_name(earlier)} and "
                    f"{call_name(later)} both started a generation"
                )
                found.append(_violation(rid, message, (earlier.seq, later.seq)))
                break
    if found:
        return PropertyResult("fail", tuple(found))
    if not accepted:
        return PropertyResult("not_exercised", note="no generation was accepted")
    return PropertyResult("pass", note=f"{len(accepted)} generation(s), none charged twice")


def no_token_leak(entries: Sequence[JournalEntry], facts: RunFacts) -> PropertyResult:
    rid = "no-token-leak"
    claims = _claim_fingerprints(entries)
    found = [
        _violation(rid, f"the access token was sent in the URL of {call_name(e)}", (e.seq,))
        for e in on_api(entries)
        if e.operation not in TOKEN_IN_URL_BY_DESIGN  # the gateway's chat: the vendor's design
        and any(fp not in claims for fp in e.secrets_in_url)
    ]
    tokens = _token_fingerprints(entries)
    for number, line in enumerate(facts.log.splitlines(), start=1):
        for match in SECRET_PATTERN.finditer(line):
            printed = fingerprint(match.group(0))
            if printed in claims and CLAIM_LINK.search(line[: match.start()]):
                continue  # a claim token in its claim link is for the user to open
            if printed in tokens or printed in claims:
                what = "a claim token" if printed in claims else "its access token"
                message = f"the client printed {what} (log line {number})"
                found.append(_violation(rid, message, ()))
    if found:
        return PropertyResult("fail", tuple(found))
    return PropertyResult("pass", note="no token in a URL or in the client's output")


def no_endless_retry(entries: Sequence[JournalEntry], facts: RunFacts) -> PropertyResult:
    rid = "no-endless-retry"
    api = on_api(entries)
    found: list[Violation] = []
    if len(api) > MAX_REQUESTS:
        message = f"{len(api)} requests for one task (at most {MAX_REQUESTS})"
        found.append(_violation(rid, message, (api[MAX_REQUESTS].seq,)))
    failures: dict[tuple[str, str, str, str], list[JournalEntry]] = {}
    for entry in api:
        failure = _failure(entry)
        if failure is not None:
            # an operation per MCP tool: every tool call is POST /mcp
            call = (entry.method, entry.path, entry.operation or "")
            failures.setdefault((*call, failure), []).append(entry)
    for (method, path, _, failure), repeated in failures.items():
        if len(repeated) > MAX_SAME_FAILURES:
            message = (
                f"{method} {path} was answered {failure} {len(repeated)} times "
                f"(at most {MAX_SAME_FAILURES})"
            )
            found.append(_violation(rid, message, tuple(e.seq for e in repeated)))
    if found:
        return PropertyResult("fail", tuple(found))
    return PropertyResult("pass", note=f"{len(api)} requests")


CHECKS: dict[str, Check] = {
    "ends-within-budget": ends_within_budget,
    "valid-outcome": valid_outcome,
    "charged-once": charged_once,
    "no-token-leak": no_token_leak,
    "no-endless-retry": no_endless_retry,
}


# ---------------------------------------------------------------------- helpers


def refusal_of(entry: JournalEntry) -> int | None:
    """The documented refusal this entry was answered with: on the MCP surface a tool
    error's 402 or 403 (HTTP 200), elsewhere 2001, 402, 4001 or 4002."""
    error = error_of(entry)
    is_tool = (entry.operation or "").startswith(TOOL_PREFIX)
    return error if error in (MCP_REFUSALS if is_tool else REFUSALS) else None


def _violation(rule: str, message: str, evidence: Sequence[int]) -> Violation:
    return Violation(rule, message, tuple(sorted(set(evidence))))


def _mp4_verdict(mp4: Mp4Facts | None, wanted: float | None) -> PropertyResult:
    rid = "valid-outcome"
    if mp4 is None:
        message = "exit 0, but the output is missing or not a playable MP4"
        return PropertyResult("fail", (_violation(rid, message, ()),))
    if mp4.codec != "h264":
        message = f"the MP4's video stream is {mp4.codec}, not h264"
        return PropertyResult("fail", (_violation(rid, message, ()),))
    if wanted is not None and abs(mp4.duration - wanted) > wanted * DURATION_TOLERANCE:
        message = f"the MP4 lasts {mp4.duration:.2f} s; the task asks for {wanted:g} s"
        return PropertyResult("fail", (_violation(rid, message, ()),))
    return PropertyResult("pass", note=f"an H.264 MP4 of {mp4.duration:.2f} s")


def _accepted_generation(entry: JournalEntry) -> bool:
    """A message the mock took on (and charged for) as a generation: it opened a turn
    (``turn`` note) or, without notes, streamed a generation without an error."""
    if entry.operation != "runSse" or error_of(entry) is not None:
        return False
    if entry.notes:
        return "turn" in entry.notes and entry.notes.get("kind") == "generation"
    return is_generation(entry)


def _lost_before(entries: Sequence[JournalEntry], session: str | None, later: JournalEntry) -> bool:
    """The client was told (1002) that ``session`` is lost before ``later`` started."""
    return any(
        e.session_id == session and error_of(e) == 1002 and (e.at_ms, e.seq) < start
        for e in entries
        for start in [(later.at_ms, later.seq)]
    )


def _token_fingerprints(entries: Sequence[JournalEntry]) -> set[str]:
    """The access tokens of the run: those sent as bearer tokens and those handed out."""
    return {e.token for e in entries if e.token} | _handed_out(entries, "token")


def _claim_fingerprints(entries: Sequence[JournalEntry]) -> set[str]:
    return _handed_out(entries, "claim_token")


def _handed_out(entries: Sequence[JournalEntry], field: str) -> set[str]:
    """The fingerprints the journal shows (``<fp_…>``) at ``data.<field>`` of the answers."""
    found = set()
    for entry in entries:
        data = response_body(entry).get("data")
        value = data.get(field) if isinstance(data, dict) else None
        if isinstance(value, str):
            found.add(value.strip("<>"))
    return found


def _failure(entry: JournalEntry) -> str | None:
    """How a call failed (``"error 1001"``, ``"dropped"``), or ``None``."""
    error = error_of(entry)
    if error is not None:
        return f"error {error}"
    if entry.outcome == "dropped" and entry.operation != "runSse":
        return "dropped"
    return None
