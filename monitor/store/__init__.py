"""The SQLite store: the only package that speaks SQL. This module reads and writes it;
schema.py opens the file and holds the tables, creating or migrating a store to them (see
docs/store.md). WAL mode lets sqlite-utils and datasette read while the monitor writes.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
from collections import Counter, defaultdict
from contextlib import contextmanager
from pathlib import Path

from ..errors import StoreError
from ..records import Actor, Directory
from . import mutes as _mutes
from . import schema
from .labels import current_labels as _current_labels
from .prune import PruneReport, prune as _prune
from .rows import SourceRows
from .schema import SCHEMA, SCHEMA_VERSION  # noqa: F401 (imported from monitor.store too)


def _alive(pid: int | None) -> bool:
    """Whether a process with this id exists (on this machine: the store is a local file)."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True                     # it exists, under another user
    return True


def _same_item(row: dict, url: str | None, published: str | None) -> bool:
    """Whether an article found by GUID alone (its text and URL differ) is this item's earlier
    version. Feeds do share one GUID between different items (every item's GUID the site's
    address, or "1"); a GUID is trusted only where link and date do not contradict it: the
    links differ, so the dates must agree, and where there are no two links, dates that
    both exist must not differ."""
    if url and row["canonical"] and url != row["canonical"]:
        return bool(published and row["published"] and published == row["published"])
    return not (published and row["published"] and published != row["published"])


