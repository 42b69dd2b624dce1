"""Scheduling: which sources are due, one pass over them, and the lock (the daemon is daemon.py).

`run_pass` is what `monitor run` (cron) does once and what `monitor daemon` does per
source on its interval: fetch in worker threads (network-bound, per-host limited), then
ingest in this thread, one transaction per article, and save each source's validators only
after its articles are committed. A failing source is data: its error is kept, it backs
off with jitter, and after `max_failures` in a row it is disabled until re-enabled (at once
on a 410 Gone). A source whose answer gave nothing but errors (every item failed to clean)
has failed too: its validators are not saved, so the next pass reads it in full. A pass
spends a budget (fetch/budget.py: how long a pass and a source's linked pages may take); on
SIGTERM the daemon starts no request, abandons the fetches in hand (their sources saved
nothing) and finishes at most the article in hand. A host that answers 429 or 503 is not asked again before
its Retry-After, and none of its sources shows a next_due before that.
"""
from __future__ import annotations

import errno
import fcntl
import math
import os
import random
import re
import stat
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field

from . import pipeline
from .clean.ahead import AHEAD_MIN
from .config import BACKOFF_BASE, BACKOFF_MAX, Config, Source
from .errors import MonitorError
from .fetch.budget import Budget, FetchPool, fetch_all, finished, host_key
from .fetch.http import BudgetSpent, Client, FetchError, RetryLater
from .store import Store, now

# Jitter on backoff, so that sources that failed together do not retry together.
JITTER = 0.2
# Worker threads fetching at once; each host is further limited by [fetch] per_host.
WORKERS = 8
# A server that answers 304 for ever (a stuck cache, an ETag that never changes) is asked
# once without validators this long after the last full answer: a day bounds what it can
# hide, and costs one full fetch a day per source.
FULL_FETCH_EVERY = 86400.0
FULL_FETCH_KEY = "last_full_fetch"               # in the source's state: when the last 200 came
VALIDATORS = ("etag", "last_modified")
# The longest wait for a host that the scheduler keeps: a day, the Retry-After cap (Media
# Cloud's); a longer not_before read from the store is clamped to it.
HOST_WAIT_MAX = 86400.0
# A source is due this fraction of its interval early (at most DUE_SLACK_MAX seconds): a
# pass sets next_due one interval after it started, and the daemon's interval job (or cron)
# fires a few milliseconds to seconds before that; without slack every other run skipped
# the source, which was fetched every 2 x `every`.
DUE_SLACK = 0.1
DUE_SLACK_MAX = 60.0
# A 410 Gone: the source was removed on purpose, asking again is pointless (RFC 9110,
# 15.5.11): disabled at once.
GONE = 410
# Sources whose 200 answer holds every item: one that carries no document read nothing.
WHOLE_ANSWER_KINDS = {"feed", "page"}
# Control characters, line and paragraph separators and bidi controls: escaped in what
# the monitor prints, so a name or an error from the network cannot forge a line or
# reorder the terminal (the escapes are Python's).
UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


class LockHeld(MonitorError):
    pass


class LockRefused(MonitorError):
    """The lock file cannot be opened safely: a symbolic link, not a regular file, no permission."""


def printable(text) -> str:
    """`text` on one line with its control and bidi characters escapes (\\n, \\x1b, \\u202e)."""
    def escape(match):
        char = match.group()
        return {"\n": "\\n", "\r": "\\r"}.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100
                                                         else f"\\u{ord(char):04x}")
    return UNPRINTABLE.sub(escape, str(text))


def clamp_time(value, at: float, longest: float) -> float:
    """A time read from the store or the network as a float in [0, at + longest]: anything
    else (1e12, inf, NaN, a string) would crash the conversion to a date."""
    try:
        when = float(value or 0.0)
    except (TypeError, ValueError):
        return 0.0
    if math.isnan(when) or when < 0:
        return 0.0
    return min(when, at + longest)


@dataclass
class PassReport:
    run_id: int = 0
    fetched: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # Sources read with warnings (linked pages not fetched, a malformed feed read anyway, no
    # item): name -> its warnings on one line. Each is fetched too (in `fetched`), not failed.
    warned: dict[str, str] = field(default_factory=dict)
    ingest: pipeline.Report = field(default_factory=pipeline.Report)
    notify_errors: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)          # sources whose answer gave no article
    stopped: bool = False                                   # SIGTERM came: sources abandoned

    @property
    def ok(self) -> bool:
        """Whether the pass exits 0. A source read with warnings does not make it fail: it was
        read and its articles stored (where a linked page failed, the item's summary in its
        place, the page asked for again when the feed is next read in full), so nothing needs
        a person now; its warning is printed (unless -q), `status` shows it as "warning" and
        the digest lists it apart from the sources that failed."""
        return not self.failed and not self.notify_errors


