"""The browser link of the era (§8): the form the era's documents give the user, and the
access token in a link only where those documents put it there.

A link opened in the web workspace is journaled as ``openWorkspaceClaim`` or
``openWorkspaceTask`` (the browser's request, not an API call: ``journal.on_api`` leaves
them out). Its form is read from the operation and the names in its query, which the
journal keeps (the values are fingerprints).
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import parse_qs

from nemo_mock.contracts.rules.journal import WEB_LINKS, call_name, ordered
from nemo_mock.contracts.rules.model import Rule, RuleContext, RuleResult, violation
from nemo_mock.mock_server.domain.eras import LINK_FORMATS, LinkFormat
from nemo_mock.mock_server.journal.entry import JournalEntry


def link_format(entry: JournalEntry) -> LinkFormat | None:
    """The form of the link ``entry`` opened, or ``None`` (not a link, or no credential)."""
    if entry.operation == "openWorkspaceTask":
        return "task_nemo_token"
    if entry.operation != "openWorkspaceClaim":
        return None
    names = parse_qs(entry.query, keep_blank_values=True)
    if "ct" in names:
        return "claim_ct"
    return "claim_token" if "token" in names else None


def documented_token_link(entry: JournalEntry, ctx: RuleContext) -> bool:
    """Whether ``entry`` is the era's own link carrying the access token, as the documents
    of 1.0-1.8 told clients to build it (before 1.9 brought claim tokens)."""
    profile = ctx.profile
    return profile.token_in_links and link_format(entry) == profile.link_format


def check_link_of_era(entries: Sequence[JournalEntry], ctx: RuleContext) -> RuleResult:
    links = [e for e in ordered(entries) if e.operation in WEB_LINKS]
    wanted = ctx.profile.link_format
    found = [
        violation(
            "link-of-era",
            f"{call_name(entry)} opened a link of the form {LINK_FORMATS[shape]}; the "
            f"{ctx.era} documents ({ctx.profile.source}) give the user "
            f"{LINK_FORMATS[wanted]}, the only form their web app opens",
            entry,
        )
        for entry in links
        if (shape := link_format(entry)) is not None and shape != wanted
    ]
    return RuleResult.of(found, exercised=bool(links))


LINK_OF_ERA = Rule(
    id="link-of-era",
    title="The browser link has the era's form",
    section="§8",
    description=(
        "The project link a client gives its user has the form its era's documents show "
        "(§8): …/workspace/task/<task>/<session>?nemo_token=<token> (1.0-1.3), "
        "…/workspace/claim?token=<token>&task=…&session=… (1.4-1.8 and the API reference), "
        "…/workspace/claim?ct=<claim_token> (1.9 on: a claim token from "
        "POST /api/auth/claim-token, reusable for 7 days). Judged on every link opened in the "
        "web workspace (openWorkspaceClaim, openWorkspaceTask)."
    ),
    check=check_link_of_era,
)
