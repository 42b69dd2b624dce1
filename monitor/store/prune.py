"""Retention for a store that grows for months (issue 15): `Store.prune(before)` drops the
text of the articles ingested before a time, and keeps all that later articles, alerts and
their readers need.

Which articles: those *ingested* before the cutoff. Retention is about how long the store
has held something; a publication date can be missing (undated pages), wrong, or years old
in a backfill ingested yesterday, while every row has its ingestion time (`ingested`, set by
Store.add_article since the first schema).

What is kept, and who reads it (monitor/pipeline.py, stories.py, diff.py, topic_identity.py,
notify/):
  - each article's row but its text: de-duplication (Store.find_article) reads fingerprint,
    canonical URL, GUID, published and version, so a pruned article arriving again is still
    a duplicate, and a changed one still a new version; baselines join the row's URL, origin
    and date into an alert's "before"; digests and `monitor claims` show title, URL, date;
  - stories and story_terms: story assignment reads them, never an earlier article's text;
  - people: the claim stage's directory of actors, places and acronyms;
  - subjects, topics, claims with their sentences and quotes (an alert's previous_evidence
    is the baseline claim's sentence), figure_latest and stance_latest;
  - alerts, deliveries, runs, sources, hosts, notifiers.
Nothing reads an article's text once it is stored but the full-text index (articles_fts), so
the text goes, and its index entries with it (the index's triggers). A pruned text is NULL:
the pipeline stores every article's text as a string ("" at the least), so NULL says pruned.
The store keeps no raw HTML or fetched bodies (the sources table holds validators only).
"""
from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass

from ..errors import StoreError

# Articles whose text one transaction drops. Other writers (an ingest, the daemon) wait for
# it, and schema.BUSY_TIMEOUT_MS assumes no transaction much longer than one article's:
# 200 articles made from the seed articles (2-20 kB of text each) took 20-30 ms on the
# development machine, full-text index included: a writer waits as for a few articles.
BATCH = 200


@dataclass(frozen=True)
class PruneReport:
    """What one prune did. Sizes are of the store's file and its -wal file together."""

    before: str             # the cutoff compared with articles.ingested (UTC, ISO 8601, seconds)
    articles: int           # articles whose text this call dropped (0 when run again)
    bytes_before: int
    bytes_after: int
    vacuumed: bool          # whether the file was rewritten to give the space back

    @property
    def freed(self) -> int:
        return self.bytes_before - self.bytes_after


def cutoff(before: str) -> str:
    """`before` (ISO 8601; a time without a zone is UTC, as `--since` reads it) as the store
    writes `ingested`: UTC, to the second, so that the two compare as text. ValueError when
    it is no time."""
    try:
        when = dt.datetime.fromisoformat(before.strip())
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.timezone.utc)
        return when.astimezone(dt.timezone.utc).isoformat(timespec="seconds")
    except (TypeError, ValueError, AttributeError, OverflowError) as exc:     # OverflowError: year 1, east of UTC
        raise ValueError(f"{before!r}: not an ISO 8601 time (such as 2024-10-23 or 2024-10-23T08:00:00Z)") from exc


def prune(store, before: str, vacuum: bool = True) -> PruneReport:
    """Drop the text of the articles ingested before `before`, then give the space back
    (unless `vacuum` is false). Idempotent: a second call finds nothing to drop and leaves
    the file alone. A StoreError when the store cannot be written; the batches committed
    before an error stay pruned, and running it again finishes the work."""
    until = cutoff(before)
    store.require_writable()
    try:
        size = _size(store)
        pruned = _drop_texts(store, until)
        vacuumed = vacuum and _compact(store, pruned)
        after = _size(store)
    except sqlite3.DatabaseError as exc:     # locked past the busy timeout, disk full, read-only, damaged
        raise StoreError(f"{store.path}: cannot prune the store: {exc}") from exc
    return PruneReport(until, pruned, size, after, vacuumed)


def _drop_texts(store, until: str) -> int:
    """Set the text of old articles to NULL, BATCH articles a transaction. Walks the table
    once in id order (there is no index on `ingested`, and one is not worth its upkeep for a
    command run now and then), so a store of any size costs one pass."""
    last, total = 0, 0
    while True:
        with store.transaction():
            ids = [r[0] for r in store.db.execute(
                "select id from articles where id > ? and ingested < ? and text is not null order by id limit ?",
                [last, until, BATCH])]
            if ids:
                store.db.execute(f"update articles set text = null where id in ({','.join('?' * len(ids))})", ids)
        if not ids:
            return total
        last, total = ids[-1], total + len(ids)


def _compact(store, pruned: int) -> bool:
    """Give the freed pages back to the file system: merge the full-text index (its deletions
    are only markers until its segments merge: 320 articles pruned from a 4.2 MB store left
    2.2 MB without the merge, 1.85 MB with it), then VACUUM (the checkpoint in _size moves
    the smaller file out of the WAL). Only when this call pruned something or earlier work
    left free pages (a prune interrupted before its VACUUM), so a second prune writes nothing.

    VACUUM holds the write lock while it rewrites the file, and needs as much free space
    again in the temporary folder. The store does not use auto_vacuum (set at creation, or
    switched on by a VACUUM of its own), so there is no incremental vacuum to run instead."""
    free = store.db.execute("PRAGMA freelist_count").fetchone()[0]
    if not pruned and not free:
        return False
    fts = store.db["articles"].detect_fts()
    if fts:
        with store.transaction():
            store.db.execute(f'insert into "{fts}" ("{fts}") values (\'optimize\')')
    store.db.execute("VACUUM")
    return True


def _size(store) -> int:
    """The store's size on disk, its file and the WAL beside it, after a checkpoint has copied
    the WAL into the file and emptied it: a WAL is reused, never shrunk, so what it held would
    otherwise count as space the prune freed, and a VACUUM's new file stays in the WAL until
    a checkpoint. (A reader in the middle of a read can keep part of the WAL: that part counts.)"""
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    return sum(os.path.getsize(p) for p in (store.path, store.path + "-wal") if os.path.exists(p))
