"""Commands that fetch, store and deliver: ingest, run, notify, daemon, status, enable."""
from __future__ import annotations

import datetime as dt
import logging
import sys
import time
from pathlib import Path

import click
from tabulate import tabulate

from .. import daemon as daemon_module
from .. import log, pipeline, schedule
from ..errors import MonitorError
from ..store import Store
from . import main
from .common import (EXIT_CONFIG, EXIT_FAILED, EXIT_LOCKED, config_option, db_option, fail, info, load_config,
                     open_store, say, store_path, voice)
from .inputs import expand


@main.command()
@db_option
@config_option
@click.argument("files", nargs=-1, required=True)
@voice()
def ingest(db, config_path, files):
    """Ingest article FILES (or every file in a FOLDER, by name) in order: each file is one arrival.

    Formats are detected from the content: WordPress REST posts (one or a list),
    HTML pages, RSS/Atom/RDF/JSON feeds (each item an article), plain text, Markdown.

    Example:

        monitor ingest --db monitor.db fixtures/seeds/*.txt
    """
    store = open_store(store_path(db, config_path), write=True)
    paths = expand(files)
    show = log.get().isEnabledFor(logging.INFO) and sys.stderr.isatty() and len(paths) > 1
    report = pipeline.ingest_paths(store, paths, _progress() if show else None)
    for error in report.errors:
        say("error", error)
    info(f"{report.added} article(s) added, {report.duplicates} already known, "
         f"{len(report.alerts)} alert(s), {len(report.errors)} error(s)")
    sys.exit(0 if report.ok else 1)


@main.command()
@config_option
@click.option("--source", "names", multiple=True, help="only this source (repeatable), due or not")
@voice(default=log.quiet_default)
def run(config_path, names):
    """One pass over the sources that are due, then exit (for cron).

    Quiet under cron: off a terminal it prints only errors and warnings, unless -v.

    Exit 0 when every source was fetched, 1 when some failed or gave nothing but errors
    (the rest are stored), 2 on a bad config or an unknown --source, 3 when another pass
    holds the lock.

    Example:

        monitor run -v --config config/monitor.toml
    """
    config = load_config(config_path)
    unknown = [n for n in names if n not in {s.name for s in config.sources}]
    if unknown:
        fail(f"--source {unknown[0]!r}: no source of that name in {config.path} (its sources: "
             f"{', '.join(s.name for s in config.sources) or 'none'})", EXIT_CONFIG)
    if not config.sources:
        say("warning", f"no sources in {config.path}: add one with 'monitor sources add NAME URL'")
    store = open_store(config.store, write=True)
    daemon_pid = daemon_module.Presence(config.store).holder()
    at = logging.INFO if sys.stderr.isatty() else logging.DEBUG      # progress at a terminal, -v under cron
    progress = (lambda source, report: log.get().log(at, "%s: %s", source.name, _result(source.name, report)))
    try:
        with schedule.Lock(config.store):
            client = schedule.client_for(config)
            report = schedule.run_pass(config, store, client, set(names) or None, progress=progress,
                                       force=bool(names))
            client.close()
    except schedule.LockHeld as exc:
        fail(str(exc), EXIT_LOCKED)
    except MonitorError as exc:              # a lock file that is a symlink, unreadable
        fail(str(exc))
    if daemon_pid is not None and not report.fetched and not report.failed:
        say("warning", f"a daemon (pid {daemon_pid}) runs this store's sources on their intervals, so none was "
                       f"due; 'monitor run --source NAME' fetches one now")
    _print_pass(report)
    sys.exit(0 if report.ok else EXIT_FAILED)


def _progress():
    """At a terminal, a line per file: what that file added (the report counts the whole call)."""
    seen = {"added": 0, "alerts": 0}

    def say_file(path, report) -> None:
        added, alerts = report.added - seen["added"], len(report.alerts) - seen["alerts"]
        seen.update(added=report.added, alerts=len(report.alerts))
        info(f"{path}: {added} article(s) added, {alerts} alert(s)")
    return say_file


def _result(name: str, report: schedule.PassReport) -> str:
    """The word of a progress line; a failure's reason comes once, in its error line after the pass."""
    return "failed (below)" if name in report.failed else "ok, with warnings (below)" if name in report.warned \
        else "ok"


def _print_pass(report: schedule.PassReport) -> None:
    """A pass's errors and warnings, one line each, then its totals (INFO)."""
    for name, error in report.failed.items():
        say("error", f"{name}: {error}")
    for line in report.ingest.errors:
        say("error", line)
    for line in report.warnings:
        say("warning", line)
    for line in report.notify_errors:
        say("error", line)
    empty = f", {len(report.empty)} with no article" if report.empty else ""
    empty += f", {len(report.warned)} with warnings" if report.warned else ""
    info(f"{len(report.fetched)} source(s) fetched, {len(report.failed)} failed, "
         f"{report.ingest.added} article(s) added, {len(report.ingest.alerts)} alert(s){empty}")


