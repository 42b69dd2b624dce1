"""Errors that name their source: a failing input is data, the run goes on."""
from __future__ import annotations


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
