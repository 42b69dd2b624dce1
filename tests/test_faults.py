"""Crash safety: `kill -9` mid-ingest, mid-run and mid-notify, many times at random points.

Each cycle starts a fresh store and kills the command at a random moment until one attempt
runs to its end; then the store must pass `PRAGMA integrity_check` and hold exactly what an
uninterrupted run stores (no article, claim or alert lost or duplicated), every digest file
must be whole, and each kill may have repeated at most one notification. Runs killed before
they finished are recorded as "interrupted".

MONITOR_KILLS sets the kills per loop (default 50; CI runs 20 per loop for the run and
notify loops, which cost a pass each). The seed is printed, and MONITOR_KILL_SEED replays it.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import feedparser
import pytest
from localserver import Server, write_config

ROOT = Path(__file__).parent.parent
FULL = int(os.environ.get("MONITOR_KILLS", "50"))
KILLS_INGEST = FULL
KILLS_PASS = FULL if "MONITOR_KILLS" in os.environ or not os.environ.get("CI") else 20
SEED = int(os.environ.get("MONITOR_KILL_SEED", str(int(time.time()))))

pytestmark = pytest.mark.slow


def corpus() -> list[Path]:
    """The seeds and the eight test stories, each in its arrival order: 40 files, 45 articles."""
    folders = [ROOT / "fixtures" / "seeds", *sorted((ROOT / "tests" / "stories").glob("*/")),
               *sorted((ROOT / "tests" / "validation").glob("*/"))]
    return [folder / name for folder in folders
            for name in json.loads((folder / "expected-alerts.json").read_text())["articles"]]


def monitor(*args) -> list[str]:
    return [sys.executable, "-m", "monitor", *map(str, args)]


def snapshot(db: Path) -> dict:
    """What a store holds, without times, run ids and the paths articles came from."""
    conn = sqlite3.connect(db)
    try:
        q = lambda sql: conn.execute(sql).fetchall()
        return {
            "articles": q("select id, fingerprint, version, title, published, story_id from articles order by id"),
            "claims": q("select id, article_id, kind, subject_key, topic_id, actor_key, value, low, high, stance, "
                        "sentence, past from claims order by id"),
            "alerts": q("select id, article_id, kind, change, subject, subject_key, actor, value, previous_value, "
                        "stance, previous_stance, evidence, previous_evidence from alerts order by id"),
            "stories": q("select id, label, articles from stories order by id"),
            "people": q("select key, levels from people order by key"),
            "subjects": q("select key, label from subjects order by key"),
            "topics": q("select id, story_id, label, terms from topics order by id"),
            "figure_latest": q("select * from figure_latest order by subject_key, source_key"),
            "stance_latest": q("select * from stance_latest order by topic_id, level_key"),
        }
    finally:
        conn.close()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("pragma integrity_check").fetchone()[0]
    finally:
        conn.close()


def runs(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [s for s, in conn.execute("select status from runs order by id")]
    finally:
        conn.close()


def kill_until_done(argv: list[str], rng: random.Random, window: tuple[float, float], env=None) -> int:
    """Start `argv`, SIGKILL it after a random delay, again and again until one run ends by
    itself (exit 0). Returns how many times it was killed."""
    kills = 0
    while True:
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        try:
            _, err = process.communicate(timeout=rng.uniform(*window))
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.communicate()
            kills += 1
            continue
        assert process.returncode == 0, f"{argv[3:]} exited {process.returncode}: {err.decode()[-2000:]}"
        return kills


def timed(argv: list[str]) -> float:
    start = time.monotonic()
    subprocess.run(argv, check=True, capture_output=True)
    return time.monotonic() - start


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The store of one uninterrupted ingest of the corpus, and how long that took."""
    db = tmp_path_factory.mktemp("reference") / "reference.db"
    seconds = timed(monitor("ingest", "--db", db, *corpus()))
    return db, snapshot(db), seconds


def test_the_corpus_raises_alerts_to_lose(reference):
    _, snap, _ = reference
    assert len(snap["articles"]) == 45 and len(snap["alerts"]) >= 40


def test_kill_9_mid_ingest_loses_and_duplicates_nothing(reference, tmp_path):
    _, expected, seconds = reference
    rng, kills, cycle = random.Random(SEED), 0, 0
    print(f"kill seed {SEED}")
    while kills < KILLS_INGEST:
        db = tmp_path / f"cycle{cycle}.db"
        killed = kill_until_done(monitor("ingest", "--db", db, *corpus()), rng, (0.1, seconds * 1.1))
        kills += killed
        assert integrity(db) == "ok"
        assert snapshot(db) == expected, f"cycle {cycle} after {killed} kills (seed {SEED})"
        statuses = runs(db)
        assert statuses[-1] == "ok" and set(statuses) <= {"ok", "interrupted"}
        assert statuses.count("interrupted") <= killed
        subprocess.run(monitor("ingest", "--db", db, *corpus()), check=True, capture_output=True)
        assert snapshot(db) == expected, "ingesting everything again added something"
        cycle += 1
    assert kills >= KILLS_INGEST


