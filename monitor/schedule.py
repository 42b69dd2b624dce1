"""Scheduling: which sources are due, one pass over them, the lock, and the daemon.

`run_pass` is what `monitor run` (cron) does once and what `monitor daemon` does per
source on its interval: fetch in worker threads (network-bound, per-host limited), then
ingest in this thread, one transaction per article, and save each source's validators only
after its articles are committed. A failing source is data: its error is kept, it backs
off with jitter, and after `max_failures` in a row it is disabled until re-enabled (at once
on a 410 Gone). A pass spends a budget: no request starts after PASS_BUDGET_TIMEOUTS fetch
timeouts, and a source's linked pages stop after LINKED_BUDGET_TIMEOUTS; on SIGTERM the
daemon starts no request and abandons the fetches in hand (their sources saved nothing).
"""
from __future__ import annotations

import errno
import fcntl
import logging
import math
import os
import queue
import random
import re
import signal
import stat
import threading
import time
from concurrent.futures import Future
from concurrent.futures import wait as wait_for
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from . import fetch as fetch_stage
from . import pipeline
from .clean.ahead import AHEAD_MIN
from .config import BACKOFF_BASE, BACKOFF_MAX, Config, Source
from .errors import MonitorError
from .fetch.http import Client, FetchError, RetryLater
from .store import Store, now

# Jitter on backoff, so that sources that failed together do not retry together.
JITTER = 0.2
# Worker threads fetching at once; each host is further limited by [fetch] per_host.
WORKERS = 8
# A pass starts no request after this many fetch timeouts (5 minutes at the default 30 s):
# 1,000 local feeds take 20 s (`python -m bench`), real ones a minute or two, and 5 minutes
# keep a cron pass well inside the 15-minute default interval, so passes do not pile up
# behind the lock. The sources not started are named in a warning and due next pass.
PASS_BUDGET_TIMEOUTS = 10
# A source's requests after its first one (a feed's linked pages, WordPress's next pages)
# start only within this many fetch timeouts of the first answer (60 s at the default
# 30 s): 20 real article pages take 10-40 s, 20 tarpits would take 20 timeouts. The pages
# left are skipped with one warning and stay teasers (their summaries are stored).
LINKED_BUDGET_TIMEOUTS = 2
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
# 15.5.11): disabled at once. Read from FetchError's text until it carries the status.
GONE = re.compile(r": HTTP 410\b")
# While a fetch is in hand, the pass looks at the stop flag this often (seconds).
STOP_POLL = 0.2
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


class BudgetSpent(FetchError):
    """A request not made: the pass's budget ran out, or the monitor is stopping."""


class PagesBudgetSpent(FetchError):
    """A linked page not fetched: its source's budget for linked pages ran out."""


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


def pass_budget(timeout: float) -> float:
    """Seconds a pass may start requests for, from the fetch timeout."""
    return PASS_BUDGET_TIMEOUTS * timeout


def linked_budget(timeout: float) -> float:
    """Seconds a source's requests after its first may start in, from the fetch timeout."""
    return LINKED_BUDGET_TIMEOUTS * timeout


@dataclass
class PassReport:
    run_id: int = 0
    fetched: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    ingest: pipeline.Report = field(default_factory=pipeline.Report)
    notify_errors: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)          # sources whose answer gave no article
    stopped: bool = False                                   # SIGTERM came: sources abandoned

    @property
    def ok(self) -> bool:
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




@dataclass
class Budget:
    """What a pass may still spend: a request starts only before `until` (monotonic) and
    while `stop` is clear; a source's requests after its first, `pages` seconds after it."""

    until: float
    seconds: float
    pages: float
    stop: threading.Event | None = None

    @classmethod
    def for_pass(cls, timeout: float, stop: threading.Event | None = None) -> Budget:
        seconds = pass_budget(timeout)
        return cls(time.monotonic() + seconds, seconds, linked_budget(timeout), stop)

    def check(self, url: str) -> None:
        if self.stop is not None and self.stop.is_set():
            raise BudgetSpent(f"{url}: not fetched: the monitor is stopping")
        if time.monotonic() > self.until:
            raise BudgetSpent(f"{url}: not fetched: the pass's {self.seconds:g}-second budget ran out; "
                              f"due next pass")


