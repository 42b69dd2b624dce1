"""The store's file and schema: how a store is opened, its tables, and how it is created or
migrated to them.

Tables (see docs/store.md):
  runs          one row per `ingest`/`run` call: when, what, how it ended
  articles      one row per article version, deduplicated by URL and content fingerprint
  stories       clusters of articles about one event, with their salient terms
  people        people met so far with their bodies and governments
  subjects      what figures count, per story ("troops (North Korea)")
  topics        propositions positions are about, per story
  claims        every figure and position read, with its sentence
  figure_latest baseline: each source's latest value per subject
  stance_latest baseline: each actor level's latest stance per topic
  alerts        what changed, in the alert contract's shape
and beside them the views (views.py holds their SQL) and full-text search over articles.

Store (__init__.py) opens its file with `open_db`: a newer schema is refused, an older one
migrated in one exclusive transaction, and a store that is up to date opened without a write.
"""
from __future__ import annotations

import json
import sqlite3
import time

import sqlite_utils

from ..errors import StoreError
from ..views import VIEWS

# 4: the views name a story by its latest headline and show an alert's mute (issue 15).
SCHEMA_VERSION = 4
# A writer waits this long for another writer's lock before giving up: a cron pass and a
# reader such as datasette never hold it longer than one article's transaction.
BUSY_TIMEOUT_MS = 30_000

SCHEMA = {
    "runs": {"id": int, "command": str, "started": str, "finished": str, "status": str, "inputs": int,
             "articles_added": int, "alerts_added": int, "errors": str, "warnings": str, "pid": int},
    "stories": {"id": int, "label": str, "titled": int, "last_published": str, "terms": str, "created": str, "updated": str, "articles": int},
    "articles": {"id": int, "url": str, "canonical": str, "origin": str, "guid": str, "fingerprint": str, "title": str,
                 "published": str, "format": str, "text": str, "story_id": int, "run_id": int,
                 "version": int, "ingested": str},
    "people": {"key": str, "name": str, "levels": str},
    # Each story's terms, one row each, so that the stories sharing an article's names are
    # found through an index instead of by reading every story's terms.
    "story_terms": {"story_id": int, "term": str},
    "subjects": {"key": str, "story_id": int, "cls": str, "who": str, "place": str, "label": str,
                 "first_article_id": int},
    "topics": {"id": int, "story_id": int, "scale": str, "prospect": int, "action": str, "main": int,
               "terms": str, "label": str, "vague_label": int, "first_article_id": int},
    "claims": {"id": int, "article_id": int, "kind": str, "subject_key": str, "topic_id": int,
               "actor_key": str, "actor": str, "value": float, "low": float, "high": float, "qualifier": str,
               "vague": int, "unit": str, "scale": str, "stance": str, "cue": str, "quote": str,
               "sentence": str, "past": int},
    "figure_latest": {"subject_key": str, "source_key": str, "source": str, "value": float, "low": float,
                      "high": float, "vague": int, "claim_id": int, "article_id": int},
    "stance_latest": {"topic_id": int, "level_key": str, "level": str, "stance": str, "claim_id": int,
                      "article_id": int},
    "sources": {"name": str, "kind": str, "target": str, "state": str, "last_attempt": str, "last_success": str,
                "last_result": str, "last_error": str, "failures": int, "disabled": int, "next_due": float,
                "articles": int},
    "hosts": {"host": str, "not_before": float},
    "alerts": {"id": int, "run_id": int, "article_id": int, "kind": str, "change": str, "subject": str,
               "subject_key": str, "actor": str, "value": float, "previous_value": float, "previous_actor": str, "low": float,
               "high": float, "unit": str, "stance": str, "previous_stance": str, "article": str,
               "previous_article": str, "evidence": str, "previous_evidence": str, "published": str,
               "previous_published": str, "story_id": int, "title": str, "url": str, "level": str,
               "previous_url": str, "created": str, "muted": str},
    # What `monitor mute` silences (store/mutes.py): alerts matching one are stored, marked, never delivered.
    "mutes": {"id": int, "field": str, "text": str, "until": str, "created": str},
    # One row per alert a notifier has delivered: nothing is sent twice to the same notifier.
    "deliveries": {"notifier": str, "alert_id": int, "delivered": str},
    "notifiers": {"name": str, "kind": str, "last_attempt": str, "last_success": str, "last_error": str,
                  "failures": int, "delivered": int},
}
PKS = {"sources": "name", "hosts": "host", "people": "key", "subjects": "key", "figure_latest": ("subject_key", "source_key"),
       "stance_latest": ("topic_id", "level_key"), "deliveries": ("notifier", "alert_id"), "notifiers": "name",
       "story_terms": ("story_id", "term")}