@main.command("notify")
@config_option
@voice()
def notify_command(config_path):
    """Hand each notifier of the config the alerts it has not delivered yet.

    `run` and the daemon do this after every pass; use it after `monitor ingest`, or to
    retry a notifier that failed. Exit 1 when a notifier failed (its alerts stay pending).

    Example:

        monitor notify --config config/monitor.toml
    """
    config = load_config(config_path)
    store = open_store(config.store, write=True)
    try:
        with schedule.Lock(config.store):
            errors = pipeline.notify(store, config.notifiers, log=info, warn=lambda line: say("warning", line))
    except schedule.LockHeld as exc:
        fail(str(exc), EXIT_LOCKED)
    except MonitorError as exc:
        fail(str(exc))
    for line in errors:
        say("error", line)
    if not errors:
        info(f"{len(config.notifiers)} notifier(s): up to date")
    sys.exit(EXIT_FAILED if errors else 0)


@main.command()
@config_option
@voice()
def daemon(config_path):
    """Fetch each source on its own interval until SIGTERM or SIGINT; SIGHUP reloads the config.

    It logs a line at start and one per pass on stderr (systemd's journal keeps them).

    Example:

        monitor daemon --config config/monitor.toml
    """
    config = load_config(config_path)
    if not config.sources:
        say("warning", f"no sources in {config.path}: add one with 'monitor sources add NAME URL', then "
                       f"reload the daemon (SIGHUP)")
    open_store(config.store, write=True).close()
    try:
        sys.exit(daemon_module.daemon(config))
    except MonitorError as exc:                 # another daemon holds the store
        fail(str(exc), EXIT_LOCKED)


@main.command()
@config_option
@voice()
def status(config_path):
    """Each source with its last fetch, result, next due time and failures.

    Example:

        monitor status --config config/monitor.toml
    """
    config = load_config(config_path)
    if not Path(config.store).exists():          # a look is not a reason to make a store
        say("warning", f"{config.store}: no store yet; the first 'monitor run' makes it")
        store = None
    else:
        store = open_store(config.store)
    at = time.time()
    rows = [_source_row(store, source, at) for source in config.sources]
    click.echo(tabulate(rows, headers=["source", "kind", "state", "last fetch", "result", "next due", "failures",
                                       "last error"]))
    if config.notifiers:
        click.echo("\n" + tabulate([_notifier_row(store, n) for n in config.notifiers],
                                   headers=["notifier", "kind", "last delivery", "delivered", "pending",
                                            "failures", "last error"]))
    holder = daemon_module.Presence(config.store).holder()
    if holder is not None:
        info(f"a daemon (pid {holder}) is running this store")
    for line in store.take_warnings() if store else []:      # a damaged row, read as a new source's
        say("warning", line)


def _source_row(store: Store | None, source, at: float) -> list[str]:
    row = store.source(source.name) if store else {"disabled": 0}
    state = "disabled" if row["disabled"] else "off" if not source.enabled else "on"
    when = schedule.next_due(row, source, at)          # clamped: a stored 1e12 is not year 33715
    due = dt.datetime.fromtimestamp(when, dt.timezone.utc).isoformat(timespec="seconds") if when else "now"
    return [schedule.printable(cell) for cell in (
        source.name, source.kind, state, row.get("last_attempt") or "never", row.get("last_result") or "", due,
        row.get("failures") or 0, (row.get("last_error") or "")[:60])]


def _notifier_row(store: Store | None, notifier) -> list[str]:
    row = store.notifier(notifier.name) if store else {}
    pending = len(store.pending_alerts(notifier.name)) if store else 0
    return [schedule.printable(cell) for cell in (
        notifier.name, notifier.kind, row.get("last_success") or "never", row.get("delivered") or 0, pending,
        row.get("failures") or 0, (row.get("last_error") or "")[:60])]


@main.command()
@config_option
@click.argument("name")
@voice()
def enable(config_path, name):
    """Re-enable a source that was disabled after failing too often.

    Example:

        monitor enable --config config/monitor.toml "Example feed"
    """
    config = load_config(config_path)
    if name not in {s.name for s in config.sources}:
        fail(f"NAME {name!r}: no source of that name in {config.path}", EXIT_CONFIG)
    schedule.enable(open_store(config.store, write=True), name)
    info(f"{name}: enabled")
