"""What every command shares: the one voice for errors, the -v/-q/--log-level options, and
the one way in (--config or --db, else a config found where users keep one).

Where the config comes from, first found wins:
  --config PATH, $MONITOR_CONFIG, ./monitor.toml, $XDG_CONFIG_HOME/monitor/monitor.toml
  (XDG_CONFIG_HOME defaults to ~/.config). Read commands take the store from it; --db names
  a store directly and needs no config.
"""
from __future__ import annotations

import functools
import logging
import os
import sys
from pathlib import Path

import click

from .. import config as config_module
from .. import log
from ..errors import MonitorError
from ..schedule import printable
from ..store import Store

# Exit codes: 0 done, 1 some of the work failed (the rest kept), 2 bad config or option
# (click's usage errors exit 2 too), 3 another pass holds the store's lock.
EXIT_FAILED, EXIT_CONFIG, EXIT_LOCKED = 1, 2, 3
CONFIG_ENV = "MONITOR_CONFIG"
CONFIG_NAME = "monitor.toml"


def say(kind: str, line: str) -> None:
    """One "error: ..." or "warning: ..." line on stderr through the monitor's logger, escaped."""
    if not log.get().handlers:                   # before a command set the voice up (click's own errors)
        click.echo(f"{kind}: {printable(line)}", err=True)
        return
    log.get().log(logging.ERROR if kind == "error" else logging.WARNING, "%s", line)


def info(line: str) -> None:
    log.get().info("%s", line)


def fail(line: str, code: int = EXIT_FAILED):
    """One error line, then exit `code`: the only way a command ends in error."""
    say("error", line)
    sys.exit(code)


def bad_option(option: str, value: str, reason: str):
    """An option value that cannot be used: one line naming it, exit 2."""
    fail(f"{option} {value!r}: {reason}", EXIT_CONFIG)


def voice(default=logging.INFO):
    """-v, -q and --log-level on a command; the logger is set up before it runs. `default`
    is a level or a function giving one (a scheduled command's depends on the terminal)."""
    def decorate(command):
        @functools.wraps(command)
        def wrapper(*args, verbose, quiet, log_level, **kwargs):
            log.setup(log.level(verbose, quiet, log_level, default() if callable(default) else default))
            return command(*args, **kwargs)
        wrapper = click.option("--log-level", type=click.Choice(log.LEVELS, case_sensitive=False), default=None,
                               help="the least severe lines shown (wins over -v and -q)")(wrapper)
        wrapper = click.option("--quiet", "-q", is_flag=True, help="print errors only")(wrapper)
        return click.option("--verbose", "-v", is_flag=True, help="print more: totals, each source")(wrapper)
    return decorate


def config_option(command):
    return click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
                        help=f"TOML config (default: ${CONFIG_ENV}, ./{CONFIG_NAME}, "
                             f"$XDG_CONFIG_HOME/monitor/{CONFIG_NAME})")(command)


def db_option(command):
    return click.option("--db", type=click.Path(dir_okay=False), default=None,
                        help="SQLite store (default: the store of the config)")(command)


def discover() -> tuple[Path | None, str]:
    """The config a command uses when none is given, and where it was looked for."""
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env), f"${CONFIG_ENV}"
    here = Path(CONFIG_NAME)
    if here.is_file():
        return here, f"./{CONFIG_NAME}"
    xdg = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "monitor" / CONFIG_NAME
    if xdg.is_file():
        return xdg, str(xdg)
    return None, ""


NO_CONFIG = (f"no config: give --config PATH, set ${CONFIG_ENV}, or write one with 'monitor init' "
             f"(looked for ./{CONFIG_NAME} and $XDG_CONFIG_HOME/monitor/{CONFIG_NAME})")


def load_config(path: str | None) -> config_module.Config:
    """The config given, else the one found (see the module's docstring); exit 2 if none or bad."""
    if path is None:
        found, _ = discover()
        if found is None:
            fail(NO_CONFIG, EXIT_CONFIG)
        path = str(found)
    try:
        return config_module.load(path)
    except config_module.ConfigError as exc:
        fail(str(exc), EXIT_CONFIG)


def store_path(db: str | None, config_path: str | None) -> str:
    """--db if given, else the store of the config (given or found)."""
    if db is not None:
        return db
    if config_path is None and discover()[0] is None:
        fail("no store: give --db PATH or --config PATH, set $MONITOR_CONFIG, or write a config with "
             "'monitor init'", EXIT_CONFIG)
    return load_config(config_path).store


def open_store(db: str, write: bool = False, must_exist: bool = False) -> Store:
    """The store at `db`. A command that writes makes its folder; one that only reads refuses
    a store that is not there (rather than making an empty one)."""
    path = Path(db)
    if must_exist and not path.exists():
        fail(f"{db}: no store there yet (it is made by 'monitor run' or 'monitor ingest')")
    try:
        if write:
            path.parent.mkdir(parents=True, exist_ok=True)
        store = Store(db)
        if write:
            store.require_writable()
        return store
    except OSError as exc:
        fail(f"{db}: cannot make the store's folder {path.parent}: {exc.strerror or exc}")
    except MonitorError as exc:
        fail(str(exc))
