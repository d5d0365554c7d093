"""Arming a fault over the control plane and chatting over ``/run_sse``, in-process."""

import json

from tests.conftest import Api


def arm(api: Api, **rule):
    response = api.client.post("/_mock/faults", json=rule)
    assert response.status_code == 201, response.text
    return response.json()


def chat(
    api: Api, headers, session_id, message="make me a 10-second sunset timelapse video", **extra
):
    body = {
        "app_name": "nemo_agent",
        "user_id": "me",
        "session_id": session_id,
        "new_message": {"parts": [{"text": message}]},
    }
    return api.client.post("/run_sse", headers={**headers, **extra}, json=body)


def events(response):
    return [
        json.loads(line[len("data: ") :])
        for line in response.text.splitlines()
        if line.startswith("data: ") and line != "data: "
    ]
