"""Tokens never reach the logs: a ``logging.Filter`` that fingerprints them in every record.

uvicorn's access log prints paths with their query, where a careless client may
have put its token; an exception's text may quote one. The filter redacts the
record in place, keeping its shape: uvicorn's ``AccessFormatter`` unpacks
``record.args`` as a 5-tuple, so the arguments are redacted one by one rather
than folded into the message.

A filter on a logger only sees records logged on that very logger, not those
propagated from its children; a filter on a handler sees all it writes.
``install_log_redaction`` therefore attaches to the loggers (and every
``nemo_mock.*`` logger that exists), their handlers, the root's handlers and
``logging.lastResort`` (where records go when nothing is configured). Logger
filters survive uvicorn's ``dictConfig``; handler filters do not, so call it
after ``uvicorn.Config(...)`` to cover the handlers too.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from nemo_mock.mock_server.domain.secrets import redact

#: The loggers whose records (and handlers) are redacted.
LOGGERS = ("uvicorn", "uvicorn.access", "uvicorn.error", "nemo_mock")


class RedactTokens(logging.Filter):
    """Replaces every token in a record's message, arguments and traceback by ``<fp_…>``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        elif record.msg is not None:
            record.msg = redact(str(record.msg))
        record.args = _redact_args(record.args)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def _redact_args(args: Any) -> Any:
    if isinstance(args, tuple):
        return tuple(_redact_arg(a) for a in args)
    if isinstance(args, Mapping):
        return {k: _redact_arg(v) for k, v in args.items()}
    return args


def _redact_arg(value: Any) -> Any:
    """A string redacted; a number as it is (``%d`` must still work); anything else as its
    redacted ``str`` when that holds a token, else untouched."""
    if isinstance(value, str):
        return redact(value)
    if value is None or isinstance(value, int | float):
        return value
    text = str(value)
    redacted = redact(text)
    return redacted if redacted != text else value


def install_log_redaction() -> RedactTokens:
    """Attach one ``RedactTokens`` to every target (idempotent): the ``LOGGERS``, the
    ``nemo_mock.*`` loggers, their handlers, the root's handlers and ``logging.lastResort``."""
    redactor = RedactTokens()
    for target in _targets():
        if not any(isinstance(f, RedactTokens) for f in target.filters):
            target.addFilter(redactor)
    return redactor


def remove_log_redaction() -> None:
    """Detach every ``RedactTokens`` that ``install_log_redaction`` attached (for tests)."""
    for target in _targets():
        for found in [f for f in target.filters if isinstance(f, RedactTokens)]:
            target.removeFilter(found)


def _targets() -> list[logging.Filterer]:
    children = [name for name in logging.Logger.manager.loggerDict if name.startswith("nemo_mock.")]
    loggers = [logging.getLogger(name) for name in (*LOGGERS, *sorted(children))]
    handlers = [h for logger in [*loggers, logging.getLogger()] for h in logger.handlers]
    last = [logging.lastResort] if logging.lastResort is not None else []
    return [*loggers, *handlers, *last]
