"""Commands that set the monitor up: init, sources, mute and unmute, prune."""
from __future__ import annotations

import datetime as dt
import re
from importlib import resources
from pathlib import Path

import click
from dateutil import parser as dateparser
from tabulate import tabulate

from .. import config as config_module
from .. import notify as notify_stage
from .. import schedule
from ..config import edit, opml
from ..errors import MonitorError
from ..schedule import printable
from ..store.mutes import MUTE_FIELDS
from . import main
from .common import (CONFIG_NAME, EXIT_CONFIG, EXIT_LOCKED, bad_option, config_option, db_option, fail, info,
                     load_config, open_store, say, store_path, voice)


@main.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="replace a config already there")
@voice()
def init(folder, force):
    """Write a commented sample config, FOLDER/monitor.toml (FOLDER: here by default).

    Its store and digests go beside it; add sources with 'monitor sources add' or by
    editing it. Every command run in FOLDER finds it.

    Example:

        monitor init

        monitor init ~/.config/monitor
    """
    target = Path(folder) / CONFIG_NAME
    if target.exists() and not force:
        fail(f"{target}: a config is already there; edit it, or give --force to replace it", EXIT_CONFIG)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(resources.files("monitor").joinpath("sample.toml").read_text(encoding="utf-8"),
                          encoding="utf-8")
    except OSError as exc:
        fail(f"{target}: cannot write the config: {exc.strerror or exc}")
    info(f"wrote {target}; next: monitor sources add NAME URL, then monitor run -v")


# ---- sources ----------------------------------------------------------------------------------

@main.group()
def sources():
    """List, add and remove the config's sources; import or export them as OPML.

    The config file is edited in place with its comments kept, and checked before it is
    written: an edit the config would refuse is refused, and the file is left as it was.

    Examples:

        monitor sources list --config config/monitor.toml

        monitor sources export-opml --config config/monitor.toml > subscriptions.opml
    """


@sources.command("list")
@config_option
@voice()
def sources_list(config_path):
    """Each source of the config: name, kind, where, interval, on or off.

    Example:

        monitor sources list --config config/monitor.toml
    """
    config = load_config(config_path)
    rows = [[printable(c) for c in (s.name, s.kind, s.target, _every(s.every), "on" if s.enabled else "off")]
            for s in config.sources]
    click.echo(tabulate(rows, headers=["source", "kind", "url or path", "every", "state"]) if rows else
               f"No sources in {config.path}: add one with 'monitor sources add NAME URL'.")


@sources.command("add")
@config_option
@click.argument("name")
@click.argument("where")
@click.option("--kind", type=click.Choice(config_module.KINDS), default="feed", show_default=True,
              help="feed (RSS, Atom, JSON Feed), wordpress (a site's REST API), page, or files (WHERE is a folder)")
@click.option("--every", default=None, help="how often it is fetched: '15m' (the default), '1h', '1d'")
@click.option("--allow-private", is_flag=True, default=None,
              help="this source may reach loopback and private addresses (an intranet feed)")
@voice()
def sources_add(config_path, name, where, kind, every, allow_private):
    """Add a source called NAME: a URL, or a folder for --kind files.

    Example:

        monitor sources add --config config/monitor.toml "Wire" https://example.org/feed.xml
    """
    config = load_config(config_path)
    table = {"name": name, "kind": kind, "path" if kind == "files" else "url": where, "every": every,
             "allow_private": allow_private}
    added = _edit(lambda: edit.add_sources(config.path, [table]), f"sources[{len(config.sources)}]")
    info(f"{name}: added to {config.path}")
    source = next(s for s in added.sources if s.name == name)
    if source.kind == "files" and not Path(source.path).is_dir():
        say("warning", f"{name}: {source.path} is not a folder (yet): the source fails until it is")


@sources.command("remove")
@config_option
@click.argument("name")
@voice()
def sources_remove(config_path, name):
    """Remove the source called NAME from the config (what the store holds of it stays).

    Example:

        monitor sources remove --config config/monitor.toml "Example feed"
    """
    config = load_config(config_path)
    _edit(lambda: edit.remove_source(config.path, name))
    info(f"{name}: removed from {config.path}")


@sources.command("import-opml")
@config_option
@click.argument("opml_file", type=click.Path(dir_okay=False))
@click.option("--every", default=None, help="how often the new feeds are fetched (default '15m')")
@voice()
def sources_import(config_path, opml_file, every):
    """Add every feed of an OPML file (a feed reader's export) not already in the config.

    A feed whose URL is already a source is skipped; a name already taken gets " (2)".

    Example:

        monitor sources import-opml --config config/monitor.toml subscriptions.opml
    """
    config = load_config(config_path)
    feeds = _edit(lambda: opml.read(opml_file))
    names, urls = {s.name for s in config.sources}, {s.url for s in config.sources}
    tables = []
    for feed in feeds:
        if feed.url in urls:
            continue
        urls.add(feed.url)
        name = _unique(feed.name, names)
        names.add(name)
        tables.append({"name": name, "kind": "feed", "url": feed.url, "every": every})
    if tables:
        _edit(lambda: edit.add_sources(config.path, tables))
    info(f"{len(tables)} feed(s) added to {config.path}, {len(feeds) - len(tables)} already there")