class Gate:
    """The client as one source's fetcher sees it: each request first asks the pass's
    budget, and the requests after the first stop once the source's budget for them is
    spent. The fetchers use `get` (and the fetch stage `view`)."""

    def __init__(self, client: Client, budget: Budget):
        self._client, self._budget = client, budget
        self._pages_until: float | None = None
        self.pages_message = f"the source's {budget.pages:g}-second budget for linked pages ran out"
        self.refused: set[str] = set()              # the messages of the requests refused

    def get(self, url: str, *args, **kwargs):
        try:
            self._budget.check(url)
        except BudgetSpent as exc:
            self.refused.add(str(exc))
            raise
        if self._pages_until is not None and time.monotonic() > self._pages_until:
            self.refused.add(self.pages_message)
            raise PagesBudgetSpent(self.pages_message)
        try:
            return self._client.get(url, *args, **kwargs)
        finally:
            if self._pages_until is None:
                self._pages_until = time.monotonic() + self._budget.pages

    def view(self, allow_private: bool) -> Gate:
        """The source's own address policy (fetch/__init__.py asks for it), behind this gate."""
        self._client = self._client.view(allow_private)
        return self

    def summarize(self, batch) -> None:
        """The linked pages it refused, one warning instead of one error each (the fetcher
        keeps those items as teasers: their summaries are stored)."""
        skipped = [e for e in batch.errors if any(e.endswith(m) for m in self.refused)]
        if skipped:
            batch.errors = [e for e in batch.errors if e not in skipped]
            why = self.pages_message if any(e.endswith(self.pages_message) for e in skipped) \
                else "the pass's budget ran out"
            batch.warnings.append(f"{len(skipped)} linked page(s) not fetched: {why}; their summaries are "
                                  f"kept, the pages are asked for when the feed next changes")


class FetchPool:
    """Worker threads for the fetch phase. They are daemon threads, unlike a
    ThreadPoolExecutor's, which the interpreter joins at exit: a fetch abandoned on SIGTERM
    must not hold the process until its timeout. They only fetch, never touch the store."""

    def __init__(self, workers: int):
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._threads = [threading.Thread(target=self._work, name=f"fetch-{n}", daemon=True)
                         for n in range(max(1, workers))]
        for thread in self._threads:
            thread.start()

    def submit(self, fn, *args) -> Future:
        future: Future = Future()
        self._jobs.put((future, fn, args))
        return future

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            future, fn, args = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn(*args)
            except BaseException as exc:          # handed to the caller through the future, as an executor does
                future.set_exception(exc)
            else:
                future.set_result(result)

    def close(self) -> None:
        """No new work; the threads end when their fetch does (nobody waits for them)."""
        for _ in self._threads:
            self._jobs.put(None)


def client_for(config: Config) -> Client:
    f = config.fetch
    return Client(allow_private=f.allow_private, total_seconds=f.timeout, max_bytes=f.max_bytes,
                  max_redirects=f.max_redirects, user_agent=f.user_agent)


def due(config: Config, store: Store, at: float, names: set[str] | None = None, force: bool = False) -> list[Source]:
    """The sources to fetch now: enabled, not disabled, due (unless forced; DUE_SLACK early)
    and whose host is not asking us to wait; only the named ones when `names` is given."""
    out = []
    for source in config.sources:
        row = store.source(source.name)
        if names is not None and source.name not in names:
            continue
        if not source.enabled or row["disabled"]:
            continue
        if not force and next_due(row, source, at) > at + min(DUE_SLACK * source.every, DUE_SLACK_MAX):
            continue
        if host_not_before(store, source, at) > at:
            continue
        out.append(source)
    return out


def next_due(row: dict, source: Source, at: float) -> float:
    """The source's next_due as stored, clamped: never further than its longest wait."""
    return clamp_time(row.get("next_due"), at, max(source.every, BACKOFF_MAX, HOST_WAIT_MAX))


