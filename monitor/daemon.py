"""`monitor daemon`: each source on its own interval, a pass over it at a time, until SIGTERM.

The passes are schedule.py's `run_pass` over one source, under the store's lock; APScheduler
fires them. Stopping: the signal handler only sets `stop`. From then on no request starts
(the Gate asks the pass's Budget, which watches `stop`), the fetches in hand are abandoned
(their threads are daemon threads; their sources save nothing), the article in hand is
finished and the pass recorded, nothing is notified, and no job starts a new pass.
"""
from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
import time

from .config import Config, Source
from .errors import MonitorError
from .fetch.http import Client
from .schedule import Lock, LockHeld, PassReport, client_for, next_due, printable, run_pass
from .store import Store


def daemon(config: Config, log=print) -> int:
    """Each source on its own interval until SIGTERM or SIGINT.

    The exit waits for at most one article's stages and budget.STOP_POLL, never for a
    network timeout: seconds, well under systemd's default TimeoutStopSec of 90 s at any
    [fetch] timeout (at the default 30 s, waiting for the source in hand could take 21
    timeouts).
    """
    stop = threading.Event()
    store, client = Store(config.store), client_for(config)
    scheduler = _scheduler(config, store, _job(config, client, stop, log), log)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    scheduler.start()
    stop.wait()
    scheduler.shutdown(wait=True)                 # the pass in hand returns within budget.STOP_POLL; nothing new starts
    client.close()
    store.close()
    return 0


def _job(config: Config, client: Client, stop: threading.Event, log):
    """The daemon's job for one source: a pass over it alone, under the store's lock, one
    pass at a time inside the daemon too; what it found goes to `log`."""
    one_pass = threading.Lock()

    def job(name: str) -> None:
        at = time.time()                          # next_due counts from the job's start, not from one_pass's
        with one_pass:
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
                log(printable(f"{name}: skipped: {exc}"))
                return
            except MonitorError as exc:
                log(printable(f"{name}: error: {exc}"))
                return
            except Exception as exc:                  # a fault no stage caught: one line, never APScheduler's
                log(printable(f"{name}: error: the pass failed ({type(exc).__name__}: {exc}); its run is "
                              f"recorded as failed, the source is tried again on its interval"))
                return
            _log_pass(report, log)
    return job


def _log_pass(report: PassReport, log) -> None:
    for source, error in report.failed.items():
        log(printable(f"{source}: error: {error}"))
    for error in report.ingest.errors:            # item-level errors, each naming its source
        log(printable(f"error: {error}"))
    for warning in report.warnings:
        log(printable(f"warning: {warning}"))
    for error in report.notify_errors:
        log(printable(f"error: {error}"))


def _scheduler(config: Config, store: Store, job, log):
    """An APScheduler running `job` for each enabled source on its interval, from its next_due."""
    from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED
    from apscheduler.schedulers.background import BackgroundScheduler

    def skipped(event) -> None:                   # a run that APScheduler drops is news: say which
        why = "its previous run is still going" if event.code == EVENT_JOB_MAX_INSTANCES else "it ran too late"
        log(printable(f"{event.job_id}: skipped a scheduled run: {why}"))

    logging.getLogger("apscheduler").setLevel(logging.ERROR)   # its own lines are said by `skipped`
    scheduler = BackgroundScheduler(job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30})
    scheduler.add_listener(skipped, EVENT_JOB_MAX_INSTANCES | EVENT_JOB_MISSED)
    for source in config.sources:
        if source.enabled:
            scheduler.add_job(job, "interval", seconds=source.every, args=[source.name], id=source.name,
                              next_run_time=_first_run(store, source))
    return scheduler


def _first_run(store: Store, source: Source) -> dt.datetime:
    """When the daemon first runs a source: now, or its next_due if later (clamped)."""
    at = time.time()
    when = max(at, next_due(store.source(source.name), source, at))
    return dt.datetime.fromtimestamp(when, dt.timezone.utc)
