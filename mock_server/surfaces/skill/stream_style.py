"""Which stream style a ``/run_sse`` request asked for (``nemo_mock.mock_server.sse.styles``).

``X-Mock-Stream-Style: simple|adk`` or ``?stream_style=simple|adk`` (the header wins when
both are sent); neither: the style of the era the request is answered in. Anything else,
in either place (also a query the header wins over), is a 400 naming the styles.
"""

from __future__ import annotations

from fastapi import Request

from nemo_mock.mock_server.domain.eras import StreamStyle
from nemo_mock.mock_server.domain.errors import BadRequest
from nemo_mock.mock_server.edge.headers import header
from nemo_mock.mock_server.runtime import Mock
from nemo_mock.mock_server.sse.styles import STREAM_STYLES, Encoder, encoder_for
from nemo_mock.mock_server.sse.turns import Turn

HEADER = "X-Mock-Stream-Style"
QUERY = "stream_style"


def requested_style(request: Request, default: StreamStyle) -> StreamStyle:
    """The style the request asked for, else ``default``. Every value sent must be a style,
    also a query the header wins over."""
    queried = [_style(value, QUERY) for value in request.query_params.getlist(QUERY)]
    asked = header(request.scope.get("headers", []), HEADER)
    if asked is not None:
        return _style(asked, HEADER)
    return queried[-1] if queried else default


def _style(asked: str, where: str) -> StreamStyle:
    style = asked.strip().lower()
    if style not in STREAM_STYLES:
        raise BadRequest(
            f"{where}: {asked[:40]!r} is not a stream style; use one of {', '.join(STREAM_STYLES)}"
        )
    return style


def turn_encoder(mock: Mock, turn: Turn, style: StreamStyle, streaming: bool) -> Encoder:
    """The encoder of one turn's stream: ids from the mock's seed, times from its clock."""
    clock = mock.backend.clock
    return encoder_for(
        style,
        seed=mock.settings.seed,
        session_id=turn.session_id,
        turn=turn.number,
        now=lambda: clock.now().timestamp(),
        streaming=streaming,
    )