# ---- mid-run and mid-notify: a files source, and file, atom and webhook notifiers ----------------

def folder_of_articles(tmp_path: Path) -> Path:
    """The corpus as one folder whose name order is the arrival order."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for i, path in enumerate(corpus()):
        shutil.copy(path, folder / f"{i:03d}_{path.name}")
    return folder


def notifiers(out: Path, receiver: Server) -> list[dict]:
    return [{"name": "digests", "kind": "file", "path": str(out), "format": "html"},
            {"name": "feed", "kind": "atom", "path": str(out / "alerts.atom")},
            {"name": "hook", "kind": "webhook", "url": receiver.url("/hook"), "timeout": "10s"}]


def posted_batches(receiver: Server) -> list[list[str]]:
    return [[a["evidence"] for a in json.loads(r.body)["alerts"]] for r in receiver.requests if r.method == "POST"]


def check_outputs(db: Path, out: Path, receiver: Server, kills: int, expected: dict) -> None:
    alerts = [row[11] for row in expected["alerts"]]
    # every digest file whole: a complete page, the last one also as latest.html
    digests = sorted(out.glob("digest-*.html"))
    assert 1 <= len(digests) <= 1 + kills
    for page in digests:
        text = page.read_text()
        assert text.startswith("<!doctype html>") and text.rstrip().endswith("</html>"), page.name
    assert (out / "latest.html").read_text() == digests[-1].read_text()
    assert not [p for p in out.iterdir() if not p.name.startswith(".") and p.suffix not in (".html", ".atom")]
    feed = feedparser.parse(str(out / "alerts.atom"))
    assert not feed.bozo and len(feed.entries) == len(alerts)
    # webhook: every alert delivered; each kill repeats at most one message
    batches = posted_batches(receiver)
    assert sorted({e for b in batches for e in b}) == sorted(set(alerts))
    assert len(batches) - 1 <= kills
    conn = sqlite3.connect(db)
    try:
        for name in ("digests", "feed", "hook"):
            [(n,)] = conn.execute("select count(*) from deliveries where notifier = ?", [name]).fetchall()
            assert n == len(alerts), name
    finally:
        conn.close()


def run_config(home: Path, articles: Path, receiver: Server) -> Path:
    home.mkdir()
    return write_config(home, [{"name": "articles", "kind": "files", "path": str(articles), "every": "1s"}],
                        notifiers=notifiers(home / "out", receiver))


def notify_config(home: Path, reference_db: Path, receiver: Server) -> Path:
    home.mkdir()
    shutil.copy(reference_db, home / "monitor.db")
    return write_config(home, [], notifiers=notifiers(home / "out", receiver))


@contextmanager
def hook_receiver():
    with Server() as receiver:
        receiver.route("/hook", lambda h, q: h.send(204, b"", "text/plain"))
        yield receiver


def kill_pass_cycles(tmp_path: Path, command: str, make_config, expected: dict, seed: int) -> None:
    """Cycles of `monitor COMMAND --config` killed at random until one ends, each on a fresh
    home that make_config(home, receiver) prepares; then the store and every output checked."""
    with hook_receiver() as receiver:
        seconds = timed(monitor(command, "--config", make_config(tmp_path / "warm", receiver), "-q"))
    rng, kills, cycle = random.Random(seed), 0, 0
    print(f"kill seed {seed}")
    while kills < KILLS_PASS:
        with hook_receiver() as receiver:
            home = tmp_path / f"cycle{cycle}"
            cfg = make_config(home, receiver)
            killed = kill_until_done(monitor(command, "--config", cfg, "-q"), rng, (0.1, seconds * 1.1))
            kills += killed
            db = home / "monitor.db"
            assert integrity(db) == "ok"
            assert snapshot(db) == expected, f"cycle {cycle} after {killed} kills (seed {seed})"
            statuses = runs(db)
            assert statuses[-1] == "ok" and set(statuses) <= {"ok", "interrupted"}
            check_outputs(db, home / "out", receiver, killed, expected)
        cycle += 1
    assert kills >= KILLS_PASS


def test_kill_9_mid_run_loses_nothing_and_repeats_at_most_one_notification_per_kill(tmp_path):
    """The expected store is an uninterrupted run's (the outlet, when unattributed, is named
    after the file, and these files carry an order prefix)."""
    articles = folder_of_articles(tmp_path)
    with hook_receiver() as receiver:
        subprocess.run(monitor("run", "--config", run_config(tmp_path / "expected", articles, receiver), "-q"),
                       check=True, capture_output=True)
    expected = snapshot(tmp_path / "expected" / "monitor.db")
    kill_pass_cycles(tmp_path, "run", lambda home, receiver: run_config(home, articles, receiver), expected,
                     SEED + 1)


def test_kill_9_mid_notify_repeats_at_most_one_notification_per_kill(reference, tmp_path):
    reference_db, expected, _ = reference
    kill_pass_cycles(tmp_path, "notify", lambda home, receiver: notify_config(home, reference_db, receiver),
                     expected, SEED + 2)
