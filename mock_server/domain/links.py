"""The browser links of the eras (§8) and what the web front end of each era opens.

A client hands its user a link that opens the project in NemoVideo's web workspace. The
documents changed the link twice (§8):

=================  ===================================================================  ========
format             link                                                                 eras
=================  ===================================================================  ========
``task_nemo_token``  ``…/workspace/task/<task>/<session>?nemo_token=<token>``           1.0-1.3
``claim_token``      ``…/workspace/claim?token=<token>&task=…&session=…&skill_name=…``  1.4-1.8
``claim_ct``         ``…/workspace/claim?ct=<claim_token>``                              1.9 on
=================  ===================================================================  ========

The first two carry the access token itself, so such a link opens the project for as long
as the token is valid (for ever up to 1.7, whose tokens never expire). The third carries a
claim token (``POST /api/auth/claim-token``), which "lasts 7 days and can be reused" (1.9):
it opens the project any number of times until it expires, and nothing else.

The web app of an era opens the links of its own format only: 1.9 says so ("the web app
accepts only ct"); for the earlier eras, whose documents name one form each, the mock holds
them to that form too, so a client that builds another era's link is told which one its
era expects. Pure: ``read_link`` parses, ``check_link_era`` judges, ``link_url`` builds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlencode

from nemo_mock.mock_server.domain.eras import LINK_FORMATS, Era, LinkFormat
from nemo_mock.mock_server.domain.errors import BadRequest, LinkNotOfEra

#: The longest credential, id or skill name a link may carry (longer is not a link).
MAX_LINK_PART = 256


@dataclass(frozen=True)
class WorkspaceLink:
    """A link as the browser opened it: its format and what it carries."""

    format: LinkFormat
    #: The access token (``nemo_token``/``token``) or the claim token (``ct``).
    credential: str
    task_id: str | None = None
    session_id: str | None = None
    skill_name: str | None = None


@dataclass(frozen=True)
class OpenedProject:
    """What the web workspace opened: whose project, through which kind of link."""

    user_id: str
    task_id: str
    session_id: str
    format: LinkFormat
    #: Until when the same link opens it again (``None``: as long as the token lives for ever).
    valid_until: datetime | None


def read_claim_link(query: Mapping[str, str]) -> WorkspaceLink:
    """``/workspace/claim?…``: ``ct`` (1.9 on) or ``token`` with ``task`` and ``session``
    (1.4-1.8); anything else is a ``BadRequest`` saying what is missing."""
    ct, token = _part(query, "ct"), _part(query, "token")
    if ct and token:
        raise BadRequest("a claim link carries either ct (a claim token) or token, not both")
    if ct:
        return WorkspaceLink("claim_ct", ct)
    if not token:
        raise BadRequest(
            "a claim link needs ct=<claim_token> (1.9 on) or token=<token>&task=…&session=… "
            "(1.4-1.8)"
        )
    task, session = _part(query, "task"), _part(query, "session")
    missing = [name for name, value in (("task", task), ("session", session)) if not value]
    if missing:
        raise BadRequest(f"a claim link with token= also needs {' and '.join(missing)}=")
    return WorkspaceLink("claim_token", token, task, session, _part(query, "skill_name") or None)


def read_task_link(task_id: str, session_id: str, query: Mapping[str, str]) -> WorkspaceLink:
    """``/workspace/task/<task>/<session>?nemo_token=<token>`` (1.1-1.3)."""
    token = _part(query, "nemo_token")
    if not token:
        raise BadRequest("a task link needs nemo_token=<token> (the 1.1-1.3 link form)")
    return WorkspaceLink("task_nemo_token", token, _bounded(task_id), _bounded(session_id))


def check_link_era(link: WorkspaceLink, era: Era) -> None:
    """The era's web app opens its own link form only (``LinkNotOfEra`` naming it)."""
    if link.format != era.link_format:
        raise LinkNotOfEra(
            f"the {era.name} web app ({era.source}) opens only links of the form "
            f"{LINK_FORMATS[era.link_format]}; this link has the form "
            f"{LINK_FORMATS[link.format]}"
        )


def link_url(
    web_url: str,
    format: LinkFormat,
    *,
    credential: str,
    task_id: str,
    session_id: str,
    skill_name: str = "nemo-video",
) -> str:
    """The link a client of ``format``'s eras builds (as their documents show it)."""
    web = web_url.rstrip("/")
    if format == "task_nemo_token":
        path = f"/workspace/task/{quote(task_id, safe='')}/{quote(session_id, safe='')}"
        return f"{web}{path}?{urlencode({'nemo_token': credential})}"
    if format == "claim_token":
        params = {"token": credential, "task": task_id, "session": session_id}
        return f"{web}/workspace/claim?{urlencode({**params, 'skill_name': skill_name})}"
    return f"{web}/workspace/claim?{urlencode({'ct': credential})}"


def _part(query: Mapping[str, str], name: str) -> str:
    return _bounded(query.get(name, "").strip(), name)


def _bounded(value: str, name: str = "a path part") -> str:
    if len(value) > MAX_LINK_PART:
        raise BadRequest(f"{name} is longer than {MAX_LINK_PART} characters: not a link")
    return value
