"""The event loop's own reports of the host running out, as one line instead of tracebacks.

When the process is at its ``ulimit -n``, asyncio's server cannot accept a connection: it
logs ``socket.accept() out of system resource`` with a whole traceback, then pauses
accepting for a second, and again for every connection still waiting, a screenful a
second while a crowd holds the descriptors. Nothing is wrong with the mock (requests that
meet the limit are answered 503, ``edge/errors.py``), so ``quiet_running_out`` replaces
those reports by one warning line, at most every ``EVERY`` seconds, naming the limit; every
other report of the loop goes where it went before.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import time
from collections.abc import Callable
from typing import Any

from nemo_mock.mock_server.edge.errors import descriptor_limit

log = logging.getLogger("nemo_mock")

#: Seconds between two warnings of descriptors running out.
EVERY = 10.0

#: What asyncio says when ``accept`` fails for want of a resource (``selector_events``).
ACCEPT_OUT_OF_RESOURCES = "socket.accept() out of system resource"


def quiet_running_out(loop: asyncio.AbstractEventLoop) -> Callable[[], None]:
    """Install the handler on ``loop``; returns what puts the previous one back."""
    previous = loop.get_exception_handler()
    last_warned = float("-inf")

    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        nonlocal last_warned
        exc = context.get("exception")
        if context.get("message") == ACCEPT_OUT_OF_RESOURCES and isinstance(exc, OSError):
            now = time.monotonic()
            if now - last_warned >= EVERY:
                last_warned = now
                name = errno.errorcode.get(exc.errno or 0, str(exc.errno))
                descriptors = exc.errno in (errno.EMFILE, errno.ENFILE)
                log.warning(
                    "out of %s (%s: %s%s): new connections wait until some close, and "
                    "requests that meet the limit are answered 503",
                    "file descriptors" if descriptors else "memory",
                    name,
                    exc.strerror,
                    f"; the limit is {descriptor_limit()}" if descriptors else "",
                )
            return
        if previous is not None:
            previous(loop, context)
        else:
            loop.default_exception_handler(context)

    loop.set_exception_handler(handler)
    return lambda: loop.set_exception_handler(previous)
