"""The dashboard's pages and the fragments htmx refreshes in them. Every action (arming
a fault, advancing the clock, …) is a call from the page to the control API itself."""

from __future__ import annotations

import asyncio
import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from nemo_mock.mock_server.domain.errors import NemoError, NotFound
from nemo_mock.mock_server.media.waveform import peaks
from nemo_mock.mock_server.render.sources import resolver_for
from nemo_mock.mock_server.runtime import Mock
from nemo_mock.mock_server.ui import views

if TYPE_CHECKING:
    from fastapi.templating import Jinja2Templates

    from nemo_mock.contracts.rules import RuleResult

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"

router = APIRouter(prefix="/_mock/ui", include_in_schema=False)
Text = Annotated[str | None, Query(max_length=200)]


def _mock(request: Request) -> Mock:
    mock: Mock = request.app.state.mock
    return mock


def _page(request: Request, name: str, **context: Any) -> HTMLResponse:
    return _templates().TemplateResponse(request, name, context)


# The dashboard's templates, the client rules it judges the journal by and the reports'
# Markdown load with its first page, not with every start of the mock (~0.1 CPU-s).
@functools.cache
def _templates() -> Jinja2Templates:
    from fastapi.templating import Jinja2Templates

    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.filters["pretty"] = lambda value: json.dumps(value, indent=2, ensure_ascii=False)
    return templates


def _judge(entries: list[Any]) -> dict[str, RuleResult]:
    from nemo_mock.contracts.rules import judge

    return judge(entries)


def _rule_ids() -> list[str]:
    from nemo_mock.contracts.rules import RULES

    return sorted(r.id for r in RULES)


@router.get("")
@router.get("/")
async def overview_page(request: Request) -> HTMLResponse:
    return _page(request, "overview.html", view=views.overview(_mock(request)), tab="overview")


@router.get("/fragments/overview")
async def overview_fragment(request: Request) -> HTMLResponse:
    return _page(request, "_overview.html", view=views.overview(_mock(request)))


@router.get("/sessions/{session_id}")
async def session_page(request: Request, session_id: str) -> HTMLResponse:
    view = _session(request, session_id)
    return _page(request, "session.html", view=view, tab="overview")


@router.get("/fragments/sessions/{session_id}")
async def session_fragment(request: Request, session_id: str, since: Text = None) -> Response:
    view = _session(request, session_id)
    if since == view.etag:
        return Response(status_code=204)  # nothing changed: htmx keeps the page as it is
    return _page(request, "_session.html", view=view)


def _session(request: Request, session_id: str) -> views.SessionView:
    view = views.session_view(_mock(request), session_id)
    if view is None:
        raise NotFound(f"no session {session_id!r}")
    return view


async def _filter(
    operation: Text = None,
    status: Text = None,
    user: Text = None,
    session: Text = None,
    fault: Text = None,
    surface: Text = None,
    rule: Text = None,
) -> views.JournalFilter:
    """The journal filters, from the query (the page's form and its live fragment alike)."""
    return views.JournalFilter(
        operation, status, user, session, fault == "on", surface or None, rule or None
    )


Chosen = Annotated[views.JournalFilter, Depends(_filter)]


@router.get("/journal")
async def journal_page(request: Request, chosen: Chosen) -> HTMLResponse:
    mock = _mock(request)
    return _page(
        request, "journal.html", chosen=chosen, operations=views.operations_seen(mock),
        surfaces=views.surfaces(), rules=_rule_ids(), query=request.url.query,
        tab="journal", **_journal(mock, chosen),
    )  # fmt: skip


@router.get("/fragments/journal")
async def journal_fragment(request: Request, chosen: Chosen) -> HTMLResponse:
    return _page(request, "_journal.html", **_journal(_mock(request), chosen))


def _journal(mock: Mock, chosen: views.JournalFilter) -> dict[str, Any]:
    broken: dict[int, list[str]] = {}
    for rule_id, verdict in _judge(mock.journal.query()).items():
        for violation in verdict.violations:
            for seq in violation.evidence:
                broken.setdefault(seq, []).append(rule_id)
    return {"rows": views.journal_rows(mock, chosen, broken), "broken": broken}


