"""The pipeline: the one place that knows the order of the stages.

read -> clean -> claims -> (story) -> diff -> store -> notify. `ingest_paths` is what
`monitor ingest` runs; the scheduled `run` and the daemon hand fetched documents to
`ingest_documents`, so every arrival takes the same path, and then call `notify`, which
hands the notifiers of the config what they have not delivered yet.
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from . import claims as claim_stage
from . import clean as clean_stage
from . import diff as diff_stage
from . import notify as notify_stage
from . import stories
from .errors import InputError
from .identity import canonical_url
from .records import Alert, Article, Document
from .store import Store

# Largest input file read: far above any article or feed file (the biggest real feed in
# the external set is 1.6 MB), small enough that a stray disk image is refused quickly.
MAX_INPUT_BYTES = 50 * 1024 * 1024
# Bytes asked for per read of an input file: large enough that a 50 MB file takes 50 reads.
READ_CHUNK = 1024 * 1024


class Stopwatch:
    """Seconds spent per stage, each moment counted once, for the stage innermost at it (the
    store's commit inside the diff's transaction is "store", not "diff"). `python -m bench`
    reads it; it costs two clock reads per stage entered."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)
        self.cleaner = 0.0                 # CPU seconds the cleaner spent, in whichever process it ran
        self._stack: list[str] = []
        self._mark = 0.0

    @contextmanager
    def __call__(self, stage: str):
        self._switch()
        self._stack.append(stage)
        try:
            yield
        finally:
            self._switch()
            self._stack.pop()

    def _switch(self) -> None:
        now = time.perf_counter()
        if self._stack:
            self.seconds[self._stack[-1]] += now - self._mark
        self._mark = now


@dataclass
class Report:
    """What one call did: articles added, duplicates skipped, alerts raised, errors, and the
    seconds each stage took."""

    run_id: int = 0
    added: int = 0
    duplicates: int = 0
    alerts: list[Alert] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    clock: Stopwatch = field(default_factory=Stopwatch)

    @property
    def ok(self) -> bool:
        return not self.errors


def read(path: str, origin: str | None = None, follow: bool = True) -> Document:
    """The bytes of one input file, or an InputError naming it and the reason. Only regular
    files are read (a FIFO would wait for a writer for ever, /dev/zero never ends), and at
    most MAX_INPUT_BYTES counted as they are read: st_size can lie (/proc, a growing file).
    Without `follow`, a symlink as the last part of `path` is refused."""
    origin = origin or path
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | (0 if follow else getattr(os, "O_NOFOLLOW", 0))
    try:
        fd = os.open(path, flags)               # non-blocking: opening a FIFO does not wait
        with os.fdopen(fd, "rb", buffering=0) as file:
            info = os.fstat(fd)
            kind = _file_kind(info.st_mode)
            if kind:
                raise InputError(origin, kind)
            if info.st_size > MAX_INPUT_BYTES:      # refused unread; a size that lies low is caught below
                raise InputError(origin, f"too large ({info.st_size:,} bytes; the limit is {MAX_INPUT_BYTES:,})")
            body = _read_capped(file, MAX_INPUT_BYTES + 1)
            if len(body) > MAX_INPUT_BYTES:
                raise InputError(origin, f"too large (over {MAX_INPUT_BYTES:,} bytes, the limit)")
            return Document(origin=origin, body=body)
    except FileNotFoundError as exc:
        raise InputError(origin, "no such file") from exc
    except PermissionError as exc:
        raise InputError(origin, "unreadable: permission denied") from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow:
            raise InputError(origin, "is a symlink; not followed") from exc
        raise InputError(origin, f"unreadable: {exc.strerror or exc}") from exc


