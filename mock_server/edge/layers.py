"""Middleware layers that step aside when they have nothing to do for a request.

Each pure-ASGI layer the mock stacks (turn admission, the body pace, the faults, the JSON
cap) does nothing for most requests: a ``GET`` opens no turn and carries no body, and no
fault rule is armed. Passing such a request on still cost a coroutine per layer, ~5 %
of a plain request's instructions for four of them (issue 18). A ``Layer`` says whether it
is ``idle`` for a request (a cheap synchronous check), and whoever hands a request inward
calls ``first_busy``: the first layer inside that has something to do, or the app past
them all, so an idle layer costs its check and no coroutine.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Scope


class Layer:
    """An ASGI middleware that may be idle for a request (``idle``); its ``__call__`` passes
    such a request to ``first_busy(self.app, scope)``, doing nothing else."""

    app: ASGIApp

    def idle(self, scope: Scope) -> bool:
        """Whether this layer would only pass ``scope``'s request on."""
        raise NotImplementedError


def first_busy(app: ASGIApp, scope: Scope) -> ASGIApp:
    """``app``, or, when it is an idle ``Layer``, the first app inside it that is not."""
    while isinstance(app, Layer) and app.idle(scope):
        app = app.app
    return app
