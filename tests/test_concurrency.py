"""The daemon writing while sqlite-utils and datasette read, another `monitor ingest` writes,
`monitor digest` reads, and cron's `monitor run` starts during a daemon pass.

Everything is real: the daemon is `python -m monitor daemon` in a subprocess fetching from a
local HTTP server whose feed has new articles on every request, the readers are the
`sqlite-utils` command and a `datasette` server, and cron's pass is `python -m monitor run`.
No user-facing output may say "database is locked"; `run` during a pass exits 3 and says why.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from localserver import Server, rss, write_config

ROOT = Path(__file__).parent.parent
BIN = Path(sys.executable).parent
# How long the daemon runs while the others read and write: enough for several passes of
# every source (intervals of one second) and a few slow passes.
WINDOW = 12.0

pytestmark = pytest.mark.slow


def stream(server: Server) -> str:
    """A feed with ten new articles on every request, each with a figure (so claims are written)."""
    count = {"n": 0}

    def fn(h, q):
        count["n"] += 1
        base = count["n"] * 10
        items = [{"title": f"Storm update {base + i}", "link": f"http://127.0.0.1/storm/{base + i}",
                  "guid": f"storm-{base + i}", "pubDate": "Mon, 04 Nov 2024 10:00:00 GMT",
                  "description": f"<p>The death toll from the storm in Portugal rose to {base + i} on Monday, "
                                 f"Portugal's civil protection agency said in its update number {base + i}.</p>"}
                 for i in range(10)]
        h.send(200, rss(items), "application/rss+xml")
    return server.route("/stream.xml", fn)


def slow_feed(server: Server) -> str:
    """A good feed that takes 2.5 s to answer: the daemon's pass over it holds the lock that
    long, every second (a source that failed would back off for a minute instead)."""
    body = rss([{"title": "Slow wire", "link": "http://127.0.0.1/slow/1", "guid": "slow-1",
                 "description": "<p>The toll rose to 12 in Portugal, officials said.</p>"}])

    def fn(h, q):
        server.stopping.wait(2.5)
        h.send(200, body, "application/rss+xml")
    return server.route("/slow.xml", fn)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Loop(threading.Thread):
    """Runs `step` until stopped, keeping every failure it returned."""

    def __init__(self, step):
        super().__init__(daemon=True)
        self.step, self.stop, self.failures, self.count = step, threading.Event(), [], 0

    def run(self):
        while not self.stop.is_set():
            failure = self.step()
            self.count += 1
            if failure:
                self.failures.append(failure)


def command(*argv) -> str | None:
    """None when the command succeeded and said nothing of a locked database; else what it said."""
    result = subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=120)
    said = result.stdout + result.stderr
    if result.returncode != 0 or "locked" in said.lower():
        return f"{argv[0]} {argv[1]}: exit {result.returncode}: {said[-500:]}"
    return None


def http_json(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            json.loads(response.read())
            return None if response.status == 200 else f"{url}: HTTP {response.status}"
    except Exception as exc:  # noqa: BLE001 - a reader's failure of any kind is what the test records
        return f"{url}: {type(exc).__name__}: {exc}"


def test_readers_writers_and_cron_alongside_the_daemon(tmp_path):
    datasette = BIN / "datasette"
    with Server() as server:
        slow = slow_feed(server)                                     # a pass that holds the lock ~2.5 s
        cfg = write_config(tmp_path, [
            {"name": "stream", "kind": "feed", "url": stream(server), "every": "1s", "fetch_article": False},
            {"name": "slow", "kind": "feed", "url": slow, "every": "1s", "fetch_article": False},
        ], fetch={"timeout": "10s"})
        db = tmp_path / "monitor.db"
        log = tmp_path / "daemon.log"
        with open(log, "wb") as out:
            daemon = subprocess.Popen([sys.executable, "-m", "monitor", "daemon", "--config", str(cfg)],
                                      stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=tmp_path)
        try:
            _wait_for_rows(db, "articles", 1)
            loops = [
                Loop(lambda: command(BIN / "sqlite-utils", "query", db, "select count(*) from claims")),
                Loop(lambda: command(BIN / "sqlite-utils", "rows", db, "alerts_view", "--limit", "5")),
                Loop(lambda: command(sys.executable, "-m", "monitor", "digest", "--db", db, "--format", "html")),
            ]
            server_proc = None
            if datasette.exists():
                port = free_port()
                server_proc = subprocess.Popen([str(datasette), "serve", str(db), "--port", str(port)],
                                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                _wait_for_port(port)
                loops.append(Loop(lambda: http_json(
                    f"http://127.0.0.1:{port}/monitor/articles.json?_shape=array&_size=5")))
                loops.append(Loop(lambda: http_json(
                    f"http://127.0.0.1:{port}/monitor.json?sql=select+count(*)+from+alerts_view&_shape=array")))
            for loop in loops:
                loop.start()
            # another writer: `monitor ingest` of the seeds while the daemon writes
            assert command(sys.executable, "-m", "monitor", "ingest", "--db", db,
                           *sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))) is None
            # cron starts passes during the daemon's: each ends 0 (between passes) or 3 (held)
            codes, deadline = [], time.monotonic() + WINDOW
            while time.monotonic() < deadline:
                result = subprocess.run([sys.executable, "-m", "monitor", "run", "--config", str(cfg), "-q",
                                         "--source", "stream"], capture_output=True, text=True, timeout=120)
                codes.append(result.returncode)
                assert "database is locked" not in result.stderr
                if result.returncode == 3:
                    assert "another monitor pass is running" in result.stderr and str(db) + ".lock" in result.stderr
                else:
                    assert result.returncode == 0, result.stderr
            for loop in loops:
                loop.stop.set()
            for loop in loops:
                loop.join(timeout=120)
                assert not loop.failures, loop.failures[:3]
                assert loop.count >= 2
            if server_proc is not None:
                server_proc.terminate()
                server_proc.wait(timeout=30)
        finally:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(timeout=60)
        said = log.read_text(errors="replace")
        assert daemon.returncode == 0, said[-2000:]
        assert "database is locked" not in said and "Traceback" not in said
        assert 3 in codes, f"no cron pass started during a daemon pass: {codes}"
        conn = sqlite3.connect(db)
        try:
            assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
            articles = conn.execute("select count(*) from articles").fetchone()[0]
            dupes = conn.execute("select count(*) - count(distinct fingerprint) from articles").fetchone()[0]
        finally:
            conn.close()
        assert articles >= 30 and dupes == 0


def _wait_for_rows(db: Path, table: str, n: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if db.exists():
            try:
                conn = sqlite3.connect(db, timeout=5)
                try:
                    if conn.execute(f"select count(*) from {table}").fetchone()[0] >= n:
                        return
                finally:
                    conn.close()
            except sqlite3.OperationalError:
                pass                                   # the schema is still being made
        time.sleep(0.2)
    raise AssertionError(f"{table} never reached {n} rows")


def _wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listens on {port}")