class Lock:
    """An exclusive lock next to the store: two passes never write at once. The lock file is
    never followed through a symbolic link (O_NOFOLLOW) and must be a regular file, so a link
    planted at its path cannot make the pass truncate another file."""

    def __init__(self, store_path: str):
        self.path = store_path + ".lock"
        self._file = None

    def __enter__(self):
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(self.path, flags, 0o644)
        except OSError as exc:
            reason = "is a symbolic link; the lock file is never followed" if exc.errno == errno.ELOOP \
                else f"cannot be opened: {exc.strerror}"
            raise LockRefused(f"{self.path}: {reason}") from exc
        self._file = os.fdopen(fd, "r+")
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            self._file.close()
            raise LockRefused(f"{self.path}: not a regular file; refusing it as the lock")
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            self._file.close()
            raise LockHeld(f"{self.path}: another monitor pass is running; try again when it ends") from exc
        self._file.seek(0)
        self._file.truncate()
        self._file.write(f"{os.getpid()}\n")
        self._file.flush()
        return self

    def __exit__(self, *exc):
        fcntl.flock(self._file, fcntl.LOCK_UN)
        self._file.close()


def client_for(config: Config) -> Client:
    f = config.fetch
    return Client(allow_private=f.allow_private, total_seconds=f.timeout, max_bytes=f.max_bytes,
                  max_redirects=f.max_redirects, user_agent=f.user_agent)


def due(config: Config, store: Store, at: float, names: set[str] | None = None, force: bool = False) -> list[Source]:
    """The sources to fetch now: enabled, not disabled, due (unless forced; DUE_SLACK early)
    and whose host is not asking us to wait; only the named ones when `names` is given."""
    out = []
    for source in config.sources:
        if (names is not None and source.name not in names) or not source.enabled:
            continue
        row = store.source(source.name)
        waiting = not force and next_due(row, source, at) > at + due_slack(source)
        if not row["disabled"] and not waiting and host_not_before(store, source, at) <= at:
            out.append(source)
    return out


def due_slack(source: Source) -> float:
    """How early a source is due: DUE_SLACK of its interval, at most DUE_SLACK_MAX seconds."""
    return min(DUE_SLACK * source.every, DUE_SLACK_MAX)


def next_due(row: dict, source: Source, at: float) -> float:
    """The source's next_due as stored, clamped: never further than its longest wait."""
    return clamp_time(row.get("next_due"), at, max(source.every, BACKOFF_MAX, HOST_WAIT_MAX))


def host_not_before(store: Store, source: Source, at: float) -> float:
    return clamp_time(store.host_not_before(host_key(source)), at, HOST_WAIT_MAX)


def handed_state(state: dict, at: float) -> dict:
    """The state the fetcher gets: without validators when the last full answer is older
    than FULL_FETCH_EVERY, so a server answering 304 for ever is read in full once a day."""
    full = clamp_time(state.get(FULL_FETCH_KEY), at, 0.0)
    if FULL_FETCH_KEY in state and at - full > FULL_FETCH_EVERY:
        return {k: v for k, v in state.items() if k not in VALIDATORS}
    return state


def run_pass(config: Config, store: Store, client: Client, names: set[str] | None = None,
             stop: threading.Event | None = None, progress=None, force: bool = False,
             at: float | None = None) -> PassReport:
    """One pass over the due sources (the named ones only, when given; due or not, when
    forced). `at` is when the pass was asked for (the daemon's job start): next_due counts
    from it. When `stop` is set, the fetches in hand are abandoned and nothing is notified.
    The run record is closed whatever happens: an error no source caught still ends it,
    as "failed", not "running"."""
    at = time.time() if at is None else at
    report = PassReport()
    report.run_id = report.ingest.run_id = store.start_run("run", len(config.sources))
    completed = False
    try:
        _fetch_and_settle(config, store, client, report, names, stop, progress, force, at)
        completed = True
    finally:
        report.warnings.extend(store.take_warnings())
        _finish_run(store, report, completed)
    if not report.stopped:          # stopping: the alerts stay pending for the next pass
        # Notified after the run is recorded, so the digest's failed-sources section has this pass.
        report.notify_errors = pipeline.notify(store, config.notifiers, [report.run_id], stop=stop,
                                               warn=report.warnings.append)
    return report


