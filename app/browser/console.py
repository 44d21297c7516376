"""Send Python logging to the browser console at the matching level.

Without this, every log line goes to stderr, which PyScript shows as console.error: a
handled, expected fault (backend unreachable) would look like a crash to an operator.
"""

from __future__ import annotations

import logging

import js


class ConsoleHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        message = self.format(record)
        if record.levelno >= logging.ERROR:
            js.console.error(message)
        elif record.levelno >= logging.WARNING:
            js.console.warn(message)
        else:
            js.console.info(message)


def log_to_console(level: int = logging.INFO) -> None:
    handler = ConsoleHandler()
    handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
