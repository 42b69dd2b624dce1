"""The `monitor` command: thin click wrappers around the pipeline, the store and the notifier."""
from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
import time
from pathlib import Path

import click

import datetime as dt

from . import config as config_module
from . import notify as notify_stage
from . import daemon as daemon_module
from . import pipeline, schedule, views
from .notify import inspect
from .errors import MonitorError
from .store import Store

# Exit codes of `run`: 0 every due source fetched, 1 some failed or read nothing but errors (the rest stored),
# 2 bad config (or option), 3 another pass holds the lock.
EXIT_FAILED, EXIT_CONFIG, EXIT_LOCKED = 1, 2, 3
# The largest run id asked for: SQLite's INTEGER is 64 bits, so 18 digits always fit.
RUN_ID_DIGITS = 18


def _say(kind: str, line: str) -> None:
    """One line on stderr, "error: ..." or "warning: ...", its control and bidi characters
    escaped: a source name or an error from the network cannot forge another line."""
    click.echo(f"{kind}: {schedule.printable(line)}", err=True)


def _bad_option(option: str, value: str, reason: str):
    """An option value that cannot be used: one line naming it, exit 2 (click's own usage
    errors exit 2 too), never a traceback."""
    _say("error", f"{option} {value!r}: {reason}")
    sys.exit(EXIT_CONFIG)


def _fail(line: str, code: int = EXIT_FAILED):
    """One error line, then exit `code`: the only way a command ends in error."""
    _say("error", line)
    sys.exit(code)


def _config(path: str):
    try:
        return config_module.load(path)
    except config_module.ConfigError as exc:
        _fail(str(exc), EXIT_CONFIG)


def _open(db: str, write: bool = False) -> Store:
    try:
        store = Store(db)
        if write:
            store.require_writable()
        return store
    except MonitorError as exc:
        _fail(str(exc))


# click 8.2+ asks for a command by showing the help (an error whose message is the help).
NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())