def _fetch_and_settle(config: Config, store: Store, client: Client, report: PassReport, names, stop, progress,
                      force: bool, at: float) -> None:
    sources = due(config, store, at, names, force)
    states = {s.name: handed_state(store.source(s.name)["state"], at) for s in sources}
    budget = Budget.for_pass(config.fetch.timeout, stop)
    pool = FetchPool(min(WORKERS, len(sources)))
    held: dict = {}                               # host -> (its not_before set in this pass, its sources)
    try:
        for source, future in fetch_all(pool, sources, states, client, config.fetch.per_host, budget=budget):
            if not finished(future, stop):
                report.stopped = True
                report.warnings.append(f"{source.name}: abandoned: the monitor is stopping; nothing of it "
                                       f"was saved, it is fetched again next time")
                continue
            _settle(config, store, source, future, report, at, stop, held)
            if progress:
                progress(source, report)
        _held_sources(store, held)
    finally:
        pool.close()


def _finish_run(store: Store, report: PassReport, completed: bool) -> None:
    errors = [f"{n}: {e}" for n, e in report.failed.items()] + report.ingest.errors
    status = "failed" if not completed else "interrupted" if report.stopped else "ok" if not errors else "errors"
    store.finish_run(report.run_id, status, report.ingest.added, len(report.ingest.alerts), errors,
                     [f"{n}: {w}" for n, w in report.warned.items()])


def _named(name: str, line: str) -> str:
    return line if line.startswith(f"{name}: ") else f"{name}: {line}"


def _settle(config: Config, store: Store, source: Source, future: Future, report: PassReport, at: float,
            stop: threading.Event | None = None, held: dict | None = None) -> None:
    row = store.source(source.name)
    row.update(kind=source.kind, target=source.target, last_attempt=now())
    try:
        batch = future.result()
    except BudgetSpent as exc:                  # not tried (or cut off): nothing saved, due next pass
        report.warnings.append(_named(source.name, f"{exc}; due next pass"))
        return
    except RetryLater as exc:
        wait = min(exc.seconds, HOST_WAIT_MAX) if exc.seconds is not None else source.every
        until = _hold_host(store, source, wait, {} if held is None else held)
        _failed(config, store, source, row, str(exc), report, not_before=until)
        return
    except FetchError as exc:
        _failed(config, store, source, row, str(exc), report, gone=exc.status == GONE)
        return
    if batch is None:
        return
    before = (report.ingest.duplicates, len(report.ingest.errors))
    added = _ingest(store, source, batch, report, stop)
    if added is None:
        report.stopped = True
        report.warnings.append(f"{source.name}: abandoned while storing: the monitor is stopping; its "
                               f"validators were not saved, it is fetched again next time")
        return
    said = len(report.warnings)                 # this source's warnings start here
    report.warnings.extend(_named(source.name, w) for w in batch.warnings)
    old_state = row["state"]
    row.update(state=_state(old_state, batch, at), failures=0, last_success=now(), last_error=None,
               last_result="not modified" if batch.not_modified else f"ok: {added} new",
               next_due=at + source.every, articles=(row.get("articles") or 0) + added)
    if not batch.not_modified and not batch.documents and source.kind in WHOLE_ANSWER_KINDS:
        _no_article(source, row, batch, report)
    expected = [d for d in batch.documents if not d.hints.get("only_skipped")]   # feeds.py: all read before
    if expected and not added and report.ingest.duplicates == before[0] and len(report.ingest.errors) > before[1]:
        _nothing_read(source, row, old_state, len(expected), report)
    else:
        report.fetched.append(source.name)
        _warned(source, row, report.warnings[said:], report)
    store.save_source(row)                      # validators saved only now: the articles are committed


def _hold_host(store: Store, source: Source, wait: float, held: dict) -> float:
    """The host's not_before once it asked `source` to wait `wait` seconds, stored at once:
    never earlier than what this pass already set for the host, whose other sources may have
    been told a longer wait, or the same one a moment earlier."""
    host = host_key(source)
    until, names = held.get(host, (0.0, []))
    held[host] = (max(until, time.time() + wait), names + [source.name])
    store.set_host_not_before(host, held[host][0])
    return held[host][0]


def _held_sources(store: Store, held: dict) -> None:
    """Every source a host asked to wait in this pass, due no earlier than the host's final
    not_before: a later answer of the host (a moment later, or with a longer Retry-After)
    moved it past the next_due saved for the sources that answered before."""
    for until, names in held.values():
        for name in names:
            row = store.source(name)
            if (row.get("next_due") or 0.0) < until:
                row["next_due"] = until
                store.save_source(row)


