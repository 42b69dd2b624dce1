"""The `monitor` command: thin click wrappers around the pipeline, the store and the notifier."""
from __future__ import annotations

import sys

import click

from . import notify, pipeline
from .errors import MonitorError
from .store import Store


def _open(db: str) -> Store:
    try:
        return Store(db)
    except MonitorError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group()
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
    store = _open(db)
    show = not quiet and sys.stderr.isatty() and len(files) > 1
    progress = (lambda path, report: click.echo(f"{path}: {report.added} added, {len(report.alerts)} alerts",
                                                err=True)) if show else None
    report = pipeline.ingest_paths(store, list(files), progress)
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
    if not quiet:
        click.echo(f"{report.added} article(s) added, {report.duplicates} already known, "
                   f"{len(report.alerts)} alert(s), {len(report.errors)} error(s)", err=True)
    sys.exit(0 if report.ok else 1)


@main.command()
@click.option("--db", required=True, type=click.Path(exists=True, dir_okay=False), help="SQLite store")
@click.option("--json", "as_json", is_flag=True, help="one JSON object per line, as the alert contract says")
@click.option("--run", "run", default=None, help="only alerts of this run id, or 'last'")
def alerts(db, as_json, run):
    """Print the alerts, oldest first.

    Example:

        monitor alerts --db monitor.db --json
    """
    store = _open(db)
    rows = store.alerts(run_id=_run_id(store, run))
    text = notify.render("json" if as_json else "table", rows, store.story_labels())
    if text:
        click.echo(text)


@main.command()
@click.option("--db", required=True, type=click.Path(exists=True, dir_okay=False), help="SQLite store")
@click.option("--run", "run", default=None, help="only alerts of this run id, or 'last'")
def digest(db, run):
    """Print a Markdown digest of the alerts, grouped by story and subject.

    Example:

        monitor digest --db monitor.db > digest.md
    """
    store = _open(db)
    rows = store.alerts(run_id=_run_id(store, run))
    click.echo(notify.render("markdown", rows, store.story_labels()))


def _run_id(store: Store, run: str | None) -> int | None:
    if run is None:
        return None
    if run == "last":
        return store.last_run_id()
    if not run.isdigit():
        raise click.BadParameter(f"expected a run id or 'last', got {run!r}", param_hint="--run")
    return int(run)
