"""Scheduling: which sources are due, one pass over them, the lock, and the daemon.

`run_pass` is what `monitor run` (cron) does once and what `monitor daemon` does per
source on its interval: fetch in worker threads (network-bound, per-host limited), then
ingest in this thread, one transaction per article, and save each source's validators only
after its articles are committed. A failing source is data: its error is kept, it backs
off with jitter, and after `max_failures` in a row it is disabled until re-enabled.
"""
from __future__ import annotations

import fcntl
import logging
import os
import random
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from . import fetch as fetch_stage
from . import pipeline
from .config import BACKOFF_BASE, BACKOFF_MAX, Config, Source
from .errors import MonitorError
from .fetch.http import Client, FetchError, RetryLater
from .store import Store, now

# Jitter on backoff, so that sources that failed together do not retry together.
JITTER = 0.2
# Worker threads fetching at once; each host is further limited by [fetch] per_host.
WORKERS = 8


class LockHeld(MonitorError):
    pass


@dataclass
class PassReport:
    run_id: int = 0
    fetched: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    ingest: pipeline.Report = field(default_factory=pipeline.Report)
    notify_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.notify_errors


class Lock:
    """An exclusive lock next to the store: two passes never write at once."""

    def __init__(self, store_path: str):
        self.path = store_path + ".lock"
        self._file = None

    def __enter__(self):
        self._file = open(self.path, "a+")
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            self._file.close()
            raise LockHeld(f"{self.path}: another monitor pass is running; try again when it ends") from exc
        self._file.truncate(0)
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
    """The sources to fetch now: enabled, not disabled, due (unless forced) and whose host is
    not asking us to wait; only the named ones when `names` is given."""
    out = []
    for source in config.sources:
        row = store.source(source.name)
        if names is not None and source.name not in names:
            continue
        if not source.enabled or row["disabled"]:
            continue
        if not force and (row["next_due"] or 0) > at:
            continue
        if store.host_not_before(_host(source)) > at:
            continue
        out.append(source)
    return out


def run_pass(config: Config, store: Store, client: Client, names: set[str] | None = None,
             stop: threading.Event | None = None, progress=None, force: bool = False) -> PassReport:
    """One pass over the due sources (the named ones only, when given; due or not, when forced)."""
    report = PassReport()
    report.run_id = report.ingest.run_id = store.start_run("run", len(config.sources))
    sources = due(config, store, time.time(), names, force)
    states = {s.name: store.source(s.name)["state"] for s in sources}
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for source, future in fetch_all(pool, sources, states, client, config.fetch.per_host, stop):
            if stop is not None and stop.is_set() and not future.done():
                future.cancel()
                continue
            _settle(config, store, source, future, report)
            if progress:
                progress(source, report)
    errors = [f"{n}: {e}" for n, e in report.failed.items()] + report.ingest.errors
    store.finish_run(report.run_id, "ok" if not errors else "errors", report.ingest.added,
                     len(report.ingest.alerts), errors)
    # Notified after the run is recorded, so the digest's failed-sources section has this pass.
    report.notify_errors = pipeline.notify(store, config.notifiers, [report.run_id])
    return report


def fetch_all(pool: ThreadPoolExecutor, sources: list[Source], states: dict, client: Client, per_host: int,
              stop: threading.Event | None = None) -> list:
    """Start fetching every source in the pool, at most `per_host` at once to one host;
    (source, future) pairs in the sources' order. The fetch phase of a pass: `python -m bench`
    times it alone."""
    limits = {h: threading.Semaphore(per_host) for h in {_host(s) for s in sources}}
    return [(s, pool.submit(_fetch_one, s, states.get(s.name, {}), client, limits[_host(s)], stop)) for s in sources]


def _fetch_one(source: Source, state: dict, client: Client, limit: threading.Semaphore, stop):
    if stop is not None and stop.is_set():
        return None
    with limit:
        return fetch_stage.fetch(source, state, client)


def _settle(config: Config, store: Store, source: Source, future, report: PassReport) -> None:
    row = store.source(source.name)
    row.update(kind=source.kind, target=source.target, last_attempt=now())
    try:
        batch = future.result()
    except RetryLater as exc:
        wait = exc.seconds if exc.seconds is not None else source.every
        store.set_host_not_before(_host(source), time.time() + wait)
        _failed(config, store, source, row, str(exc), report, backoff=wait, count=False)
        return
    except FetchError as exc:
        _failed(config, store, source, row, str(exc), report)
        return
    if batch is None:
        return
    before = report.ingest.added
    pipeline.ingest_documents(store, batch.documents, report.ingest)
    report.ingest.errors.extend(f"{source.name}: {e}" for e in batch.errors)
    report.warnings.extend(batch.warnings)
    report.fetched.append(source.name)
    row.update(state=batch.state, failures=0, last_success=now(), last_error=None,
               last_result="not modified" if batch.not_modified else f"ok: {report.ingest.added - before} new",
               next_due=time.time() + source.every, articles=(row.get("articles") or 0) + report.ingest.added - before)
    store.save_source(row)                      # validators saved only now: the articles are committed


def _failed(config, store, source, row, error, report, backoff=None, count=True) -> None:
    failures = (row.get("failures") or 0) + (1 if count else 0)
    if backoff is None:                       # our own backoff is jittered; a server's Retry-After is not
        wait = min(BACKOFF_BASE * 2 ** (failures - 1), BACKOFF_MAX) * random.uniform(1 - JITTER, 1 + JITTER)
    else:
        wait = backoff
    disabled = int(failures >= config.fetch.max_failures)
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
    """Each source on its own interval until SIGTERM or SIGINT; the source in hand finishes."""
    from apscheduler.schedulers.background import BackgroundScheduler

    stop = threading.Event()
    store, client = Store(config.store), client_for(config)
    lock_gate = threading.Lock()                  # one pass at a time inside the daemon too

    def job(name: str):
        with lock_gate:
            if stop.is_set():
                return
            try:
                with Lock(config.store):
                    job_store = Store(config.store)   # a connection of this worker thread's own
                    try:
                        report = run_pass(config, job_store, client, names={name}, stop=stop)
                    finally:
                        job_store.close()
            except LockHeld as exc:
                log(f"{name}: skipped: {exc}")
                return
            except MonitorError as exc:
                log(f"{name}: error: {exc}")
                return
            for source, error in report.failed.items():
                log(f"{source}: error: {error}")
            for error in report.notify_errors:
                log(f"error: {error}")

    logging.getLogger("apscheduler").setLevel(logging.ERROR)   # "skipped: instance running" is not news
    scheduler = BackgroundScheduler(job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30})
    for source in config.sources:
        if source.enabled:
            scheduler.add_job(job, "interval", seconds=source.every, args=[source.name], id=source.name,
                              next_run_time=_first_run(store, source))
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    scheduler.start()
    stop.wait()
    scheduler.shutdown(wait=True)                 # the source in hand finishes; nothing new starts
    client.close()
    store.close()
    return 0


def _first_run(store: Store, source: Source):
    import datetime as dt
    when = max(time.time(), store.source(source.name).get("next_due") or 0.0)
    return dt.datetime.fromtimestamp(when, dt.timezone.utc)
