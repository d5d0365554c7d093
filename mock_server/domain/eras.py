"""Eras: the documented variants of the skill surface (§8 of the API notes), as named profiles.

Real clients were written against different versions of the vendor's skill documents
(1.0 to 1.9, an API reference page, the generated "SEO" skills built on them), and those
documents disagree. An ``Era`` is one such set of behaviours, each taken from §8 and
naming the document version it comes from; ``ERAS`` is the one registry. ``latest`` is
the default and is exactly the mock's behaviour without eras (every knob defers to the
serving options), so choosing no era changes nothing.

What an era decides, and who reads it:

* ``anonymous_tokens_expire`` — ``False``: anonymous tokens never expire (≤1.7);
  ``True``: they last ``--token-ttl-days`` (7 by default, 1.8+). ``TokenService``.
* ``client_id_required`` — ``False``: the token call works without ``X-Client-Id`` (1.0,
  each call a new anonymous user); ``True``: missing → HTTP 400. ``TokenService``.
* ``token_api`` — the first README's ``/api/tokens`` (create with name, scopes,
  ``expires_in_days``; list; revoke) and the legacy ``X-API-Key`` + ``X-User-Id``
  headers, answered with a ``Deprecation`` header. Elsewhere those paths are 404 and the
  legacy headers authenticate nobody.
* ``link_format`` — which browser link the web app of the era opens (§8: three
  generations); only ``claim_ct`` keeps the access token out of URLs.
* ``render_shape`` — the render job's JSON (§4.8); ``None`` defers to ``--render-shape``.
* ``stream_limit_minutes`` — the hard limit of one stream as documented (15, or 10 in
  the API reference); the mock applies it as a share of ``--stream-limit-seconds``
  (which stands for the documented 15 minutes), so a shortened test limit stays
  proportional.
* ``silence_timeout_minutes`` — how long a client waits on heartbeats only before it
  calls a stream timed out (10, or 5 in the API reference): read by the client rules.
* ``platforms`` — the ``X-Skill-Platform`` values the era's documents send.
* ``stream_style`` — the shape of ``/run_sse``'s events: ``simple`` (the skill
  documents' ``{"type": …}`` events) or ``adk`` (Google ADK's native events). The one
  seam a stream encoder plugs into: ``era.stream_style``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

RenderShape = Literal["union", "skill", "reference", "legacy"]
StreamStyle = Literal["simple", "adk"]
LinkFormat = Literal["task_nemo_token", "claim_token", "claim_ct"]

#: What the browser link of each generation looks like (§8).
LINK_FORMATS: dict[LinkFormat, str] = {
    "task_nemo_token": "…/workspace/task/<task>/<session>?nemo_token=<token>",
    "claim_token": "…/workspace/claim?token=<token>&task=…&session=…&skill_name=…",
    "claim_ct": "…/workspace/claim?ct=<claim_token>",
}
#: What the current documents send as X-Skill-Platform (skills, then the CLI's values).
CURRENT_PLATFORMS = frozenset({"clawhub", "cursor", "unknown", "claude_code", "terminal"})
DEFAULT_ERA = "latest"
#: The documented hard limit of one stream, which ``--stream-limit-seconds`` stands for.
DOCUMENTED_STREAM_LIMIT_MINUTES = 15


@dataclass(frozen=True)
class Era:
    name: str
    #: The vendor document(s) the profile follows.
    source: str
    #: One line: what a client written to these documents expects.
    summary: str
    anonymous_tokens_expire: bool = True
    client_id_required: bool = True
    token_api: bool = False
    link_format: LinkFormat = "claim_ct"
    render_shape: RenderShape | None = None
    stream_limit_minutes: int = DOCUMENTED_STREAM_LIMIT_MINUTES
    silence_timeout_minutes: int = 10
    platforms: frozenset[str] = CURRENT_PLATFORMS
    stream_style: StreamStyle = "simple"
    #: The API base the documents point at by default (§1, §8).
    default_api_url: str = "https://mega-api-prod.nemovideo.ai"

    @property
    def token_in_links(self) -> bool:
        """Whether the era's browser links carry the access token itself (before 1.9)."""
        return self.link_format != "claim_ct"

    def stream_limit(self, configured_seconds: float) -> float:
        """The stream's hard limit, in seconds, from ``--stream-limit-seconds`` (which
        stands for the documented 15 minutes)."""
        if self.stream_limit_minutes == DOCUMENTED_STREAM_LIMIT_MINUTES:
            return configured_seconds
        return configured_seconds * self.stream_limit_minutes / DOCUMENTED_STREAM_LIMIT_MINUTES

    def render_shape_or(self, configured: RenderShape) -> RenderShape:
        return self.render_shape or configured


