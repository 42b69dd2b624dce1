"""Errors that name their source: a failing input is data, the run goes on."""
from __future__ import annotations

import re

# "[Errno 111] Connection refused": the number says nothing a user can act on.
ERRNO = re.compile(r"^\[Errno -?\d+\]\s*")


def describe(exc: BaseException) -> str:
    """An exception as the end of one error line: its words first, lower case where they are
    an OS error's, then its kind in brackets ("connection refused (ConnectError)"), never
    "SomeError: [Errno 111] ...", which read as a second voice saying "Error:"."""
    text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    text = ERRNO.sub("", text).strip()
    if isinstance(exc, OSError) and text[:1].isupper() and text[1:2].islower():
        text = text[0].lower() + text[1:]
    return f"{text} ({type(exc).__name__})" if text else type(exc).__name__


class MonitorError(Exception):
    """Base class for errors the command line reports in one line."""


class InputError(MonitorError):
    """An input that cannot become an article: names the file or URL and the reason."""

    def __init__(self, origin: str, reason: str):
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason

    def __reduce__(self):                 # rebuilt from both parts when it crosses processes
        return type(self), (self.origin, self.reason)


class StoreError(MonitorError):
    """The SQLite store cannot be opened or written."""