@router.get("/journal/{seq}")
async def entry_page(request: Request, seq: int) -> HTMLResponse:
    mock = _mock(request)
    entry = next((e for e in mock.journal.query() if e.seq == seq), None)
    if entry is None:
        raise NotFound(f"no journal entry #{seq} (it may have been evicted)")
    violations = _violations(mock.journal.query(), seq)
    return _page(request, "entry.html", entry=entry, violations=violations, tab="journal")


@router.get("/renders")
async def renders_page(request: Request) -> HTMLResponse:
    rows = views.renders(_mock(request))
    return _page(request, "renders.html", rows=rows, etag=views.renders_etag(rows), tab="renders")


@router.get("/fragments/renders")
async def renders_fragment(request: Request, since: Text = None) -> Response:
    rows = views.renders(_mock(request))
    if since == views.renders_etag(rows):
        return Response(status_code=204)  # a playing video is never replaced
    return _page(request, "_renders.html", rows=rows, etag=views.renders_etag(rows))


@router.get("/control")
async def control_page(request: Request) -> HTMLResponse:
    mock = _mock(request)
    return _page(
        request, "control.html", view=views.overview(mock),
        scenarios=[s.name for s in mock.scenarios.all()], snapshots=mock.snapshots.list(),
        tab="control",
    )  # fmt: skip


@router.get("/reports")
async def reports_page(request: Request) -> HTMLResponse:
    from nemo_mock.mock_server.ui import reports

    root = _mock(request).settings.report_dir
    found = [reports.load(root, name) for name in reports.find(root)]
    return _page(request, "reports.html", root=root, reports=found, tab="reports")


@router.get("/reports/{name}")
async def report_page(request: Request, name: str) -> HTMLResponse:
    from nemo_mock.mock_server.ui import reports

    report = reports.load(_mock(request).settings.report_dir, name)
    return _page(request, "report.html", report=report, tab="reports")


@router.get("/reports/{name}/journal/{scenario}/{seq}")
async def report_entry_page(request: Request, name: str, scenario: str, seq: int) -> HTMLResponse:
    """An entry of the journal a report's scenario ran against, shown as the live journal's
    entries are, with the client rules it broke."""
    from nemo_mock.mock_server.ui import reports

    entries = reports.journal(_mock(request).settings.report_dir, name, scenario)
    entry = next((e for e in entries if e.seq == seq), None)
    if entry is None:
        raise NotFound(f"the journal of {scenario!r} in report {name!r} has no entry #{seq}")
    violations = _violations(entries, seq)
    return _page(
        request, "entry.html", entry=entry, violations=violations, tab="reports",
        report=name, scenario=scenario, back=f"/_mock/ui/reports/{name}",
    )  # fmt: skip


def _violations(entries: list[Any], seq: int) -> list[tuple[str, str]]:
    return [
        (rule_id, v.message)
        for rule_id, verdict in _judge(entries).items()
        for v in verdict.violations
        if seq in v.evidence
    ]


@router.get("/waveform/{session_id}/{src}.svg")
async def waveform(request: Request, session_id: str, src: str) -> Response:
    """The real waveform of an audio source of the session (upload, generated or library
    music): its peaks drawn as bars."""
    mock = _mock(request)
    session = mock.backend.store.sessions.get(session_id)
    if session is None:
        raise NotFound(f"no session {session_id!r}")
    resolve = resolver_for(mock.backend, session, mock.renders.library_dir)
    try:
        found = await asyncio.to_thread(resolve, src)
        values = await asyncio.to_thread(_peaks, found.path, found.path.stat().st_mtime)
    except NemoError:
        raise
    except Exception as exc:  # an unreadable source draws nothing, and says why
        raise NotFound(f"no waveform for {src!r}: {exc}") from None
    bars = "".join(
        f'<rect x="{i}" y="{50 - 50 * v:.1f}" width="0.8" height="{100 * v:.1f}"/>'
        for i, v in enumerate(values)
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {max(len(values), 1)} 100" '
        f'preserveAspectRatio="none"><g fill="#15803d">{bars}</g></svg>'
    )
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "max-age=60"})


@functools.lru_cache(maxsize=64)
def _peaks(path: Path, mtime: float) -> list[float]:
    return peaks(path)