class Monitor(click.Group):
    """The command group. Every error is one "error: ..." line, click's own too (a missing
    option, an unknown command: exit 2, with where to find help), and a store that fails
    mid-command (disk full, file damaged or made read-only under us) is one line and exit 1,
    not a traceback."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except NO_ARGS_IS_HELP as exc:           # `monitor` alone: the help, as click prints it (exit 2)
            exc.show()
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            hint = ""
            if isinstance(exc, click.UsageError) and exc.ctx is not None:
                hint = f" (see '{exc.ctx.command_path} --help')"
            _fail(exc.format_message() + hint, exc.exit_code)
        except click.Abort:
            _fail("aborted")
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except sqlite3.DatabaseError as exc:
            _fail(f"the store failed: {exc} (disk full, read-only or damaged?)")


@click.group(cls=Monitor)
@click.version_option(package_name="monitor")
def main():
    """Track figures and official positions in the news, and alert when they change."""


@main.command()
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="SQLite store (created if missing)")
@click.option("--quiet", "-q", is_flag=True, help="print errors only")
@click.argument("files", nargs=-1, required=True)
def ingest(db, quiet, files):
    """Ingest article FILES in the order given: each file is one arrival.

    Formats are detected from the content: WordPress REST posts (one or a list),
    HTML pages, RSS/Atom/RDF/JSON feeds (each item an article), plain text, Markdown.

    Example:

        monitor ingest --db monitor.db fixtures/seeds/*.txt
    """
    store = _open(db, write=True)
    show = not quiet and sys.stderr.isatty() and len(files) > 1
    progress = (lambda path, report: click.echo(f"{path}: {report.added} added, {len(report.alerts)} alerts",
                                                err=True)) if show else None
    report = pipeline.ingest_paths(store, list(files), progress)
    for error in report.errors:
        _say("error", error)
    if not quiet:
        click.echo(f"{report.added} article(s) added, {report.duplicates} already known, "
                   f"{len(report.alerts)} alert(s), {len(report.errors)} error(s)", err=True)
    sys.exit(0 if report.ok else 1)


@main.command()
@click.option("--db", required=True, type=click.Path(exists=True, dir_okay=False), help="SQLite store")
@click.option("--json", "as_json", is_flag=True, help="one JSON object per line, as the alert contract says")
@click.option("--run", "run", default=None, help="only alerts of this run id, or 'last'")
@click.option("--since", default=None, help="only alerts raised since: '24h', '7d' or a date '2024-10-23'")
def alerts(db, as_json, run, since):
    """Print the alerts, oldest first.

    Example:

        monitor alerts --db monitor.db --json
    """
    store = _open(db)
    rows = store.alerts(run_id=_run_id(store, run), since=_since(since))
    text = notify_stage.render("json" if as_json else "table", notify_stage.digest(store, rows, sections=False))
    if text:
        click.echo(text)


@main.command()
@click.option("--db", required=True, type=click.Path(exists=True, dir_okay=False), help="SQLite store")
@click.option("--format", "fmt", type=click.Choice(notify_stage.FORMATS), default="md", show_default=True,
              help="Markdown, a self-contained HTML page, or plain text")
@click.option("--since", default=None, help="only alerts raised since: '24h', '7d' or a date '2024-10-23'")
@click.option("--run", "run", default=None, help="only alerts of this run id, or 'last'")
def digest(db, fmt, since, run):
    """Print a digest of the alerts, grouped by story and by subject or topic.

    A figure shows its history (every source's values, the changes marked; in HTML also a
    chart), a position its actor, before and after, both quotes and both articles. Sources
    that failed in the window and a line of totals close it.

    Examples:

        monitor digest --db monitor.db > digest.md

        monitor digest --db monitor.db --format html --since 24h > digest.html
    """
    store = _open(db)
    run_id, start = _run_id(store, run), _since(since)
    rows = store.alerts(run_id=run_id, since=start)
    errors = store.run_errors(run_ids=[run_id]) if run_id is not None else store.run_errors(since=start)
    window = "the last run (no run has raised alerts yet)" if run_id == NO_RUN else \
        f"run {run_id}" if run_id is not None else f"since {start[:16].replace('T', ' ')} UTC" if start \
        else "all alerts"
    click.echo(notify_stage.render(fmt, notify_stage.digest(store, rows, errors, window=window)), nl=False)


def _since(text: str | None) -> str | None:
    """The window's start as the store writes times (ISO 8601, UTC, seconds)."""
    if text is None:
        return None
    try:
        return notify_stage.since(text).astimezone(dt.timezone.utc).isoformat(timespec="seconds")
    except OverflowError:                  # "99999999999d", a date at the end of the calendar
        _bad_option("--since", text, "out of range: use a duration such as \"24h\" or \"7d\", or a date "
                                     "(\"2024-10-23\")")
    except ValueError as exc:
        _bad_option("--since", text, str(exc).replace(f"{text!r}: ", "", 1))


# The run id `--run last` stands for when no run has raised alerts: no run has it (ids start at 1).
NO_RUN = 0


def _run_id(store: Store, run: str | None) -> int | None:
    if run is None:
        return None
    if run == "last":
        last = store.last_run_id()
        return NO_RUN if last is None else last     # no run raised alerts: none to show, never all
    if not re.fullmatch(f"[0-9]{{1,{RUN_ID_DIGITS}}}", run):
        _bad_option("--run", run, "expected a run id (a whole number) or 'last'")
    return int(run)


@main.command()
@click.option("--db", required=True, type=click.Path(exists=True, dir_okay=False), help="SQLite store")
@click.option("--evidence", is_flag=True, help="print each claim's sentence too")
@click.argument("text")
def history(db, evidence, text):
    """The timeline of every subject or topic whose label contains TEXT.

    A figure's subject shows each source's values in arrival order, revisions marked; a
    topic shows each actor's stances, changes marked ("was unconfirmed").

    Example:

        monitor history --db monitor.db troops
    """
    out = inspect.history(_open(db), text, evidence)
    if not out:
        _fail(f"no subject or topic matches {text!r}")
    click.echo(out)


@main.command()
@click.option("--db", required=True, type=click.Path(exists=True, dir_okay=False), help="SQLite store")
@click.argument("article")
def claims(db, article):
    """What was read from one ARTICLE: its id, URL or the path given to ingest.

    Each figure with its subject, value, source and the words it was read from; each
    position with its actor, stance, cue and proposition; every claim with its sentence.

    Example:

        monitor claims --db monitor.db fixtures/seeds/003_9bed968189c1b957.txt
    """
    store = _open(db)
    # A path may have been given to ingest relative or absolute: try the forms it can take.
    forms = [article, str(Path(article).resolve()), os.path.relpath(Path(article).resolve())]
    row = next((r for r in map(store.article, forms) if r is not None), None)
    if row is None:
        _fail(f"no article with the id, URL or path {article!r}")
    click.echo(inspect.claims(store, row))


@main.command()
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="SQLite store")
def metadata(db):
    """Print datasette metadata describing the store's tables, views and columns.

    Example:

        monitor metadata --db monitor.db > metadata.json
    """
    click.echo(json.dumps(views.datasette_metadata(Path(db).stem), indent=2, ensure_ascii=False))


@main.command()
@click.option("--config", "config_path", required=True, type=click.Path(dir_okay=False), help="TOML config")
@click.option("--source", "names", multiple=True, help="only this source (repeatable), due or not")
@click.option("--quiet", "-q", is_flag=True, help="print errors only")
@click.option("--verbose", "-v", is_flag=True, help="print the pass's totals even when not on a terminal")
def run(config_path, names, quiet, verbose):
    """One pass over the sources that are due, then exit (for cron).

    Quiet under cron: off a terminal it prints only errors and warnings, unless -v.

    Exit 0 when every source was fetched, 1 when some failed or gave nothing but errors
    (the rest are stored), 2 on a bad config, 3 when another pass holds the lock.

    Example:

        monitor run -v --config config/monitor.toml
    """
    config = _config(config_path)
    store = _open(config.store, write=True)
    show = not quiet and sys.stderr.isatty()
    progress = (lambda source, report: click.echo(schedule.printable(
        f"{source.name}: {'error' if source.name in report.failed else 'ok'}"), err=True)) if show else None
    try:
        with schedule.Lock(config.store):
            client = schedule.client_for(config)
            report = schedule.run_pass(config, store, client, set(names) or None, progress=progress,
                                       force=bool(names))
            client.close()
    except schedule.LockHeld as exc:
        _say("error", str(exc))
        sys.exit(EXIT_LOCKED)
    except MonitorError as exc:              # a lock file that is a symlink, unreadable
        _say("error", str(exc))
        sys.exit(EXIT_FAILED)
    _print_pass(report, quiet, totals=not quiet and (verbose or sys.stderr.isatty()))
    sys.exit(0 if report.ok else EXIT_FAILED)


def _print_pass(report: schedule.PassReport, quiet: bool, totals: bool = True) -> None:
    """A pass's errors and warnings, one line each, then its totals where asked (a terminal, -v)."""
    for name, error in report.failed.items():
        _say("error", f"{name}: {error}")
    for line in report.ingest.errors:
        _say("error", line)
    for line in [] if quiet else report.warnings:
        _say("warning", line)
    for line in report.notify_errors:
        _say("error", line)
    if totals:
        empty = f", {len(report.empty)} with no article" if report.empty else ""
        click.echo(f"{len(report.fetched)} source(s) fetched, {len(report.failed)} failed, "
                   f"{report.ingest.added} article(s) added, {len(report.ingest.alerts)} alert(s){empty}", err=True)


@main.command("notify")
@click.option("--config", "config_path", required=True, type=click.Path(dir_okay=False), help="TOML config")
@click.option("--quiet", "-q", is_flag=True, help="print errors only")
def notify_command(config_path, quiet):
    """Hand each notifier of the config the alerts it has not delivered yet.

    `run` and the daemon do this after every pass; use it after `monitor ingest`, or to
    retry a notifier that failed. Exit 1 when a notifier failed (its alerts stay pending).

    Example:

        monitor notify --config config/monitor.toml
    """
    config = _config(config_path)
    store = _open(config.store, write=True)
    try:
        with schedule.Lock(config.store):
            errors = pipeline.notify(store, config.notifiers, log=None if quiet else
                                     lambda line: click.echo(schedule.printable(line), err=True),
                                     warn=lambda line: _say("warning", line))
    except schedule.LockHeld as exc:
        _say("error", str(exc))
        sys.exit(EXIT_LOCKED)
    except MonitorError as exc:
        _say("error", str(exc))
        sys.exit(EXIT_FAILED)
    for line in errors:
        _say("error", line)
    if not quiet and not errors:
        click.echo(f"{len(config.notifiers)} notifier(s): up to date", err=True)
    sys.exit(EXIT_FAILED if errors else 0)


@main.command()
@click.option("--config", "config_path", required=True, type=click.Path(dir_okay=False), help="TOML config")
def daemon(config_path):
    """Fetch each source on its own interval until SIGTERM or SIGINT.

    Example:

        monitor daemon --config config/monitor.toml
    """
    config = _config(config_path)
    _open(config.store, write=True).close()
    sys.exit(daemon_module.daemon(config, log=lambda line: click.echo(schedule.printable(line), err=True)))


@main.command()
@click.option("--config", "config_path", required=True, type=click.Path(dir_okay=False), help="TOML config")
def status(config_path):
    """Each source with its last fetch, result, next due time and failures.

    Example:

        monitor status --config config/monitor.toml
    """
    config = _config(config_path)
    store = _open(config.store)
    rows, at = [], time.time()
    for source in config.sources:
        row = store.source(source.name)
        state = "disabled" if row["disabled"] else "off" if not source.enabled else "on"
        when = schedule.next_due(row, source, at)          # clamped: a stored 1e12 is not year 33715
        due = dt.datetime.fromtimestamp(when, dt.timezone.utc).isoformat(timespec="seconds") if when else "now"
        rows.append([schedule.printable(cell) for cell in (
            source.name, source.kind, state, row.get("last_attempt") or "never", row.get("last_result") or "", due,
            row.get("failures") or 0, (row.get("last_error") or "")[:60])])
    from tabulate import tabulate
    click.echo(tabulate(rows, headers=["source", "kind", "state", "last fetch", "result", "next due", "failures",
                                       "last error"]))
    if config.notifiers:
        rows = [[schedule.printable(cell) for cell in (
                    n.name, n.kind, row.get("last_success") or "never", row.get("delivered") or 0,
                    len(store.pending_alerts(n.name)), row.get("failures") or 0, (row.get("last_error") or "")[:60])]
                for n in config.notifiers for row in [store.notifier(n.name)]]
        click.echo("\n" + tabulate(rows, headers=["notifier", "kind", "last delivery", "delivered", "pending",
                                                    "failures", "last error"]))
    for line in store.take_warnings():                   # a damaged row, read as a new source's
        _say("warning", line)


@main.command()
@click.option("--config", "config_path", required=True, type=click.Path(dir_okay=False), help="TOML config")
@click.argument("name")
def enable(config_path, name):
    """Re-enable a source that was disabled after failing too often.

    Example:

        monitor enable --config config/monitor.toml "Example feed"
    """
    config = _config(config_path)
    if name not in {s.name for s in config.sources}:
        _fail(f"NAME {name!r}: no source of that name in {config.path}", EXIT_CONFIG)
    schedule.enable(_open(config.store, write=True), name)
    click.echo(schedule.printable(f"{name}: enabled"), err=True)
