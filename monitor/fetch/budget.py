"""What a pass may spend on the network, and the threads it spends it in.

The scheduler (schedule.py) decides which sources a pass fetches and in what order; this
module bounds how long that may take:

- `Budget`: a pass starts no request after PASS_BUDGET_TIMEOUTS fetch timeouts, nor once
  the monitor is stopping;
- `Gate`: the client as one source's fetcher sees it; each request asks the budget first,
  a source's requests after its first (a feed's linked pages) stop LINKED_BUDGET_TIMEOUTS
  after its first answer, and a request started just before a budget's end is cut off at
  that end, not one timeout later. A refusal is a BudgetSpent or PagesBudgetSpent
  (fetch/http.py): the fetcher decides what it means for its source;
- `FetchPool`: daemon worker threads, so a fetch abandoned on SIGTERM never holds the
  process until its timeout; `fetch_all` starts every source's fetch in it, per-host
  limited, and `finished` waits for one unless the monitor is stopping.
"""
from __future__ import annotations

import math
import queue
import threading
import time
from concurrent.futures import Future
from concurrent.futures import wait as wait_for
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import describe
from . import fetch as fetch_stage
from .http import BudgetSpent, Client, FetchError, PagesBudgetSpent, Response, TimedOut

# A pass starts no request after this many fetch timeouts (5 minutes at the default 30 s):
# 1,000 local feeds take 20 s (`python -m bench`), real ones a minute or two, and 5 minutes
# keep a cron pass well inside the 15-minute default interval, so passes do not pile up
# behind the lock. The sources not started are named in a warning and due next pass.
PASS_BUDGET_TIMEOUTS = 10
# A source's requests after its first one (a feed's linked pages, WordPress's next pages)
# run only within this many fetch timeouts of the first answer (60 s at the default 30 s):
# 20 real article pages take 10-40 s, 20 tarpits would take 20 timeouts. The pages left
# are skipped with one warning and stay teasers (their summaries are stored).
LINKED_BUDGET_TIMEOUTS = 2
# While a fetch is in hand, the pass looks at the stop flag this often (seconds): the
# daemon's exit on SIGTERM waits this long at most for a fetch.
STOP_POLL = 0.2


def pass_budget(timeout: float) -> float:
    """Seconds a pass may start requests for, from the fetch timeout."""
    return PASS_BUDGET_TIMEOUTS * timeout


def linked_budget(timeout: float) -> float:
    """Seconds a source's requests after its first may run in, from the fetch timeout."""
    return LINKED_BUDGET_TIMEOUTS * timeout


@dataclass
class Budget:
    """What a pass may still spend: requests run only before `until` (time.monotonic())
    and while `stop` is clear; a source's requests after its first, `pages` seconds after it."""

    until: float
    seconds: float
    pages: float
    stop: threading.Event | None = None

    @classmethod
    def for_pass(cls, timeout: float, stop: threading.Event | None = None) -> Budget:
        seconds = pass_budget(timeout)
        return cls(time.monotonic() + seconds, seconds, linked_budget(timeout), stop)

    @classmethod
    def unlimited(cls, stop: threading.Event | None = None) -> Budget:
        return cls(math.inf, math.inf, math.inf, stop)

    def check(self, url: str) -> None:
        """Raise BudgetSpent when no request may start now."""
        if self.stop is not None and self.stop.is_set():
            raise BudgetSpent(url, "the monitor is stopping")
        if time.monotonic() > self.until:
            raise BudgetSpent(url, self.spent())

    def spent(self) -> str:
        return f"the pass's {self.seconds:g}-second budget ran out"

    def pages_spent(self) -> str:
        return f"the source's {self.pages:g}-second budget for linked pages ran out"


class Gate:
    """The client as one source's fetcher sees it (it has the client's `get`): each request
    asks the pass's budget first, the requests after the first stop once the source's
    budget for them is spent, and none runs past the end of the budget it started under."""

    def __init__(self, client: Client, budget: Budget):
        self._client, self._budget = client, budget
        self._pages_until: float | None = None      # set when the source's first request ends

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None,
            accept: str | None = None) -> Response:
        self._budget.check(url)
        first = self._pages_until is None
        if not first and time.monotonic() > self._pages_until:
            raise PagesBudgetSpent(url, self._budget.pages_spent())
        end = self._budget.until if first else min(self._budget.until, self._pages_until)
        try:
            return self._client.get(url, etag, last_modified, accept, deadline=end)
        except TimedOut as exc:
            if time.monotonic() < end:              # its own timeout, not the budget's end
                raise
            if end == self._budget.until:
                raise BudgetSpent(url, self._budget.spent(), cut=True) from exc
            raise PagesBudgetSpent(url, self._budget.pages_spent(), cut=True) from exc
        finally:
            if first:
                self._pages_until = time.monotonic() + self._budget.pages


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


def fetch_all(pool, sources: list, states: dict, client: Client, per_host: int,
              stop: threading.Event | None = None, budget: Budget | None = None) -> list:
    """Start fetching every source in the pool (a FetchPool, or any executor), at most
    `per_host` at once to one host, each through its own Gate; (source, future) pairs in
    the sources' order. The fetch phase of a pass: `python -m bench` times it alone."""
    budget = budget or Budget.unlimited(stop)
    limits = {h: threading.Semaphore(per_host) for h in {host_key(s) for s in sources}}
    return [(s, pool.submit(_fetch_one, s, states.get(s.name, {}), client, limits[host_key(s)], budget))
            for s in sources]


# What a fetcher may still raise from input it was handed (a URL no parser reads, a host
# name the IDNA codec refuses, an encoding no codec knows, a file that vanished): that
# source's failure, not the pass's. Anything else is a bug and surfaces (run_pass still
# closes its run record).
FETCHER_FAULTS = (ValueError, UnicodeError, LookupError, OSError)


def _fetch_one(source, state: dict, client: Client, limit: threading.Semaphore, budget: Budget):
    with limit:
        try:
            return fetch_stage(source, state, Gate(client, budget))
        except FETCHER_FAULTS as exc:
            raise FetchError(f"{source.url or source.path}: the fetch failed: {describe(exc)}") from exc


def finished(future: Future, stop: threading.Event | None) -> bool:
    """Wait for one fetch; False when the monitor is stopping (the fetch is abandoned)."""
    while not future.done():
        if stop is not None and stop.is_set():
            return False
        wait_for([future], timeout=STOP_POLL if stop is not None else None)
    return stop is None or not stop.is_set()


def host_key(source) -> str:
    """What the per-host limit and a host's Retry-After wait are kept by: the URL's host, or
    the folder of a `files` source."""
    return (urlsplit(source.url).hostname or "") if source.url else f"file:{source.path}"