INDEXES = [("articles", ["url"]), ("articles", ["canonical"]), ("articles", ["fingerprint"]), ("articles", ["guid"]), ("claims", ["article_id"]),
           ("claims", ["subject_key"]), ("claims", ["topic_id"]), ("topics", ["story_id"]), ("subjects", ["story_id"]),
           ("alerts", ["run_id"]), ("alerts", ["article_id"]), ("alerts", ["created"]),
           ("alerts", ["subject_key"]), ("figure_latest", ["subject_key"]), ("runs", ["started"]),
           ("stories", ["last_published"]), ("stories", ["updated"]), ("runs", ["status"]),
           ("story_terms", ["term"]),
           # a story's latest headline (labels.py) without reading every article
           ("articles", ["story_id"])]
# Full-text search over articles (sqlite-utils keeps it in step with triggers):
#   sqlite-utils search monitor.db articles "death toll"
FTS_COLUMNS = ["title", "text"]


# Pause before opening again after an immediate "database is locked": long enough for the
# other opener's creation transaction (tens of milliseconds) to move on.
OPEN_RETRY_SECONDS = 0.05


def open_db(path: str) -> sqlite_utils.Database:
    """The store at `path`, refused when a newer monitor wrote it, created or migrated when it
    is not up to date. Raises StoreError, or sqlite3.DatabaseError for a damaged file.

    SQLite answers "database is locked" at once, without waiting out the busy timeout, where
    waiting could deadlock (a connection that read asks for a write lock another holds; the
    switch to WAL while another opener creates the store): the remedy SQLite documents is to
    start again, so the whole opening is retried until the busy timeout has passed."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            return _opened(conn, path)
        except sqlite3.OperationalError as exc:
            conn.close()
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(OPEN_RETRY_SECONDS)


def _opened(conn: sqlite3.Connection, path: str) -> sqlite_utils.Database:
    # The busy timeout comes first: every later statement, the very first read of a
    # store another command is creating included, waits for that command's lock.
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db = sqlite_utils.Database(conn)
    refuse_newer(db, path)              # before anything writes, WAL mode included
    db.enable_wal()
    if not current(db):
        migrate(db, path)
    return db


def refuse_newer(db, path: str) -> None:
    """A StoreError when a newer monitor wrote this store: its tables may mean what this
    monitor does not know, so it is neither written to nor altered, only named."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path}: the store has schema version {version}, newer than this monitor "
                         f"knows ({SCHEMA_VERSION}); it was written by a newer monitor: upgrade the monitor "
                         f"to use it (the store is left as it is)")


def current(db) -> bool:
    """Whether the store already holds this version's schema (read only: a store that
    is up to date is opened without a write, so read-only stores and readers work)."""
    if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
        return False
    tables = set(db.table_names())
    if any(name not in tables or set(columns) - set(db[name].columns_dict)
           for name, columns in SCHEMA.items()):
        return False
    return all(columns in [i.columns for i in db[table].indexes] for table, columns in INDEXES)


def migrate(db, path: str) -> None:
    """Create or migrate the store in one exclusive transaction. A second command opening
    the same new store waits for it (busy timeout) and then finds it done: two creators
    never race into "table already exists" or "database is locked"."""
    db.execute("BEGIN EXCLUSIVE")
    try:
        refuse_newer(db, path)              # a newer monitor may have migrated while we waited
        if not current(db):
            _create(db)
            if db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                _upgrade(db)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        if db.conn.in_transaction:          # SQLite may have rolled back already (disk full)
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _create(db) -> None:
    """Missing tables, columns and indexes (inside migrate's transaction)."""
    for name, columns in SCHEMA.items():
        table = db[name]
        if not table.exists():
            table.create(columns, pk=PKS.get(name, "id"), not_null=None)
        else:
            missing = {c: t for c, t in columns.items() if c not in table.columns_dict}
            for column, kind in missing.items():
                table.add_column(column, kind)
    for table, columns in INDEXES:
        db[table].create_index(columns, if_not_exists=True)


def _upgrade(db) -> None:
    """Views and full-text search, made once per schema version (views.py holds their
    SQL), inside migrate's transaction."""
    for name, sql in VIEWS.items():
        db.execute(f"DROP VIEW IF EXISTS {name}")
        db.execute(f"CREATE VIEW {name} AS {sql}")
    if not db["articles"].detect_fts():
        db["articles"].enable_fts(FTS_COLUMNS, create_triggers=True)
    # stores from before story_terms: index their stories (one row per term, as Store.add_story does)
    for story in db.query("select id, terms from stories where id not in "
                          "(select distinct story_id from story_terms)"):
        db.conn.executemany("insert into story_terms (story_id, term) values (?, ?)",
                            [(story["id"], term) for term in json.loads(story["terms"] or "{}")])
