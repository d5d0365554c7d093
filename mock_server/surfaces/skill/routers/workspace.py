"""The web workspace's project links (§4.2, §8): what a user's browser opens.

NemoVideo's web front end (``$NEMO_WEB_URL``) opens a project from a link the client built.
The mock stands in for it on its own origin (point ``NEMO_WEB_URL`` at the mock): each era's
web app opens its own link form only (``domain.links``); a link that opens answers a small
page naming the project, any other the error envelope saying why it does not.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from nemo_mock.mock_server.deps import mock_of, request_era
from nemo_mock.mock_server.domain.links import OpenedProject, read_claim_link, read_task_link
from nemo_mock.mock_server.edge.scope import note

router = APIRouter(tags=["web"])


@router.get("/workspace/claim", response_class=HTMLResponse)
async def open_workspace_claim(request: Request) -> HTMLResponse:
    era = await request_era(request)
    link = read_claim_link(request.query_params)
    return _page(request, mock_of(request).backend.open_workspace(link, era))


@router.get("/workspace/task/{task_id}/{session_id}", response_class=HTMLResponse)
async def open_workspace_task(task_id: str, session_id: str, request: Request) -> HTMLResponse:
    era = await request_era(request)
    link = read_task_link(task_id, session_id, request.query_params)
    return _page(request, mock_of(request).backend.open_workspace(link, era))


def _page(request: Request, opened: OpenedProject) -> HTMLResponse:
    note(request.scope, link_format=opened.format, opened_session=opened.session_id)
    until = "for as long as the token lives"
    if opened.valid_until is not None:
        until = f"until {opened.valid_until.isoformat()}"
    task, session = escape(opened.task_id), escape(opened.session_id)
    body = (
        "<!doctype html><html lang=en><meta charset=utf-8>"
        f"<title>NemoVideo workspace: {task}</title>"
        f'<main data-task="{task}" data-session="{session}" data-link="{opened.format}">'
        f"<h1>Project {task}</h1><p>Session {session}, opened from a {opened.format} link; "
        f"the same link opens it again {escape(until)}.</p></main></html>"
    )
    return HTMLResponse(body)
