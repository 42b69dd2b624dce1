"""`monitor daemon`: each source on its own interval, a pass over it at a time, until SIGTERM.

The passes are schedule.py's `run_pass` over one source, under the store's lock; APScheduler
fires them. It says a line at start and one per pass on stderr through the monitor's logger
(systemd's journal keeps them). SIGHUP reloads the config: a valid one replaces the
sources, fetch settings and notifiers from the next pass on; a bad one is refused with its
error and the old one kept. While it runs it marks the store as its own (Presence), so that
a `monitor run` beside it can say who is in charge.

Stopping: the signal handler only sets `stop`. From then on no request starts (the Gate
asks the pass's Budget, which watches `stop`), the fetches in hand are abandoned (their
threads are daemon threads; their sources save nothing), the article in hand is finished
and the pass recorded, nothing is notified, and no job starts a new pass.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import signal
import threading
import time

from . import config as config_module
from . import log
from .config import Config, Source
from .errors import MonitorError
from .schedule import Lock, LockHeld, PassReport, client_for, next_due, run_pass
from .store import Store

LOG = log.get("daemon")


class Presence:
    """A lock file beside the store held for the daemon's life ("<store>.daemon", holding its
    pid): `holder()` tells a `monitor run` that a daemon is in charge. flock is released by
    the kernel when the process dies, so a killed daemon leaves no false mark."""

    def __init__(self, store_path: str):
        self.path = store_path + ".daemon"
        self._fd: int | None = None

    def claim(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            os.close(fd)
            raise MonitorError(f"{self.path}: another daemon (pid {self.holder() or '?'}) already runs this "
                               f"store; stop it first") from exc
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def holder(self) -> int | None:
        """The pid of the daemon holding the mark, or None when no daemon runs this store."""
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.read(fd, 32).decode("ascii", "replace").strip()
            return int(text) if text.isdigit() else 0
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return None
        finally:
            os.close(fd)


class Daemon:
    """The running daemon: its config (replaced on SIGHUP), client, scheduler and stop event."""

    def __init__(self, config: Config):
        self.config, self.client = config, client_for(config)
        self.stop, self.one_pass = threading.Event(), threading.Lock()
        self.scheduler = _scheduler()

    def run(self) -> int:
        presence = Presence(self.config.store)
        presence.claim()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: self.stop.set())
        reload_asked = threading.Event()
        signal.signal(signal.SIGHUP, lambda *_: reload_asked.set())   # reloaded here, not in the handler
        self._schedule()
        self.scheduler.start()
        LOG.info("daemon started (pid %d): %d source(s) on their intervals, %d notifier(s); store %s; config %s%s",
                 os.getpid(), sum(s.enabled for s in self.config.sources), len(self.config.notifiers),
                 self.config.store, self.config.path, self._next())
        while not self.stop.is_set():
            if reload_asked.wait(0.2):
                reload_asked.clear()
                self.reload()
        self.scheduler.shutdown(wait=True)     # the pass in hand returns within budget.STOP_POLL
        self.client.close()
        presence.release()
        LOG.info("daemon stopped")
        return 0

    def _next(self) -> str:
        """"; next pass: NAME at 11:45:00 UTC", so that a quiet daemon is seen to be waiting."""
        jobs = [job for job in self.scheduler.get_jobs() if job.next_run_time]
        if not jobs:
            return ""
        first = min(jobs, key=lambda job: job.next_run_time)
        when = first.next_run_time.astimezone(dt.timezone.utc).strftime("%H:%M:%S UTC")
        return f"; next pass: {first.id} at {when}"

    def reload(self) -> None:
        """The config read again: kept only if valid and on the same store."""
        try:
            new = config_module.load(self.config.path)
        except config_module.ConfigError as exc:
            LOG.error("config not reloaded, the old one is kept: %s", exc)
            return
        if new.store != self.config.store:
            LOG.error("config not reloaded, the old one is kept: %s: store.path changed from %s to %s; "
                      "restart the daemon to move to another store", new.path, self.config.store, new.store)
            return
        with self.one_pass:                    # never between two sources of a pass
            old_client, self.config, self.client = self.client, new, client_for(new)
            old_client.close()
            self._schedule()
        LOG.info("config reloaded: %d source(s), %d notifier(s)", sum(s.enabled for s in new.sources),
                 len(new.notifiers))

    def _schedule(self) -> None:
        """One interval job per enabled source of the current config, from its next_due."""
        self.scheduler.remove_all_jobs()
        store = Store(self.config.store)
        try:
            for source in self.config.sources:
                if source.enabled:
                    self.scheduler.add_job(self._job, "interval", seconds=source.every, args=[source.name],
                                           id=source.name, next_run_time=_first_run(store, source))
        finally:
            store.close()

    def _job(self, name: str) -> None:
        """A pass over one source, under the store's lock, one pass at a time inside the daemon."""
        at = time.time()                       # next_due counts from the job's start, not from one_pass's
        with self.one_pass:
            if self.stop.is_set():
                return
            config, client = self.config, self.client
            try:
                with Lock(config.store):
                    store = Store(config.store)      # a connection of this worker thread's own
                    try:
                        report = run_pass(config, store, client, names={name}, stop=self.stop, at=at)
                    finally:
                        store.close()
            except LockHeld as exc:
                LOG.warning("%s: skipped: %s", name, exc)
                return
            except MonitorError as exc:
                LOG.error("%s: %s", name, exc)
                return
            except Exception as exc:           # a fault no stage caught: one line, never APScheduler's
                LOG.error("%s: the pass failed (%s: %s); its run is recorded as failed, the source is tried "
                          "again on its interval", name, type(exc).__name__, exc)
                return
            _log_pass(name, report, time.time() - at)


