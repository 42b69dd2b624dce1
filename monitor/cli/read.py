"""Commands that read the store: alerts, digest, history, claims, metadata.

Each takes the store by --db or from the config (--config or the one found); none of them
makes a store that is not there.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import click

from .. import notify as notify_stage
from .. import views
from ..notify import inspect
from ..store import Store
from . import main
from .common import bad_option, config_option, db_option, fail, info, open_store, store_path, voice

# The largest run id asked for: SQLite's INTEGER is 64 bits, so 18 digits always fit.
RUN_ID_DIGITS = 18
# The run id `--run last` stands for when no run has raised alerts: no run has it (ids start at 1).
NO_RUN = 0
ALERT_FORMATS = ("table", "json", "csv")


def _reader(db: str | None, config_path: str | None) -> Store:
    return open_store(store_path(db, config_path), must_exist=True)


@main.command()
@db_option
@config_option
@click.option("--format", "fmt", type=click.Choice(ALERT_FORMATS), default="table", show_default=True,
              help="a terminal table, the contract's JSON lines, or CSV for a spreadsheet")
@click.option("--json", "as_json", is_flag=True, help="the same as --format json")
@click.option("--run", "run", default=None, help="only alerts of this run id, or 'last'")
@click.option("--since", default=None, help="only alerts raised since: '24h', '7d' or a date '2024-10-23'")
@voice()
def alerts(db, config_path, fmt, as_json, run, since):
    """Print the alerts, oldest first (muted ones marked).

    Examples:

        monitor alerts --db monitor.db --json

        monitor alerts --db monitor.db --format csv --since 7d > alerts.csv
    """
    store = _reader(db, config_path)
    rows = store.alerts(run_id=_run_id(store, run), since=_since(since))
    text = notify_stage.render("json" if as_json else fmt, notify_stage.digest(store, rows, sections=False))
    if text:
        click.echo(text, nl=not text.endswith("\n"))


@main.command()
@db_option
@config_option
@click.option("--format", "fmt", type=click.Choice(notify_stage.FORMATS), default="md", show_default=True,
              help="Markdown, a self-contained HTML page, or plain text")
@click.option("--since", default=None, help="only alerts raised since: '24h', '7d' or a date '2024-10-23'")
@click.option("--run", "run", default=None, help="only alerts of this run id, or 'last'")
@voice()
def digest(db, config_path, fmt, since, run):
    """Print a digest of the alerts, grouped by story and by subject or topic.

    A figure shows its history (every source's values, the changes marked; in HTML also a
    chart), a position its actor, before and after, both quotes and both articles. Sources
    that failed in the window and a line of totals close it.

    Examples:

        monitor digest --db monitor.db > digest.md

        monitor digest --db monitor.db --format html --since 24h > digest.html
    """
    store = _reader(db, config_path)
    run_id, start = _run_id(store, run), _since(since)
    rows = store.alerts(run_id=run_id, since=start)
    muted = [row for row in rows if row.get("muted")]
    if muted:                                    # never delivered, so not in a digest either
        rows = [row for row in rows if not row.get("muted")]
        info(f"{len(muted)} muted alert(s) left out ('monitor alerts' shows them)")
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
        bad_option("--since", text, "out of range: use a duration such as \"24h\" or \"7d\", or a date "
                                    "(\"2024-10-23\")")
    except ValueError as exc:
        bad_option("--since", text, str(exc).replace(f"{text!r}: ", "", 1))


def _run_id(store: Store, run: str | None) -> int | None:
    if run is None:
        return None
    if run == "last":
        last = store.last_run_id()
        return NO_RUN if last is None else last     # no run raised alerts: none to show, never all
    if not re.fullmatch(f"[0-9]{{1,{RUN_ID_DIGITS}}}", run):
        bad_option("--run", run, "expected a run id (a whole number) or 'last'")
    return int(run)


@main.command()
@db_option
@config_option
@click.option("--evidence", is_flag=True, help="print each claim's sentence too")
@click.argument("text")
@voice()
def history(db, config_path, evidence, text):
    """The timeline of every subject or topic whose label contains TEXT.

    A figure's subject shows each source's values in arrival order, revisions marked; a
    topic shows each actor's stances, changes marked ("was unconfirmed").

    Example:

        monitor history --db monitor.db troops
    """
    out = inspect.history(_reader(db, config_path), text, evidence)
    if not out:
        fail(f"no subject or topic matches {text!r}")
    click.echo(out)


@main.command()
@db_option
@config_option
@click.argument("article")
@voice()
def claims(db, config_path, article):
    """What was read from one ARTICLE: its id, URL or the path given to ingest.

    Each figure with its subject, value, source and the words it was read from; each
    position with its actor, stance, cue and proposition; every claim with its sentence.

    Example:

        monitor claims --db monitor.db fixtures/seeds/003_9bed968189c1b957.txt
    """
    store = _reader(db, config_path)
    # A path may have been given to ingest relative or absolute: try the forms it can take.
    forms = [article, str(Path(article).resolve()), os.path.relpath(Path(article).resolve())]
    row = next((r for r in map(store.article, forms) if r is not None), None)
    if row is None:
        fail(f"no article with the id, URL or path {article!r}")
    click.echo(inspect.claims(store, row))


@main.command()
@db_option
@config_option
@voice()
def metadata(db, config_path):
    """Print datasette metadata describing the store's tables, views and columns.

    Example:

        monitor metadata --db monitor.db > metadata.json
    """
    click.echo(json.dumps(views.datasette_metadata(Path(store_path(db, config_path)).stem), indent=2,
                          ensure_ascii=False))