ERAS: tuple[Era, ...] = (
    Era(
        name="v1.0",
        source="skill 1.0 and the first README",
        summary=(
            "token call without X-Client-Id; tokens never expire; /api/tokens and the "
            "deprecated X-API-Key/X-User-Id headers; platform 'github'; the earliest "
            "render shape (taskId, output.url); mega-api-dev"
        ),
        anonymous_tokens_expire=False,
        client_id_required=False,
        token_api=True,
        link_format="task_nemo_token",
        render_shape="legacy",
        platforms=frozenset({"github"}),
        default_api_url="https://mega-api-dev.nemovideo.ai",
    ),
    Era(
        name="v1.1",
        source="skill 1.1–1.3",
        summary=(
            "X-Client-Id required; tokens never expire; links "
            "…/workspace/task/<task>/<session>?nemo_token=<token>; top-level status and "
            "output.url"
        ),
        anonymous_tokens_expire=False,
        link_format="task_nemo_token",
        render_shape="skill",
    ),
    Era(
        name="v1.4",
        source="skill 1.4–1.7",
        summary=(
            "tokens never expire; links …/workspace/claim?token=<token>&task=…; top-level "
            "status and output.url"
        ),
        anonymous_tokens_expire=False,
        link_format="claim_token",
        render_shape="skill",
    ),
    Era(
        name="v1.8",
        source="skill 1.8",
        summary="anonymous tokens last 7 days; links still …/workspace/claim?token=<token>&task=…",
        link_format="claim_token",
        render_shape="skill",
    ),
    Era(
        name="api-reference",
        source="the API reference page",
        summary=(
            "render status and outputUrl inside data (epoch-ms times); a 10-minute hard "
            "limit per stream; 5 minutes without a response is a time-out"
        ),
        link_format="claim_token",
        render_shape="reference",
        stream_limit_minutes=10,
        silence_timeout_minutes=5,
    ),
    Era(
        name="v1.9",
        source="skill 1.9",
        summary=(
            "claim links …/workspace/claim?ct=<claim_token> (reusable for 7 days; the web "
            "app accepts only ct); top-level status and output.url again"
        ),
        render_shape="skill",
    ),
    Era(
        name="generated",
        source="generated 'SEO' skills (4.x) built on the documents",
        summary=(
            "the current backend, as clients of generated skills meet it: they send "
            "platform 'github' and call POST /api/v1/generate, which no official "
            "document has (answered 404, as the real backend does)"
        ),
        platforms=CURRENT_PLATFORMS | {"github"},
    ),
    Era(
        name="adk",
        source="Google's Agent Development Kit server (the shape /run_sse's body follows)",
        summary=(
            "today's behaviour, but /run_sse speaks ADK's native events (content.parts[].text, "
            "functionCall, functionResponse, author, partial)"
        ),
        stream_style="adk",
    ),
    Era(
        name=DEFAULT_ERA,
        source="everything known today (the default)",
        summary=(
            "today's mix: X-Client-Id required, 7-day tokens, claim links with ct, every "
            "render shape at once (--render-shape), a 15-minute stream limit"
        ),
    ),
)

_BY_NAME = {era.name: era for era in ERAS}
LATEST = _BY_NAME[DEFAULT_ERA]
ERA_NAMES: tuple[str, ...] = tuple(_BY_NAME)


class UnknownEra(ValueError):
    """A name that is not in ``ERAS``; the message lists the known ones."""


def era_named(name: str) -> Era:
    """The era called ``name`` (``UnknownEra`` naming the known ones otherwise)."""
    try:
        return _BY_NAME[name.strip()]
    except KeyError:
        raise UnknownEra(
            f"unknown era {name[:40]!r}: known eras are {', '.join(ERA_NAMES)}"
        ) from None