def host_not_before(store: Store, source: Source, at: float) -> float:
    return clamp_time(store.host_not_before(_host(source)), at, HOST_WAIT_MAX)


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
    from it. When `stop` is set, the fetches in hand are abandoned and nothing is notified."""
    at = time.time() if at is None else at
    report = PassReport()
    report.run_id = report.ingest.run_id = store.start_run("run", len(config.sources))
    sources = due(config, store, at, names, force)
    states = {s.name: handed_state(store.source(s.name)["state"], at) for s in sources}
    budget = Budget.for_pass(config.fetch.timeout, stop)
    pool = FetchPool(min(WORKERS, len(sources)))
    try:
        for source, future in fetch_all(pool, sources, states, client, config.fetch.per_host, budget=budget):
            if not _ready(future, stop):
                report.stopped = True
                report.warnings.append(f"{source.name}: abandoned: the monitor is stopping; nothing of it "
                                       f"was saved, it is fetched again next time")
                continue
            _settle(config, store, source, future, report, at, stop)
            if progress:
                progress(source, report)
    finally:
        pool.close()
    errors = [f"{n}: {e}" for n, e in report.failed.items()] + report.ingest.errors
    status = "interrupted" if report.stopped else "ok" if not errors else "errors"
    store.finish_run(report.run_id, status, report.ingest.added, len(report.ingest.alerts), errors)
    if not report.stopped:          # stopping: the alerts stay pending for the next pass
        # Notified after the run is recorded, so the digest's failed-sources section has this pass.
        report.notify_errors = pipeline.notify(store, config.notifiers, [report.run_id])
    return report


def fetch_all(pool, sources: list[Source], states: dict, client: Client, per_host: int,
              stop: threading.Event | None = None, budget: Budget | None = None) -> list:
    """Start fetching every source in the pool, at most `per_host` at once to one host;
    (source, future) pairs in the sources' order. The fetch phase of a pass: `python -m bench`
    times it alone."""
    budget = budget or Budget(math.inf, math.inf, math.inf, stop)
    limits = {h: threading.Semaphore(per_host) for h in {_host(s) for s in sources}}
    return [(s, pool.submit(_fetch_one, s, states.get(s.name, {}), client, limits[_host(s)], budget))
            for s in sources]


def _fetch_one(source: Source, state: dict, client: Client, limit: threading.Semaphore, budget: Budget):
    with limit:
        gate = Gate(client, budget)
        batch = fetch_stage.fetch(source, state, gate)
        gate.summarize(batch)
        return batch


def _ready(future: Future, stop: threading.Event | None) -> bool:
    """Wait for one fetch; False when the monitor is stopping (the fetch is abandoned)."""
    while not future.done():
        if stop is not None and stop.is_set():
            return False
        wait_for([future], timeout=STOP_POLL if stop is not None else None)
    return stop is None or not stop.is_set()


def _named(name: str, line: str) -> str:
    return line if line.startswith(f"{name}: ") else f"{name}: {line}"


def _settle(config: Config, store: Store, source: Source, future: Future, report: PassReport, at: float,
            stop: threading.Event | None = None) -> None:
    row = store.source(source.name)
    row.update(kind=source.kind, target=source.target, last_attempt=now())
    try:
        batch = future.result()
    except BudgetSpent as exc:                  # not tried: nothing saved, due next pass
        report.warnings.append(_named(source.name, str(exc)))
        return
    except RetryLater as exc:
        wait = min(exc.seconds, HOST_WAIT_MAX) if exc.seconds is not None else source.every
        store.set_host_not_before(_host(source), time.time() + wait)
        _failed(config, store, source, row, str(exc), report, backoff=wait, count=False)
        return
    except FetchError as exc:
        _failed(config, store, source, row, str(exc), report, gone=bool(GONE.search(str(exc))))
        return
    if batch is None:
        return
    added = _ingest(store, source, batch, report, stop)
    if added is None:
        report.stopped = True
        report.warnings.append(f"{source.name}: abandoned while storing: the monitor is stopping; its "
                               f"validators were not saved, it is fetched again next time")
        return
    report.warnings.extend(_named(source.name, w) for w in batch.warnings)
    report.fetched.append(source.name)
    row.update(state=_state(row["state"], batch, at), failures=0, last_success=now(), last_error=None,
               last_result="not modified" if batch.not_modified else f"ok: {added} new",
               next_due=at + source.every, articles=(row.get("articles") or 0) + added)
    if not batch.not_modified and not batch.documents and source.kind in WHOLE_ANSWER_KINDS:
        _no_article(source, row, batch, report)
    store.save_source(row)                      # validators saved only now: the articles are committed


def _ingest(store: Store, source: Source, batch, report: PassReport, stop) -> int | None:
    """The batch's documents through the pipeline, until `stop`: the articles added, or None
    when stopped before the last document. Every error of the source names it (the clean
    stage's name the document's URL only)."""
    added, errors, ended = report.ingest.added, len(report.ingest.errors), []

    def documents():
        for document in batch.documents:
            if stop is not None and stop.is_set():
                return
            yield document
        ended.append(True)
    pipeline.ingest_documents(store, documents(), report.ingest, ahead=len(batch.documents) >= AHEAD_MIN)
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


def _failed(config, store, source, row, error, report, backoff=None, count=True, gone=False) -> None:
    failures = (row.get("failures") or 0) + (1 if count else 0)
    if backoff is None:                       # our own backoff is jittered; a server's Retry-After is not
        wait = min(BACKOFF_BASE * 2 ** (failures - 1), BACKOFF_MAX) * random.uniform(1 - JITTER, 1 + JITTER)
    else:
        wait = backoff
    disabled = int(gone or failures >= config.fetch.max_failures)
    if gone:
        error = f"{error} Gone: the server says the source was removed; disabled at once (`monitor enable` " \
                f"it if it comes back)"
    row.update(failures=failures, last_result="disabled" if disabled else "error", last_error=error,
               disabled=disabled, next_due=time.time() + max(wait, source.every if not count else wait))
    store.save_source(row)
    report.failed[source.name] = error


def enable(store: Store, name: str) -> None:
    row = store.source(name)
    row.update(disabled=0, failures=0, next_due=0.0, last_result="re-enabled")
    store.save_source(row)


def _host(source: Source) -> str:
    return (urlsplit(source.url).hostname or "") if source.url else f"file:{source.path}"


def daemon(config: Config, log=print) -> int:
    """Each source on its own interval until SIGTERM or SIGINT.

    Stopping: no request starts once the signal came (the Gate), the fetches in hand are
    abandoned (their threads are daemon threads; their sources save nothing), the article
    in hand is finished and the pass recorded, nothing is notified. So the exit waits for
    at most one article's stages and STOP_POLL, never for a network timeout: seconds, well
    under systemd's default TimeoutStopSec of 90 s at any [fetch] timeout (at the default
    30 s, waiting for the source in hand as before could take 21 timeouts, over 10 minutes).
    """
    from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED
    from apscheduler.schedulers.background import BackgroundScheduler

    stop = threading.Event()
    store, client = Store(config.store), client_for(config)
    lock_gate = threading.Lock()                  # one pass at a time inside the daemon too

    def say(name: str, text: str) -> None:
        log(printable(f"{name}: {text}"))

    def job(name: str):
        at = time.time()                          # next_due counts from the job's start, not the gate's
        with lock_gate:
            if stop.is_set():
                return
            try:
                with Lock(config.store):
                    job_store = Store(config.store)   # a connection of this worker thread's own
                    try:
                        report = run_pass(config, job_store, client, names={name}, stop=stop, at=at)
                    finally:
                        job_store.close()
            except LockHeld as exc:
                say(name, f"skipped: {exc}")
                return
            except MonitorError as exc:
                say(name, f"error: {exc}")
                return
            for source, error in report.failed.items():
                say(source, f"error: {error}")
            for warning in report.warnings:
                log(printable(f"warning: {warning}"))
            for error in report.notify_errors:
                log(printable(f"error: {error}"))

    def skipped(event) -> None:                   # a run that APScheduler drops is news: say which
        why = "its previous run is still going" if event.code == EVENT_JOB_MAX_INSTANCES else "it ran too late"
        say(event.job_id, f"skipped a scheduled run: {why}")

    logging.getLogger("apscheduler").setLevel(logging.ERROR)   # its own lines are said by `skipped`
    scheduler = BackgroundScheduler(job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30})
    scheduler.add_listener(skipped, EVENT_JOB_MAX_INSTANCES | EVENT_JOB_MISSED)
    for source in config.sources:
        if source.enabled:
            scheduler.add_job(job, "interval", seconds=source.every, args=[source.name], id=source.name,
                              next_run_time=_first_run(store, source))
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    scheduler.start()
    stop.wait()
    scheduler.shutdown(wait=True)                 # the pass in hand returns within STOP_POLL; nothing new starts
    client.close()
    store.close()
    return 0


def _first_run(store: Store, source: Source):
    import datetime as dt
    at = time.time()
    when = max(at, next_due(store.source(source.name), source, at))
    return dt.datetime.fromtimestamp(when, dt.timezone.utc)
