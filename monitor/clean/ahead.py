"""Cleaning ahead: a batch's documents cleaned in worker processes while the caller runs the
later stages on the documents before them.

The cleaner is a pure function of the document, so it can run in any process; the claim
stage cannot leave the caller, as it reads the people the store learned from the article
before. A whole page costs the cleaner about as much as the claim, diff and store stages
together (`python -m bench`: 13.6 ms against 13.3 ms a page on the 181 benchmark pages),
so with one worker a large batch takes the longer of the two instead of their sum.

A pool costs a fresh interpreter importing trafilatura, so small batches (a feed and its
pages, a handful of files) are cleaned in the caller as before. A worker that dies (a
crash in a C parser, the OOM killer) costs the document it held an error, not the batch:
the rest are cleaned in the caller.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ..errors import InputError
from ..records import Article, Document

# Batches from this many documents on are cleaned ahead. Starting the pool costs about 1 s
# (a forkserver importing trafilatura, measured here) and each page cleaned ahead saves its
# cleaning time, 10-30 ms: a hundred documents repay the start several times over.
AHEAD_MIN = 100
# Workers at most: the caller's own stages take as long as cleaning, so more workers than
# this would mostly wait on it; one core stays the caller's.
MAX_WORKERS = 3
# Documents handed out ahead per worker: enough that a worker never waits for the next one,
# few enough that the bodies held in flight stay a few megabytes.
IN_FLIGHT_PER_WORKER = 4
# What a worker process imports once, before it forks the workers: every parser.
PRELOAD = ["monitor.clean", "monitor.clean.html", "monitor.clean.feed", "monitor.clean.wordpress",
           "monitor.clean.text"]

LOG = logging.getLogger(__name__)
Result = tuple[Document | None, "list[Article] | InputError", float]


def workers() -> int:
    """Worker processes for a batch cleaned ahead: none on a single core."""
    return max(0, min((os.cpu_count() or 1) - 1, MAX_WORKERS))


def clean_each(documents: Iterable[Document | InputError], ahead: bool = False) -> Iterator[Result]:
    """(document, its articles or the InputError it raised, seconds of cleaning) for each
    document, in the order given. An InputError among the documents (a file that could not
    be read) is passed through as (None, error, 0). With `ahead`, and more than one core,
    worker processes clean the next documents while the caller handles this one."""
    count = workers() if ahead else 0
    if count == 0:
        yield from _inline(documents)
        return
    yield from _pooled(iter(documents), count)


def timed_clean(document: Document) -> tuple[list[Article] | InputError, float]:
    """The document's articles or its InputError, and the cleaner's CPU seconds on it."""
    from . import clean

    start = time.process_time()
    try:
        result: list[Article] | InputError = clean(document)
    except InputError as exc:
        result = exc
    return result, time.process_time() - start


# How often a worker checks that the process it cleans for is still there.
WATCH_SECONDS = 1.0


def _watch(caller: int) -> None:
    """In a worker: exit when the caller is gone. A caller killed outright (SIGKILL, the OOM
    killer) never shuts its pool down, and a worker waiting on its queue would otherwise wait
    for ever, holding its memory (seen here: `kill -9` of `monitor ingest` left both the
    worker and the forkserver behind). Ctrl-C is the caller's to handle: it reaches the whole
    process group, and a worker would otherwise print its own traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    def watch():
        while _alive(caller):
            time.sleep(WATCH_SECONDS)
        os._exit(0)
    threading.Thread(target=watch, name="caller-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    """Whether `pid` runs: a zombie (dead, not yet reaped by its parent) does not."""
    if not os.path.exists("/proc/self/stat"):  # no /proc here (macOS, BSD): ask the kernel about the pid
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except FileNotFoundError:
        return False


def _passed(error: InputError) -> Result:
    return None, error, 0.0


def _pooled(documents: Iterator, count: int) -> Iterator[Result]:
    try:
        pool = ProcessPoolExecutor(count, mp_context=_context(), initializer=_watch, initargs=(os.getpid(),))
    except (OSError, NotImplementedError) as exc:     # no /dev/shm (some containers), no semaphores
        LOG.warning("documents cleaned in this process: no worker pool here (%s)", exc)
        yield from _inline(documents)
        return
    pending: deque[tuple[Document | InputError, Future | None]] = deque()
    usable = True
    try:
        while True:
            while len(pending) < count * IN_FLIGHT_PER_WORKER and (item := next(documents, None)) is not None:
                future = None
                if usable and not isinstance(item, InputError):
                    try:
                        future = pool.submit(timed_clean, item)
                    except (OSError, RuntimeError) as exc:   # a worker could not start; a broken pool
                        LOG.warning("documents cleaned in this process from %s on: %s", item.origin, exc)
                        usable = False
                pending.append((item, future))
            if not pending:
                return
            item, future = pending.popleft()
            if future is None:
                yield from _inline([item])
                continue
            try:
                result = future.result()
            except BrokenProcessPool as exc:
                yield item, InputError(item.origin, f"the cleaner's worker process died on it ({exc})"), 0.0
                break
            yield (item, *result)
        # The pool is broken: what it held, and the rest, are cleaned here.
        yield from _inline(item for item, _ in pending)
        yield from _inline(documents)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _context():
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")     # never fork a process that may hold threads
        context.set_forkserver_preload(PRELOAD)
        return context
    return multiprocessing.get_context("spawn")                 # Windows: each worker imports the cleaner


def _inline(documents: Iterable[Document | InputError]) -> Iterator[Result]:
    for item in documents:
        yield _passed(item) if isinstance(item, InputError) else (item, *timed_clean(item))
