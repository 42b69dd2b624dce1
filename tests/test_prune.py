"""Retention (issue 15, deliverable 5): Store.prune drops old articles' text and keeps what
later articles and the alerts need. The key test plays stories with a prune in the middle
and compares every alert, claim and baseline with a store that never pruned. Real stores,
real ingest, no mocks."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import invoke
from monitor.errors import StoreError
from monitor.pipeline import ingest_paths
from monitor.store import PruneReport, Store
from monitor.store import prune as prune_module
from monitor.store.prune import cutoff

TESTS = Path(__file__).parent
SEEDS = TESTS.parent / "fixtures" / "seeds"
# The labelled story folders, each with its arrival order in expected-alerts.json: the seed
# story, the development stories and the validation stories (docs/measured.md).
FOLDERS = [SEEDS, *sorted(p.parent for p in TESTS.glob("stories/*/expected-alerts.json")),
           *sorted(p.parent for p in TESTS.glob("validation/*/expected-alerts.json"))]
# A cutoff after every article a test ingests: "prune everything before now".
FUTURE = "2999-01-01T00:00:00Z"
# Columns that say when something happened, or which run did it: they differ between two
# plays of the same articles whatever pruning does.
TIMES = {"created", "updated", "ingested", "run_id", "delivered"}
# The tables a later article's claims, story, diff and alerts are made from (monitor/pipeline.py,
# stories.py, diff.py, topic_identity.py), and the alerts themselves.
DERIVED = ["stories", "story_terms", "people", "subjects", "topics", "claims", "figure_latest",
           "stance_latest", "alerts"]


def articles_of(folder: Path) -> list[Path]:
    return [folder / name for name in json.loads((folder / "expected-alerts.json").read_text())["articles"]]


def play(store: Store, files: list[Path]) -> list:
    """One ingest call per file, in order, as the scorer does; the alerts raised."""
    alerts = []
    for path in files:
        report = ingest_paths(store, [str(path)])
        assert report.ok, report.errors
        alerts += report.alerts
    return alerts


def prune_from_elsewhere(path: Path, before: str = FUTURE) -> PruneReport:
    """A prune by another connection, as `monitor prune` from cron beside a running daemon."""
    other = Store(path)
    try:
        return other.prune(before)
    finally:
        other.close()


def snapshot(store: Store) -> dict[str, list]:
    """Every derived table's rows but their times, and the articles' rows but their text and
    times, in a stable order: what two plays of the same articles must agree on."""
    out = {}
    for table in DERIVED:
        columns = [c for c in store.db[table].columns_dict if c not in TIMES]
        order = ", ".join(store.db[table].pks)
        out[table] = [tuple(r) for r in store.db.execute(f"select {', '.join(columns)} from {table} order by {order}")]
    kept = [c for c in store.db["articles"].columns_dict if c not in TIMES | {"text"}]
    out["articles"] = [tuple(r) for r in store.db.execute(f"select {', '.join(kept)} from articles order by id")]
    return out


def alert_records(store: Store) -> list[dict]:
    """The alerts, all fields but ids and times; the article and story named, not numbered."""
    rows = store.db.query("select al.*, a.origin as article_origin, s.label as story_label from alerts al "
                          "join articles a on a.id = al.article_id left join stories s on s.id = al.story_id "
                          "order by al.id")
    return [{k: v for k, v in r.items() if k not in {"id", "run_id", "article_id", "story_id", "created"}}
            for r in rows]


def texts(store: Store) -> dict[str, str | None]:
    return {r["origin"]: r["text"] for r in store.db.query("select origin, text from articles order by id")}


def on_disk(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


# ---- the key test: later alerts are the same with and without pruning ------------------------------

@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_pruning_between_halves_leaves_every_later_alert_the_same(tmp_path, folder):
    files = articles_of(folder)
    half = len(files) // 2
    plain = Store(tmp_path / "plain.db")
    play(plain, files[:half])
    plain_alerts = play(plain, files[half:])

    pruned = Store(tmp_path / "pruned.db")
    play(pruned, files[:half])
    first = pruned.db.execute("select max(id) from articles").fetchone()[0]     # a feed file holds several
    report = prune_from_elsewhere(tmp_path / "pruned.db")
    assert report.articles == first and report.vacuumed
    pruned_alerts = play(pruned, files[half:])

    assert plain_alerts, f"{folder.name}: its second half raises alerts; the test would prove nothing"
    assert pruned_alerts == plain_alerts                     # what the second half raised
    assert alert_records(pruned) == alert_records(plain)     # every alert as stored
    assert snapshot(pruned) == snapshot(plain)                # claims, baselines, stories, people
    kept = [r[0] for r in pruned.db.execute("select text from articles order by id")]
    assert kept[:first] == [None] * first and all(kept[first:])
    plain.close()
    pruned.close()


def test_pruning_after_every_article_of_all_stories_in_one_store_changes_no_alert(tmp_path):
    """Every story interleaved in one store (as the README's mixed score plays them), with
    everything pruned after each arrival: every split of every story at once."""
    queues = [articles_of(folder) for folder in FOLDERS]
    order = [q[i] for i in range(max(map(len, queues))) for q in queues if i < len(q)]
    plain, pruned = Store(tmp_path / "plain.db"), Store(tmp_path / "pruned.db")
    for path in order:
        play(plain, [path])
        play(pruned, [path])
        prune_from_elsewhere(tmp_path / "pruned.db")
    assert len(alert_records(plain)) >= 40                    # the README's 42 alerts, give or take
    assert alert_records(pruned) == alert_records(plain)
    assert snapshot(pruned) == snapshot(plain)
    assert set(texts(pruned).values()) == {None}
    plain.close()
    pruned.close()


# ---- what goes and what stays ------------------------------------------------------------------------

COUNTED = ["articles", "claims", "alerts", "figure_latest", "stance_latest", "stories", "story_terms", "people",
           "subjects", "topics", "runs"]


def counts(store: Store) -> dict[str, int]:
    return {t: store.db.execute(f"select count(*) from {t}").fetchone()[0] for t in COUNTED}


def test_pruned_text_is_gone_and_rows_claims_and_alerts_stay(store):
    seeds = articles_of(SEEDS)
    play(store, seeds)
    before, alerts, rows = counts(store), alert_records(store), snapshot(store)

    report = store.prune(FUTURE)

    assert report.articles == len(seeds)
    assert store.db.execute("select count(*) from articles where text is not null").fetchone()[0] == 0
    assert counts(store) == before
    assert alert_records(store) == alerts and snapshot(store) == rows
    # every alert stays checkable from its evidence; every claim keeps its sentence
    assert all(a["evidence"] for a in alerts)
    assert store.db.execute("select count(*) from claims where sentence is null or sentence = ''").fetchone()[0] == 0
    # each row keeps what de-duplication and the readers use
    assert store.db.execute("select count(*) from articles where fingerprint is null or origin is null "
                            "or ingested is null").fetchone()[0] == 0


def test_the_full_text_index_forgets_the_text_and_keeps_the_titles(store):
    play(store, [SEEDS / "002_e74a1e7ff637e6bf.txt"])
    [article] = store.db.query("select id, title from articles")
    body_word, title_word = "Vladivostok", "Lawmaker"        # "…the Russian port city of Vladivostok…"
    assert [r["id"] for r in store.db["articles"].search(body_word)] == [article["id"]]
    store.prune(FUTURE)
    assert list(store.db["articles"].search(body_word)) == []
    assert [r["id"] for r in store.db["articles"].search(title_word)] == [article["id"]]


def test_a_pruned_article_arriving_again_is_a_duplicate(store):
    seeds = articles_of(SEEDS)
    play(store, seeds)
    store.prune(FUTURE)
    rows = snapshot(store)
    for path in seeds:
        report = ingest_paths(store, [str(path)])
        assert (report.added, report.duplicates, report.alerts) == (0, 1, []), path.name
    assert snapshot(store) == rows
    assert store.db.execute("select count(*) from articles").fetchone()[0] == len(seeds)


def test_articles_newer_than_the_cutoff_keep_their_text(store):
    seeds = articles_of(SEEDS)
    play(store, seeds)
    original = texts(store)
    # The first two arrived 200 days ago: the store stamps `ingested` itself, so age them.
    old = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=200)).isoformat(timespec="seconds")
    store.db.execute("update articles set ingested = ? where origin in (?, ?)", [old, str(seeds[0]), str(seeds[1])])
    # "older than 180 days", given in another zone: the cutoff is compared in UTC
    when = (dt.datetime.now(dt.timezone(dt.timedelta(hours=2))) - dt.timedelta(days=180)).isoformat()

    report = store.prune(when)

    assert report.articles == 2
    kept = texts(store)
    assert [kept[str(p)] for p in seeds[:2]] == [None, None]
    assert all(kept[str(p)] == original[str(p)] and original[str(p)] for p in seeds[2:])


def _many_articles(folder: Path, count: int) -> list[Path]:
    """`count` distinct articles made from the seeds: each with a sentence of its own, so
    none is a duplicate (as bench/ingest.py makes its 2,000 from the benchmark pages)."""
    seeds = [p for p in articles_of(SEEDS) if not p.read_text().startswith("{")]    # text and Markdown
    made = []
    for i in range(count):
        paragraphs = seeds[i % len(seeds)].read_text().split("\n\n")
        paragraphs.insert(2, f"The archive holds this copy under the reference code zq{i}x, assigned by the "
                             f"desk on Monday to the wire story.")
        path = folder / f"copy{i:03}.txt"
        path.write_text("\n\n".join(paragraphs))
        made.append(path)
    return made


def test_the_file_shrinks_after_pruning_a_store_of_many_articles(tmp_path, monkeypatch):
    monkeypatch.setattr(prune_module, "BATCH", 16)             # several batches, with fewer articles
    path = tmp_path / "many.db"
    store = Store(path)
    files = _many_articles(tmp_path, 60)
    report = ingest_paths(store, [str(p) for p in files])
    assert report.added == len(files)

    pruned = store.prune(FUTURE)

    assert pruned.articles == len(files) and pruned.vacuumed
    assert pruned.bytes_after == on_disk(path)
    # The seeds' text is 2-20 kB an article, about half of what a store holds of one (text,
    # its index, claims, stories): measured 4.2 MB -> 1.9 MB for 320 such articles.
    assert pruned.bytes_after < 0.7 * pruned.bytes_before, pruned
    assert store.db.execute("PRAGMA freelist_count").fetchone()[0] == 0
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()


def test_pruning_twice_is_a_no_op_the_second_time(tmp_path):
    path = tmp_path / "twice.db"
    store = Store(path)
    play(store, articles_of(SEEDS))
    first = store.prune(FUTURE)
    rows, digest = snapshot(store), hashlib.sha256(path.read_bytes()).hexdigest()

    second = store.prune(FUTURE)

    assert first.articles == len(articles_of(SEEDS))
    assert second == PruneReport(cutoff(FUTURE), 0, first.bytes_after, first.bytes_after, False)
    assert snapshot(store) == rows
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest     # not a byte written
    store.close()


def test_a_prune_without_vacuum_is_finished_by_the_next_prune(tmp_path):
    """As when a prune is killed between its last batch and its VACUUM: the text is gone,
    the space not yet given back; the next prune finds nothing to drop and vacuums."""
    path = tmp_path / "later.db"
    store = Store(path)
    play(store, _many_articles(tmp_path, 40))
    early = store.prune(FUTURE, vacuum=False)
    assert early.articles == 40 and not early.vacuumed

    late = store.prune(FUTURE)

    assert late.articles == 0 and late.vacuumed and late.bytes_after < early.bytes_after
    assert store.db.execute("PRAGMA freelist_count").fetchone()[0] == 0
    store.close()


# ---- readers of a pruned store ------------------------------------------------------------------------

READERS = [("alerts", "--json"), ("digest", "--format", "text"), ("digest", "--format", "md"),
           ("digest", "--format", "html"), ("history", "troops", "--evidence"),
           ("claims", str(SEEDS / "003_9bed968189c1b957.txt")), ("claims", "1")]


def _read(db: Path) -> list[str]:
    """Each reader's output, with the digest's own "made" time taken out."""
    outputs = []
    for argv in READERS:
        result = invoke(argv[0], "--db", db, *argv[1:])
        assert result.exit_code == 0, (argv, result.stderr)
        outputs.append(re.sub(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?( ?UTC|Z|\+00:00)?", "TIME", result.stdout))
    return outputs


def test_digests_history_and_the_claims_inspector_read_a_pruned_store_as_before(tmp_path):
    """None of them shows an article's text: evidence is the claims' sentences, which stay."""
    db = tmp_path / "read.db"
    store = Store(db)
    play(store, articles_of(SEEDS))
    shown = _read(db)
    store.prune(FUTURE)
    assert _read(db) == shown
    store.close()


# ---- refusals --------------------------------------------------------------------------------------

def _immutable(path: Path, on: bool) -> bool:
    """chattr +i: read-only even for root (tests run as root here); False where unsupported
    (as tests/test_hostile.py does it)."""
    chattr = shutil.which("chattr")
    if chattr is None:
        return False
    return subprocess.run([chattr, "+i" if on else "-i", str(path)], capture_output=True).returncode == 0


def test_a_read_only_store_refuses_to_prune_with_the_usual_error(tmp_path):
    db = tmp_path / "ro.db"
    store = Store(db)
    play(store, articles_of(SEEDS)[:2])
    store.close()
    if not _immutable(db, True):
        db.chmod(0o444)
        if sys.platform != "win32" and __import__("os").access(db, __import__("os").W_OK):
            pytest.skip("cannot make a file read-only here (root without chattr)")
    try:
        store = Store(db)
        with pytest.raises(StoreError, match="ro.db: the store is read-only"):
            store.prune(FUTURE)
        assert None not in texts(store).values()
        store.close()
    finally:
        _immutable(db, False)
        db.chmod(0o644)


@pytest.mark.parametrize("given, read", [("2024-10-23", "2024-10-23T00:00:00+00:00"),
                                         ("2024-10-23T08:30:00Z", "2024-10-23T08:30:00+00:00"),
                                         ("2024-10-23T08:30:15.75+02:00", "2024-10-23T06:30:15+00:00"),
                                         ("2024-10-23T08:30", "2024-10-23T08:30:00+00:00")])
def test_the_cutoff_is_compared_in_utc_as_the_store_writes_times(given, read):
    assert cutoff(given) == read


@pytest.mark.parametrize("given", ["180d", "", "yesterday", "2024-13-01"])
def test_a_cutoff_that_is_no_time_is_refused_before_anything_is_written(store, given):
    play(store, articles_of(SEEDS)[:1])
    with pytest.raises(ValueError, match="not an ISO 8601 time"):
        store.prune(given)
    assert None not in texts(store).values()