# The largest row id SQLite stores (a signed 64-bit integer).
MAX_ROWID = 2 ** 63 - 1
def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class Store(SourceRows):
    """A monitor store at `path`; created and migrated on open. The scheduler's and the
    notifiers' rows (sources, hosts, notifiers) are read and written by SourceRows (rows.py)."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self.warnings: list[str] = []       # values read from a damaged row, one line each (take_warnings)
        self._people: Directory | None = None
        self._people_version = None
        try:
            self.db = schema.open_db(self.path)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from exc

    def require_writable(self) -> None:
        """A StoreError naming the file unless the monitor can write the store and the files
        SQLite keeps beside it (the -wal and -shm files need the folder to be writable)."""
        path = Path(self.path)
        if not os.access(path, os.W_OK):
            raise StoreError(f"{self.path}: the store is read-only; commands that add articles or deliver alerts "
                             f"need to write it (alerts, digest, history and claims can read it)")
        if not os.access(path.parent, os.W_OK | os.X_OK):
            raise StoreError(f"{self.path}: its folder {path.parent} is read-only; SQLite needs to write "
                             f"its -wal and -shm files there")

    @contextmanager
    def transaction(self):
        """All writes for one article commit together or not at all."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.db.execute("ROLLBACK")
            self._people = None                 # it may hold what was just rolled back
            raise
        self.db.execute("COMMIT")

    # runs
    def start_run(self, command: str, inputs: int) -> int:
        """A new run, "running" until finish_run; runs whose process died first become "interrupted"."""
        self._close_dead_runs()
        return self.db["runs"].insert({"command": command, "started": now(), "status": "running", "pid": os.getpid(),
                                       "inputs": inputs, "articles_added": 0, "alerts_added": 0}).last_pk

    def _close_dead_runs(self) -> None:
        """A run left "running" by a process that no longer exists (killed, crashed, power cut)
        is marked "interrupted": what it committed stays, one article per transaction."""
        for row in self.db.query("select id, pid from runs where status = 'running'"):
            if not _alive(row["pid"]):
                self.db["runs"].update(row["id"], {"status": "interrupted"})

    def finish_run(self, run_id: int, status: str, articles: int, alerts: int, errors: list[str],
                   warnings: list[str] = ()) -> None:
        """`warnings`: one line per source read with warnings (a pass's `warned`), kept apart
        from the errors so that the digest does not count it as failed."""
        self.db["runs"].update(run_id, {"finished": now(), "status": status, "articles_added": articles,
                                        "alerts_added": alerts, "errors": json.dumps(errors),
                                        "warnings": json.dumps(list(warnings))})

    # articles
    def find_article(self, url: str | None, guid: str | None, fingerprint: str,
                     published: str | None = None) -> dict | None:
        """The stored article with this fingerprint, else the latest version with this URL,
        else the latest with this GUID when it is the same item (see _same_item)."""
        row = self._one("select * from articles where fingerprint = ?", [fingerprint])
        if row is None and url:
            row = self._one("select * from articles where canonical = ? order by version desc, id desc limit 1",
                            [url])
        if row is None and guid:
            row = self._one("select * from articles where guid = ? order by version desc, id desc limit 1", [guid])
            if row is not None and not _same_item(row, url, published):
                return None
        return row

    def add_article(self, row: dict) -> int:
        return self._insert("articles", {**row, "ingested": now()})

    def set_article_story(self, article_id: int, story_id: int) -> None:
        self.db["articles"].update(article_id, {"story_id": story_id})

    # stories
    @staticmethod
    def _window(published: str | None, days: int) -> tuple[str, list]:
        """The stories an article can join, as SQL: those dated within `days` of its date, and
        those without a date that took an article in the last `days` (an undated article looks
        at the stories active in the last `days`). Indexed: the cost follows the news of a
        month, not the whole history."""
        active = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)).isoformat(timespec="seconds")
        if published:
            day = dt.date.fromisoformat(published[:10])
            low, high = (day - dt.timedelta(days=days)).isoformat(), (day + dt.timedelta(days=days)).isoformat()
            return ("stories.last_published between ? and ? or (stories.last_published is null "
                    "and stories.updated >= ?)"), [low, high, active]
        return "stories.updated >= ?", [active]

    def add_story(self, label: str, terms: dict[str, int], titled: bool, published: str | None = None) -> int:
        story_id = self._insert("stories", {"label": label, "titled": int(titled), "terms": json.dumps(terms),
                                            "last_published": published, "created": now(), "updated": now(),
                                            "articles": 1})
        self._index_story(story_id, terms)
        return story_id

    def _index_story(self, story_id: int, terms) -> None:
        self.db.execute("delete from story_terms where story_id = ?", [story_id])
        self.db.conn.executemany("insert into story_terms (story_id, term) values (?, ?)",
                                 [(story_id, term) for term in terms])

    def story_matches(self, terms: list[str], published: str | None, days: int,
                      rare: int = 0) -> tuple[dict, dict, set]:
        """The stories an article can join, found through the index of story terms: those of
        its window (see _window) that hold one of `terms`, and, with `rare`, any story however
        old that holds one of `terms` no more than `rare` stories hold (each such term's
        look-up stops at rare + 1 rows, so the cost never follows the history). Returns how
        many stories hold each term (in the window, or in all the store where that is more,
        counted up to rare + 1), which of `terms` each story holds, and which stories are in
        the window: {term: n}, {story id: {terms}}, {story id}."""
        if not terms:
            return {}, {}, set()
        window, args = self._window(published, days)
        marks = ",".join("?" * len(terms))
        rows = self.db.execute(f"select st.term, st.story_id from story_terms st join stories on stories.id = "
                               f"st.story_id where st.term in ({marks}) and ({window})", [*terms, *args]).fetchall()
        spread, held = Counter(), defaultdict(set)
        for term, story_id in rows:
            spread[term] += 1
            held[story_id].add(term)
        recent = set(held)
        if rare:
            older = set()
            for term in terms:
                ids = [r[0] for r in self.db.execute("select story_id from story_terms where term = ? limit ?",
                                                     [term, rare + 1])]
                spread[term] = max(spread[term], len(ids))
                if len(ids) <= rare:
                    older.update(i for i in ids if i not in recent)
            if older:
                ids = sorted(older)
                rows = self.db.execute(f"select story_id, term from story_terms where story_id in "
                                       f"({','.join('?' * len(ids))}) and term in ({marks})", [*ids, *terms])
                for story_id, term in rows:
                    held[story_id].add(term)
        return dict(spread), dict(held), recent

    def story(self, story_id: int) -> dict:
        row = self._one("select * from stories where id = ?", [story_id])
        return {**row, "terms": json.loads(row["terms"] or "{}")}

    def update_story(self, story_id: int, terms: dict[str, int], label: str | None = None,
                     published: str | None = None) -> None:
        """Add an article's names to a story; a story first labelled by a title-less article's
        opening words takes the first real headline that joins it."""
        self.db.execute("update stories set terms = ?, updated = ?, articles = articles + 1 where id = ?",
                        [json.dumps(terms), now(), story_id])
        self._index_story(story_id, terms)
        if label:
            self.db.execute("update stories set label = ?, titled = 1 where id = ?", [label, story_id])
        if published:
            self.db.execute("update stories set last_published = max(coalesce(last_published, ''), ?) where id = ?",
                            [published[:10], story_id])

    # people
    def people(self) -> Directory:
        """Everything learned about actors. Read once per connection and then kept up to date
        by save_people; read again only when another connection has written the store
        (PRAGMA data_version tells), so an article costs the same however much is known."""
        version = self.db.execute("PRAGMA data_version").fetchone()[0]
        if self._people is None or version != self._people_version:
            self._people = Directory((r["key"], Actor(tuple(tuple(level) for level in json.loads(r["levels"]))))
                                     for r in self.db["people"].rows)
            self._people_version = version
        return self._people

    def save_people(self, entries) -> None:
        """People with their bodies, learned places ("place:X") and acronyms ("alias:X")."""
        kept = [(key, a) for key, a in entries if len(a.levels) > 1 or not key.startswith("p:")]
        if kept:
            for key, a in kept:
                self._insert("people", {"key": key, "name": a.name, "levels": json.dumps(a.levels)}, upsert=("key",))
        if self._people is not None:
            for key, actor in kept:
                self._people[key] = actor

    # subjects and figures
    def subject(self, key: str) -> dict | None:
        return self._one("select * from subjects where key = ?", [key])

    def add_subject(self, row: dict) -> None:
        self._insert("subjects", row, ignore=True)

    def common_place(self, story_id: int, cls: str) -> str | None:
        """The place most figures of this class in the story are scoped to."""
        row = self._one("select s.place, count(*) n from claims c join subjects s on s.key = c.subject_key "
                        "where s.story_id = ? and s.cls = ? and s.place is not null group by s.place "
                        "order by n desc limit 1", [story_id, cls])
        return row["place"] if row else None

    def latest_figures(self, subject_key: str) -> list[dict]:
        return list(self.db.query(
            "select f.*, c.sentence, a.url, a.origin, a.published from figure_latest f "
            "join claims c on c.id = f.claim_id join articles a on a.id = f.article_id "
            "where f.subject_key = ? order by f.article_id, f.claim_id", [subject_key]))

    def set_latest_figure(self, row: dict) -> None:
        self._insert("figure_latest", row, upsert=("subject_key", "source_key"))

    # topics and stances
    def topics(self, story_id: int) -> list[dict]:
        return [{**r, "terms": json.loads(r["terms"] or "[]")}
                for r in self.db.query("select * from topics where story_id = ? order by id", [story_id])]

    def add_topic(self, row: dict) -> int:
        return self._insert("topics", {**row, "terms": json.dumps(sorted(row["terms"]))})

    def update_topic(self, topic_id: int, **fields) -> None:
        if "terms" in fields:
            fields["terms"] = json.dumps(sorted(fields["terms"]))
        self.db["topics"].update(topic_id, fields)

    def latest_stance(self, topic_id: int, level_key: str) -> dict | None:
        return self._one("select s.*, c.sentence, a.url, a.origin, a.published from stance_latest s "
                         "join claims c on c.id = s.claim_id join articles a on a.id = s.article_id "
                         "where s.topic_id = ? and s.level_key = ?", [topic_id, level_key])

    def set_latest_stance(self, row: dict) -> None:
        self._insert("stance_latest", row, upsert=("topic_id", "level_key"))

    # claims and alerts
    def add_claim(self, row: dict) -> int:
        return self._insert("claims", row)

    def add_alert(self, row: dict) -> int:
        """Stored whether muted or not; a mute that matches is named in `muted` (mutes.py)."""
        mute = None
        mutes = _mutes.active(self.db, now())
        if mutes:
            story = self._one("select label from stories where id = ?", [row.get("story_id")])
            label = story["label"] if story else None
            mute = _mutes.matching(mutes, row, label)
        return self._insert("alerts", {**row, "created": now(), "muted": mute and _mutes.describe(mute)})

    def add_mute(self, field: str, text: str, until: str | None) -> dict:
        """A mute of `field` and `text`; muting the same again (case aside) sets its end anew."""
        with self.transaction():
            same = self._one("select id from mutes where field = ? and lower(text) = lower(?)", [field, text])
            if same:
                pk = same["id"]
                self.db.execute("update mutes set until = ? where id = ?", [until, pk])
            else:
                pk = self._insert("mutes", {"field": field, "text": text, "until": until, "created": now()})
        return self._one("select * from mutes where id = ?", [pk])

    def remove_mutes(self, field: str | None = None, text: str | None = None, mute_id: int | None = None) -> int:
        """Mutes removed: by id, or by field and text (case-insensitive); the count."""
        with self.transaction():
            if mute_id is not None:
                cursor = self.db.execute("delete from mutes where id = ?", [mute_id])
            else:
                cursor = self.db.execute("delete from mutes where field = ? and lower(text) = lower(?)",
                                         [field, text])
        return cursor.rowcount

    def mutes(self) -> list[dict]:
        """Every mute, those that ended too (their `until` is past), oldest first."""
        return list(self.db.query("select * from mutes order by id"))

    def alerts(self, since_id: int = 0, run_id: int | None = None, since: str | None = None) -> list[dict]:
        """Alerts oldest first: after an id, of one run, or raised at or after `since` (ISO 8601, UTC)."""
        sql, args = "select * from alerts where id > ?", [since_id]
        if run_id is not None:
            sql, args = sql + " and run_id = ?", args + [run_id]
        if since is not None:
            sql, args = sql + " and created >= ?", args + [since]
        return list(self.db.query(sql + " order by id", args))

    def recent_alerts(self, limit: int) -> list[dict]:
        """The latest `limit` alerts, oldest first."""
        return list(self.db.query("select * from (select * from alerts order by id desc limit ?) order by id",
                                  [limit]))

    def alerts_about(self, subject_key: str) -> list[dict]:
        """Alerts on a figure subject (its key) or a topic (its "topic:ID" key, every actor level)."""
        prefix = subject_key + ":"            # a prefix compared as text: keys hold LIKE's wildcards
        return list(self.db.query("select * from alerts where subject_key = ? or substr(subject_key, 1, ?) = ? "
                                  "order by id", [subject_key, len(prefix), prefix]))

    def figure_history(self, subject_key: str) -> list[dict]:
        """Every figure claim of a subject, in arrival order, with its article."""
        return list(self.db.query(
            "select c.id claim_id, c.article_id, c.actor_key, c.actor, c.value, c.low, c.high, c.vague, c.unit, "
            "c.qualifier, c.sentence, c.past, a.published, a.url, a.origin, a.title, a.ingested "
            "from claims c join articles a on a.id = c.article_id where c.subject_key = ? order by c.article_id, c.id",
            [subject_key]))

    def topic_history(self, topic_id: int) -> list[dict]:
        """Every position claim on a topic, in arrival order, with its article."""
        return list(self.db.query(
            "select c.id claim_id, c.article_id, c.actor_key, c.actor, c.stance, c.cue, c.sentence, c.past, "
            "a.published, a.url, a.origin, a.title, a.ingested "
            "from claims c join articles a on a.id = c.article_id where c.topic_id = ? order by c.article_id, c.id",
            [topic_id]))

    def find_subjects(self, text: str) -> list[dict]:
        like = f"%{text}%"
        return list(self.db.query("select * from subjects where label like ? or key like ? order by story_id, label",
                                  [like, like]))

    def find_topics(self, text: str) -> list[dict]:
        return list(self.db.query("select * from topics where label like ? order by story_id, id", [f"%{text}%"]))

    def article(self, ref: str) -> dict | None:
        """An article by id, URL or the path given to ingest; the latest version wins. An id
        past SQLite's 64-bit integers is no article's (binding it would overflow)."""
        if re.fullmatch("[0-9]+", ref):
            return self._one("select * from articles where id = ?", [int(ref)]) if int(ref) <= MAX_ROWID else None
        return self._one("select * from articles where url = ? or canonical = ? or origin = ? "
                         "order by id desc limit 1", [ref, ref, ref])

    def claims_of(self, article_id: int) -> list[dict]:
        return list(self.db.query(
            "select c.*, s.label subject, t.label topic, t.terms topic_terms, p.levels actor_levels from claims c "
            "left join subjects s on s.key = c.subject_key left join topics t on t.id = c.topic_id "
            "left join people p on p.key = c.actor_key where c.article_id = ? order by c.id", [article_id]))

    def run_errors(self, since: str | None = None, run_ids: list[int] | None = None) -> list[dict]:
        """Errors and warnings of runs started at or after `since`, or of the given runs: one
        row per line, its `kind` "error" or "warning"."""
        columns = "id, started, errors, warnings"
        if run_ids is not None:
            marks = ",".join("?" * len(run_ids))
            rows = self.db.query(f"select {columns} from runs where id in ({marks}) order by id", run_ids)
        else:
            rows = self.db.query(f"select {columns} from runs where started >= ? order by id", [since or ""])
        return [{"run_id": r["id"], "started": r["started"], "error": line, "kind": kind}
                for r in rows for kind in ("error", "warning") for line in json.loads(r[kind + "s"] or "[]")]

    # deliveries
    def pending_alerts(self, notifier: str, limit: int = -1) -> list[dict]:
        """Alerts this notifier has not delivered yet, oldest first (the first `limit` of them)."""
        return list(self.db.query(
            "select a.* from alerts a left join deliveries d on d.alert_id = a.id and d.notifier = ? "
            "where d.alert_id is null and a.muted is null order by a.id limit ?", [notifier, limit]))

    def mark_delivered(self, notifier: str, alert_ids: list[int]) -> None:
        """Record a delivery; one transaction, so a crash leaves all of a message's alerts pending or none."""
        with self.transaction():
            self.db["deliveries"].insert_all(
                [{"notifier": notifier, "alert_id": i, "delivered": now()} for i in alert_ids],
                pk=("notifier", "alert_id"), ignore=True)

    def last_run_id(self) -> int | None:
        """The latest run that raised alerts, of any command: an `ingest`, a `run`, a daemon's pass."""
        row = self._one("select max(id) id from runs where alerts_added > 0", [])
        return row["id"] if row else None

    def story_labels(self) -> dict[int, str]:
        return {r["id"]: r["label"] for r in self.db.query("select id, label from stories")}

    def current_labels(self, story_ids) -> dict[int, str]:
        """The latest headline of each of these stories that has one (labels.py)."""
        return _current_labels(self.db, story_ids)

    # retention
    def prune(self, before: str, vacuum: bool = True) -> PruneReport:
        """Drop the text of the articles ingested before `before` (ISO 8601, UTC) and keep
        everything else: rows, claims, baselines, alerts (prune.py says why). ValueError for
        a cutoff that is no time; StoreError when the store cannot be written."""
        return _prune(self, before, vacuum)

    def _insert(self, table: str, row: dict, ignore: bool = False, upsert: tuple[str, ...] = ()) -> int:
        """One row by a plain INSERT: the per-article writes go here. sqlite-utils' insert reads
        the table's schema on every call, which was 3 of the 5 ms an article spent storing
        (profiled on the benchmark pages); the schema is fixed by SCHEMA, so it need not."""
        unknown = set(row) - set(SCHEMA[table])
        if unknown:
            raise StoreError(f"{self.path}: no column {sorted(unknown)[0]!r} in {table}")
        columns = ", ".join(f'"{c}"' for c in row)
        sql = f'INSERT {"OR IGNORE " if ignore else ""}INTO "{table}" ({columns}) VALUES ({", ".join("?" * len(row))})'
        if upsert:
            updates = ", ".join(f'"{c}" = excluded."{c}"' for c in row if c not in upsert)
            sql += f' ON CONFLICT ({", ".join(upsert)}) DO ' + (f"UPDATE SET {updates}" if updates else "NOTHING")
        return self.db.conn.execute(sql, list(row.values())).lastrowid

    def _one(self, sql: str, args: list) -> dict | None:
        rows = list(self.db.query(sql, args))
        return rows[0] if rows else None

    def close(self) -> None:
        self.db.conn.close()
