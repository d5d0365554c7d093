"""The project link each era's documents tell a client to give its user (§8), opened the
way the user's browser opens it (a plain GET, no headers of the API) to check it works:

* ``task_link`` (1.0-1.3): ``$NEMO_WEB_URL/workspace/task/<task>/<session>?nemo_token=<token>``
* ``claim_link`` (1.4-1.8, the API reference):
  ``…/workspace/claim?token=<token>&task=…&session=…&skill_name=…``
* ``ct_link`` (1.9): ``POST /api/auth/claim-token``, then ``…/workspace/claim?ct=<claim>``;
  the claim token "lasts 7 days and can be reused" (the 1.9 client opens it twice)

``NEMO_WEB_URL`` names the web front end (the check harness points it at the mock); without
it the link goes to ``NEMO_API_URL`` (the mock serves both on one origin).
"""

from __future__ import annotations

import os
from urllib.parse import quote, urlencode

import httpx

from nemo_mock.client_tests.reference_client import envelope
from nemo_mock.client_tests.reference_client.errors import ClientError
from nemo_mock.client_tests.reference_client.http import Api
from nemo_mock.client_tests.reference_client.session import Session

SKILL_NAME = "nemo-video"
OPEN_TIMEOUT = httpx.Timeout(30.0)


def web_url(api: Api) -> str:
    return (os.environ.get("NEMO_WEB_URL") or api.settings.api_url).strip().rstrip("/")


def task_link(api: Api, session: Session) -> str:
    """1.1-1.3: the task link with the access token in ``nemo_token``."""
    path = f"/workspace/task/{quote(_task(session), safe='')}/{quote(session.session_id, safe='')}"
    return f"{web_url(api)}{path}?{urlencode({'nemo_token': _token(api)})}"


def claim_link(api: Api, session: Session) -> str:
    """1.4-1.8: the claim link with the access token in ``token``."""
    params = {
        "token": _token(api),
        "task": _task(session),
        "session": session.session_id,
        "skill_name": SKILL_NAME,
    }
    return f"{web_url(api)}/workspace/claim?{urlencode(params)}"


def ct_link(api: Api, session: Session) -> str:
    """1.9: a claim token first (it has no API access), then the link with ``ct`` only."""
    reply = api.call(
        "createClaimToken",
        "POST",
        "/api/auth/claim-token",
        json={"task_id": _task(session), "session_id": session.session_id},
    )
    claim = envelope.data_of(reply.body).get("claim_token")
    if not isinstance(claim, str) or not claim:
        raise ClientError("the claim-token answer has no data.claim_token")
    return f"{web_url(api)}/workspace/claim?{urlencode({'ct': claim})}"


def open_link(api: Api, link: str, *, times: int = 1) -> None:
    """Open ``link`` as the user's browser would, ``times`` times; each must open the project."""
    shown = link.split("?", 1)[0] + "?…"  # the credential stays out of the log
    with httpx.Client(timeout=OPEN_TIMEOUT, follow_redirects=False) as browser:
        for attempt in range(1, times + 1):
            response = browser.get(link)
            if response.status_code != 200:
                raise ClientError(
                    f"the project link {shown} did not open (attempt {attempt}): HTTP "
                    f"{response.status_code} {envelope.message_of(_json(response))}"
                )
    api.log(f"open your project in the browser: {shown} (opened {times}x)")


def _task(session: Session) -> str:
    if not session.task_id:
        raise ClientError("the session has no task_id: no project link can be built")
    return session.task_id


def _token(api: Api) -> str:
    if api.tokens is None:
        raise ClientError("no token source")
    return api.tokens.bearer()


def _json(response: httpx.Response) -> object:
    try:
        return response.json()
    except ValueError:
        return None