def _ingest(store: Store, source: Source, batch, report: PassReport, stop) -> int | None:
    """The batch's documents through the pipeline, until `stop` (looked at before each
    document and each article: after SIGTERM at most the article in hand is finished): the
    articles added, or None when stopped before the last. Every error of the source names
    it (the clean stage's name the document's URL only)."""
    added, errors = report.ingest.added, len(report.ingest.errors)
    ended = not batch.documents or pipeline.ingest_documents(store, batch.documents, report.ingest,
                                                             ahead=len(batch.documents) >= AHEAD_MIN, stop=stop)
    report.ingest.errors[errors:] = [_named(source.name, e) for e in report.ingest.errors[errors:]]
    report.ingest.errors.extend(_named(source.name, e) for e in batch.errors)
    return report.ingest.added - added if ended else None


def _state(old: dict, batch, at: float) -> dict:
    """The state to save: the fetcher's, with when the last full (200) answer came."""
    state = dict(batch.state)
    full = old.get(FULL_FETCH_KEY, at) if batch.not_modified else at   # a first 304 starts the clock
    state[FULL_FETCH_KEY] = clamp_time(full, at, 0.0)
    return state


def _no_article(source: Source, row: dict, batch, report: PassReport) -> None:
    """A 200 answer of a feed or page that carried no document (the fetcher found no item, or
    an empty page): its validators are not saved, so the next pass asks in full rather than
    being told "not modified" about an answer that held nothing. A warning, not a failure:
    a feed may be new or quiet. Relies on the fetcher returning no document for such an
    answer (feeds.py, pages.py), and on a 304 being marked `not_modified`."""
    row["state"] = {k: v for k, v in row["state"].items() if k not in VALIDATORS}
    report.empty.append(source.name)
    if not batch.warnings:                    # the fetcher usually says why; if not, we do
        report.warnings.append(f"{source.name}: no item in its answer; its validators are not saved, so the "
                               f"next pass fetches it in full")
    row.update(last_result="ok: no item")


def _warned(source: Source, row: dict, warnings: list[str], report: PassReport) -> None:
    """A source read with warnings: one entry in the pass's `warned` (recorded with the run,
    for the digest), and its status row says "warning" with them, not "ok" and no error."""
    if not warnings:
        return
    line = "; ".join(w.removeprefix(f"{source.name}: ") for w in warnings)
    result = row["last_result"]
    report.warned[source.name] = line
    row.update(last_result="warning" + result.removeprefix("ok") if result.startswith("ok")
               else f"{result}, with warnings", last_error=line)


def _nothing_read(source: Source, row: dict, old_state: dict, documents: int, report: PassReport) -> None:
    """A source whose documents gave no article and no duplicate, only errors (every item
    failed in the clean stage): it failed, though its server answered. The state it had is
    kept without validators (nor this answer's, nor its cursors: a WordPress cursor or a
    feed's list of pages read would skip the items again), so the next pass asks in full
    rather than being told "not modified" about items never read. Not counted towards
    disabling it: the server is fine, and the next pass retries it."""
    error = (f"none of its {documents} document(s) gave an article, only errors; its validators are "
             f"not saved, so the next pass fetches it in full")
    row.update(state={k: v for k, v in old_state.items() if k not in VALIDATORS}, last_error=error,
               last_result="error: nothing read")
    report.failed[source.name] = error


def _failed(config, store, source, row, error, report, not_before=None, gone=False) -> None:
    """A failed fetch recorded. A server asking us to wait (429, 503: its host's `not_before`)
    is not counted as a failure; the source is due then, or one interval on if later, without
    jitter."""
    failures = (row.get("failures") or 0) + (not_before is None)
    if not_before is None:                    # our own backoff is jittered
        wait = min(BACKOFF_BASE * 2 ** (failures - 1), BACKOFF_MAX) * random.uniform(1 - JITTER, 1 + JITTER)
        due_at = time.time() + wait
    else:
        due_at = max(not_before, time.time() + source.every)
    disabled = int(gone or failures >= config.fetch.max_failures)
    if gone:
        error = f"{error} Gone: the server says the source was removed; disabled at once (`monitor enable` " \
                f"it if it comes back)"
    row.update(failures=failures, last_result="disabled" if disabled else "error", last_error=error,
               disabled=disabled, next_due=due_at)
    store.save_source(row)
    report.failed[source.name] = error


def enable(store: Store, name: str) -> None:
    row = store.source(name)
    row.update(disabled=0, failures=0, next_due=0.0, last_result="re-enabled")
    store.save_source(row)
