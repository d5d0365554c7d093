"""File responses (uploaded files and finished renders): Starlette's FileResponse with Range,
whose own refusals (416 unsatisfiable range, 400 malformed range) are re-worded
into the mock's JSON envelope."""

from __future__ import annotations

import json

from starlette.responses import FileResponse
from starlette.types import Message, Receive, Scope, Send

from nemo_mock.mock_server.edge.envelope import failure

_REWORDED = {
    416: "the requested range lies outside the file",
    400: "malformed Range header (expected bytes=START-END)",
}


class MediaFileResponse(FileResponse):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        replaced: dict[str, int] = {}

        async def reword(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in _REWORDED:
                status = message["status"]
                replaced["status"] = status
                body = json.dumps(failure(status, _REWORDED[status])).encode()
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in (b"content-type", b"content-length")
                ]
                headers += [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ]
                await send({**message, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
            if "status" in replaced:
                return  # the original (empty plain-text) body is dropped
            await send(message)

        await super().__call__(scope, receive, reword)