def daemon(config: Config) -> int:
    """Each source on its own interval until SIGTERM or SIGINT (SIGHUP reloads the config).

    The exit waits for at most one article's stages and budget.STOP_POLL, never for a
    network timeout: seconds, well under systemd's default TimeoutStopSec of 90 s at any
    [fetch] timeout (at the default 30 s, waiting for the source in hand could take 21
    timeouts).
    """
    return Daemon(config).run()


def _log_pass(name: str, report: PassReport, seconds: float) -> None:
    for source, error in report.failed.items():
        LOG.error("%s: %s", source, error)
    for error in report.ingest.errors:         # item-level errors, each naming its source
        LOG.error("%s", error)
    for warning in report.warnings:
        LOG.warning("%s", warning)
    for error in report.notify_errors:
        LOG.error("%s", error)
    if not report.fetched and not report.failed:   # backing off, or its host asked to wait
        LOG.debug("%s: not due yet (run %d)", name, report.run_id)
        return
    result = "failed" if report.failed else "ok, with warnings" if report.warned else "ok"
    LOG.info("%s: %s, %d article(s) added, %d alert(s), %d warning(s) in %.1f s (run %d)", name, result,
             report.ingest.added, len(report.ingest.alerts), len(report.warnings), seconds, report.run_id)


def _scheduler():
    """An APScheduler whose dropped runs are said in one line each."""
    from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED
    from apscheduler.schedulers.background import BackgroundScheduler

    def skipped(event) -> None:                # a run that APScheduler drops is news: say which
        why = "its previous run is still going" if event.code == EVENT_JOB_MAX_INSTANCES else "it ran too late"
        LOG.warning("%s: skipped a scheduled run: %s", event.job_id, why)

    logging.getLogger("apscheduler").setLevel(logging.ERROR)   # its own lines are said by `skipped`
    scheduler = BackgroundScheduler(job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30})
    scheduler.add_listener(skipped, EVENT_JOB_MAX_INSTANCES | EVENT_JOB_MISSED)
    return scheduler


def _first_run(store: Store, source: Source) -> dt.datetime:
    """When the daemon first runs a source: now, or its next_due if later (clamped)."""
    at = time.time()
    when = max(at, next_due(store.source(source.name), source, at))
    return dt.datetime.fromtimestamp(when, dt.timezone.utc)