def _read_capped(file, limit: int) -> bytes:
    """At most `limit` bytes, to the end of the file: one read may return less (/proc)."""
    chunks, size = [], 0
    while size < limit:
        chunk = file.read(min(READ_CHUNK, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _file_kind(mode: int) -> str | None:
    """Why a file of this mode is not read, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory, not an article file"
    kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a character device" if stat.S_ISCHR(mode)
            else "a block device" if stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else "special")
    return f"not a regular file ({kind}); only regular files are read"


def ingest_paths(store: Store, paths: list[str], progress=None) -> Report:
    """Ingest files in the order given; a bad file is reported and the rest go on."""
    report = Report(run_id=store.start_run("ingest", len(paths)))
    documents = map(_read_or_error, paths)
    for i, _ in enumerate(_ingested(store, documents, report, ahead=len(paths) >= clean_stage.ahead.AHEAD_MIN)):
        if progress:
            progress(paths[i], report)
    store.finish_run(report.run_id, "ok" if report.ok else "errors", report.added, len(report.alerts), report.errors)
    return report


def ingest_documents(store: Store, documents, report: Report, ahead: bool | None = None, stop=None) -> bool:
    """Ingest documents in order; one that cannot be cleaned is reported and the rest go on.
    A large batch (or any, with `ahead`) is cleaned ahead in worker processes (clean/ahead.py).
    `stop` (a threading.Event) is looked at before each document and each article, so once
    it is set at most the article in hand is finished, even inside one feed of hundreds of
    items. True when every document was ingested, False when `stop` ended it first."""
    if ahead is None:
        ahead = hasattr(documents, "__len__") and len(documents) >= clean_stage.ahead.AHEAD_MIN
    ended: list[bool] = []
    for _ in _ingested(store, documents, report, ahead, stop, ended):
        pass
    return bool(ended)


def _ingested(store: Store, documents, report: Report, ahead: bool, stop=None, ended: list | None = None):
    """Each document through the stages; yields once per document, when it is done. Returns
    early once `stop` is set; appends to `ended` when it ran to the last document."""
    def stopping() -> bool:
        return stop is not None and stop.is_set()
    cleaned = clean_stage.clean_each(documents, ahead=ahead)
    while not stopping():
        with report.clock("clean"):             # in the caller: cleaning, or waiting for a worker
            document, articles, seconds = next(cleaned, (None, None, 0.0))
        if articles is None:
            if ended is not None:
                ended.append(True)
            return
        report.clock.cleaner += seconds
        if isinstance(articles, InputError):
            report.errors.append(str(articles))
            yield document
            continue
        for article in articles:
            if stopping():                      # the article in hand was finished; no other starts
                cleaned.close()                 # ends the cleaner's worker processes, if any
                return
            ingest_article(store, article, report)
        yield document
    cleaned.close()


def _read_or_error(path: str) -> Document | InputError:
    try:
        return read(str(path))                # (a caller's pathlib.Path too: the origin is a string)
    except InputError as exc:
        return exc


def fingerprint(article: Article) -> str:
    """The same words in the same order, whatever the markup or spacing."""
    words = re.findall(r"\w+", article.text.lower())
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


def ingest_article(store: Store, article: Article, report: Report) -> None:
    """One article through claims and diff, committed as one transaction."""
    clock = report.clock
    with clock("store"):
        print_ = fingerprint(article)
        known = store.find_article(canonical_url(article.url), article.guid, print_, article.published)
        if known is not None and (known["fingerprint"] == print_ or not article.url and not article.guid):
            report.duplicates += 1
            return
        people = store.people()
    with clock("claims"):
        found = claim_stage.extract(article, people)
    with clock("store"), store.transaction():
        with clock("diff"):
            story_id = stories.assign(found, store)
        article_id = store.add_article(_article_row(article, print_, story_id, report.run_id, known))
        store.save_people(found.directory)
        with clock("diff"):
            alerts = diff_stage.diff(found, store, article_id, story_id)
        for alert in alerts:
            store.add_alert(_alert_row(alert, article_id, report.run_id))
    report.added += 1
    report.alerts.extend(alerts)


def _article_row(article: Article, print_: str, story_id: int, run_id: int, known: dict | None) -> dict:
    return {"url": article.url, "canonical": canonical_url(article.url), "origin": article.origin,
            "guid": article.guid, "fingerprint": print_,
            "title": article.title, "published": article.published, "format": article.format,
            "text": article.text, "story_id": story_id, "run_id": run_id,
            "version": (known["version"] or 1) + 1 if known else 1}


def _alert_row(alert: Alert, article_id: int, run_id: int) -> dict:
    row = {k: v for k, v in alert.__dict__.items() if k not in ("story",)}
    row.update({"article_id": article_id, "run_id": run_id, "story_id": alert.story})
    return row


def notify(store: Store, notifiers, run_ids: list[int] | None = None, log=None, *,
           stop: threading.Event | None = None, warn=None) -> list[str]:
    """After a pass: each notifier gets the alerts it has not delivered; errors, one line each.
    Once `stop` is set (or the notify phase's total deadline, NOTIFY_PHASE_SECONDS in
    notify/notifiers.py, has passed) the delivery in hand ends and the notifiers not reached
    stay pending for the next pass, named in one line for `warn` (a callable; without it the
    line is returned with the errors)."""
    return notify_stage.deliver(notifiers, store, run_ids, log, stop=stop, warn=warn)