@sources.command("export-opml")
@config_option
@voice()
def sources_export(config_path):
    """Print the config's feed sources as OPML 2.0, for a feed reader.

    Example:

        monitor sources export-opml --config config/monitor.toml > subscriptions.opml
    """
    text, left_out = opml.write(load_config(config_path))
    click.echo(text, nl=False)
    if left_out:
        info(f"{left_out} source(s) that are not feeds (wordpress, page, files) left out")


# The option or argument of `sources add` behind each key of the table it writes.
OPTION_OF = {"url": "WHERE", "path": "WHERE", "name": "NAME", "every": "--every", "kind": "--kind",
             "allow_private": "--allow-private"}


def _edit(action, new_table: str | None = None):
    """Run an edit of the config; its refusal is one error line (exit 2). The keys of a table
    `sources add` wrote are named as the options the user typed: "--every '5x'", not
    "sources[3].every = '5x'"."""
    try:
        return action()
    except config_module.ConfigError as exc:
        text = str(exc)
        if new_table:
            text = re.sub(rf"{re.escape(new_table)}\.(\w+)( = )?",
                          lambda m: OPTION_OF.get(m.group(1), m.group(0)) + (" " if m.group(2) else ""), text)
        fail(text, EXIT_CONFIG)


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name} ({n})", n + 1
    return candidate


def _every(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


# ---- mute, unmute, prune ----------------------------------------------------------------------

@main.command()
@db_option
@config_option
@click.argument("field", required=False, type=click.Choice(MUTE_FIELDS))
@click.argument("text", required=False)
@click.option("--until", default=None, help="when the mute ends: a date '2027-01-31' or a duration '7d'")
@voice()
def mute(db, config_path, field, text, until):
    """Mute alerts whose FIELD (subject, topic, actor, story) contains TEXT; alone, list the mutes.

    Muted alerts are stored and shown marked by 'monitor alerts', never delivered by the
    notifiers, and left out of 'monitor digest'. STORY is a story's id or words of its headline.

    Examples:

        monitor mute --db monitor.db subject injured --until 7d

        monitor mute --db monitor.db
    """
    store = open_store(store_path(db, config_path), write=field is not None)
    if field is None:
        rows = [[m["id"], m["field"], printable(m["text"]), m["until"] or "", m["created"]] for m in store.mutes()]
        click.echo(tabulate(rows, headers=["id", "field", "text", "until", "since"]) if rows else "No mutes.")
        return
    if not text or not text.strip():
        bad_option("TEXT", text or "", "the words to match are required, such as 'injured'")
    row = store.add_mute(field, text.strip(), _until(until))
    info(f"muted: {row['field']} {row['text']!r}" + (f" until {row['until']}" if row["until"] else ""))


@main.command()
@db_option
@config_option
@click.argument("field", type=click.Choice(MUTE_FIELDS))
@click.argument("text")
@voice()
def unmute(db, config_path, field, text):
    """Remove the mute of FIELD and TEXT; alerts raised from now on are delivered again.

    Examples:

        monitor mute --db monitor.db subject injured

        monitor unmute --db monitor.db subject injured
    """
    store = open_store(store_path(db, config_path), write=True)
    if not store.remove_mutes(field, text.strip()):
        fail(f"no mute of {field} {text!r} (see 'monitor mute' for the list)")
    info(f"unmuted: {field} {text!r}")


def _until(text: str | None) -> str | None:
    """--until as UTC ISO 8601: a duration from now, or a date or time (a date ends at its start)."""
    if text is None:
        return None
    at = dt.datetime.now(dt.timezone.utc)
    try:
        seconds = config_module.duration(Path("--until"), "--until", text) if text[-1:].isalpha() else None
    except config_module.ConfigError:
        seconds = None
    if seconds is not None:
        return (at + dt.timedelta(seconds=seconds)).isoformat(timespec="seconds")
    try:
        when = dateparser.isoparse(text)
    except (ValueError, OverflowError):
        bad_option("--until", text, "expected a date (\"2027-01-31\"), a time, or a duration (\"7d\")")
    when = when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)
    if when <= at:
        bad_option("--until", text, "already past")
    return when.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


@main.command()
@db_option
@config_option
@click.option("--older-than", "older", required=True, help="age of the articles whose text goes: '180d', '26w'")
@voice()
def prune(db, config_path, older):
    """Drop the text of articles ingested longer ago than --older-than; keep everything else.

    Claims with their sentences, baselines, alerts and each article's row stay, so later
    alerts are the same as without pruning and every alert stays checkable. The file is
    compacted after.

    Example:

        monitor prune --db monitor.db --older-than 180d
    """
    path = store_path(db, config_path)
    store = open_store(path, write=True)
    try:
        before = notify_stage.since(older).astimezone(dt.timezone.utc).isoformat(timespec="seconds")
    except (ValueError, OverflowError):
        bad_option("--older-than", older, "expected a duration such as \"180d\" or a date \"2024-10-23\"")
    try:
        with schedule.Lock(path):
            report = store.prune(before)
    except schedule.LockHeld as exc:
        fail(str(exc), EXIT_LOCKED)
    except MonitorError as exc:
        fail(str(exc))
    info(f"{report.articles} article(s) ingested before {report.before} pruned; the store went from "
         f"{report.bytes_before / 1e6:.1f} MB to {report.bytes_after / 1e6:.1f} MB")
