"""One voice on stderr for every command and the daemon, through the standard `logging` module.

Errors and warnings read "error: ..." and "warning: ..."; what a command reports on its own
work (a pass's totals, the daemon's line per pass) is an INFO line with no prefix; DEBUG adds
each source's result. Every line is made printable first: a source name or an error from
the network cannot forge another line. The handler looks up sys.stderr when it writes, so
click's test runner, systemd's journal and a terminal all get the same lines.

Levels: -q keeps errors only; the default is INFO (WARNING for `run` off a terminal, so that
cron mails only trouble); -v shows DEBUG; --log-level names any level and wins over both.
"""
from __future__ import annotations

import logging
import sys

import click

from .schedule import printable

LOGGER = logging.getLogger("monitor")
LEVELS = ("debug", "info", "warning", "error")
PREFIX = {logging.ERROR: "error: ", logging.CRITICAL: "error: ", logging.WARNING: "warning: "}


class Voice(logging.Handler):
    """Writes each record as one printable line on the current sys.stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            click.echo(PREFIX.get(record.levelno, "") + printable(record.getMessage()), err=True)
        except (OSError, ValueError):           # stderr closed (a daemon whose terminal went away)
            self.handleError(record)


def level(verbose: bool = False, quiet: bool = False, name: str | None = None,
          default: int = logging.INFO) -> int:
    """The level a command's options ask for: --log-level, else -q, else -v, else `default`."""
    if name:
        return logging.getLevelName(name.upper())
    if quiet:
        return logging.ERROR
    if verbose:
        return logging.DEBUG
    return default


def setup(at: int) -> None:
    """Route the monitor's loggers to one Voice handler at level `at` (called once per command)."""
    for handler in list(LOGGER.handlers):
        LOGGER.removeHandler(handler)
    LOGGER.addHandler(Voice())
    LOGGER.setLevel(at)
    LOGGER.propagate = False                     # the root logger's handlers (a host's) do not say it twice


def quiet_default() -> int:
    """The default level of a scheduled command: INFO at a terminal, WARNING under cron."""
    return logging.INFO if sys.stderr.isatty() else logging.WARNING


def get(name: str = "") -> logging.Logger:
    return LOGGER.getChild(name) if name else LOGGER
