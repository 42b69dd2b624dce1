"""Scheduling against a real HTTP server on 127.0.0.1: backoff and disabling, Retry-After per
host, the per-host limit, `status` and `enable`, the lock, and the daemon under SIGTERM.

`monitor run` is the real click command in-process (tests/conftest.py's `invoke`); the daemon
is `python -m monitor daemon` in a subprocess. Waits are bounded polls, never timing asserts.
"""
from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import invoke, rows
from localserver import EXTERNAL, Server, rss, write_config

from monitor import config as config_module
from monitor import schedule

pytestmark = pytest.mark.skipif(not EXTERNAL.is_dir(), reason=f"external test material not present at {EXTERNAL}")

REUTERS = "/ext/feeds/react-native-rss-parser_samples/reuters.xml"       # 10 items, all with text
GUARDIAN = "/ext/feeds/rss-parser_test_input/guardian.rss"                # 55 items, all with text
HEISE = "/ext-lm/feeds/rss-parser_test_input/heise.atom"                  # 15 entries, Last-Modified only


def feed(name: str, url: str, **kw) -> dict:
    return {"name": name, "kind": "feed", "url": url, "every": 0.01, "fetch_article": False, **kw}


def source_row(db: Path, name: str) -> dict:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        row = conn.execute("select * from sources where name = ?", [name]).fetchone()
        return dict(row) if row else {}
    finally:
        conn.close()


def status_fields(cfg: Path, name: str) -> dict:
    """The status row as a dict: the columns split on runs of two or more spaces."""
    result = invoke("status", "--config", cfg)
    lines = result.stdout.splitlines()
    header = re.split(r"\s{2,}", lines[0].strip())
    [line] = [line for line in lines[2:] if line.split()[:1] == [name]]
    starts = [lines[0].index(h) for h in header]
    cells = [line[a:b].strip() for a, b in zip(starts, starts[1:] + [len(line) + 1])]
    return dict(zip(header, cells))


# --- failures, backoff, disabling -----------------------------------------------------------------

def test_a_failing_source_backs_off_is_disabled_after_max_failures_and_can_be_enabled(server, tmp_path):
    server.status("/broken", 500)
    cfg = write_config(tmp_path, [feed("bad", server.url("/broken"), every="1m"), feed("good", server.url(REUTERS))],
                       fetch={"max_failures": 3})
    db = tmp_path / "monitor.db"

    first = invoke("run", "--config", cfg)
    assert first.exit_code == 1
    assert f"error: bad: {server.url('/broken')}: HTTP 500" in first.stderr
    assert rows(db, "select count(*) from articles") == [(10,)]            # the good source is stored
    row = source_row(db, "bad")
    assert (row["failures"], row["disabled"], row["last_result"]) == (1, 0, "error")
    wait = row["next_due"] - time.time()
    assert 60 * 0.8 - 5 <= wait <= 60 * 1.2 + 1, "backoff after one failure: about the 1-minute interval"
    fields = status_fields(cfg, "bad")
    assert (fields["state"], fields["result"], fields["failures"]) == ("on", "error", "1")
    assert "HTTP 500" in fields["last error"]

    # the next cron pass does not try it: it is backing off
    second = invoke("run", "--config", cfg)
    assert second.exit_code == 0, second.stderr
    assert len(server.hits("/broken")) == 1

    # named on the command line it is tried, due or not, and the failures add up
    third = invoke("run", "--config", cfg, "--source", "bad")
    assert third.exit_code == 1
    row = source_row(db, "bad")
    assert row["failures"] == 2
    assert 120 * 0.8 - 5 <= row["next_due"] - time.time() <= 120 * 1.2 + 1, "the backoff doubles"

    fourth = invoke("run", "--config", cfg, "--source", "bad")
    assert fourth.exit_code == 1
    row = source_row(db, "bad")
    assert (row["failures"], row["disabled"]) == (3, 1)
    fields = status_fields(cfg, "bad")
    assert fields["state"] == "disabled" and fields["failures"] == "3"
    assert status_fields(cfg, "good")["state"] == "on"

    # disabled: not tried even when named
    assert invoke("run", "--config", cfg, "--source", "bad").exit_code == 0
    assert len(server.hits("/broken")) == 3

    enabled = invoke("enable", "--config", cfg, "bad")
    assert enabled.exit_code == 0, enabled.stderr
    fields = status_fields(cfg, "bad")
    assert (fields["state"], fields["failures"], fields["next due"]) == ("on", "0", "now")
    again = invoke("run", "--config", cfg)
    assert again.exit_code == 1
    assert len(server.hits("/broken")) == 4
    assert source_row(db, "bad")["failures"] == 1


def test_enable_names_an_unknown_source_as_an_error(server, tmp_path):
    cfg = write_config(tmp_path, [feed("good", server.url(REUTERS))])
    result = invoke("enable", "--config", cfg, "nope")
    assert result.exit_code == 2 and "nope" in result.stderr


def test_a_source_that_recovers_resets_its_failures(server, tmp_path):
    state = {"code": 500}
    body = (EXTERNAL / "feeds" / "react-native-rss-parser_samples" / "reuters.xml").read_bytes()
    server.route("/flaky", lambda h, q: h.send(state["code"], body if state["code"] == 200 else b"down",
                                               "application/rss+xml"))
    cfg = write_config(tmp_path, [feed("flaky", server.url("/flaky"))])
    assert invoke("run", "--config", cfg).exit_code == 1
    assert invoke("run", "--config", cfg, "--source", "flaky").exit_code == 1
    assert source_row(tmp_path / "monitor.db", "flaky")["failures"] == 2
    state["code"] = 200
    assert invoke("run", "--config", cfg, "--source", "flaky").exit_code == 0
    row = source_row(tmp_path / "monitor.db", "flaky")
    assert (row["failures"], row["last_error"], row["last_result"]) == (0, None, "ok: 10 new")


@pytest.mark.parametrize("form", ["seconds", "date"])
def test_retry_after_makes_the_host_not_due_until_then(server, tmp_path, form):
    import email.utils
    value = "120" if form == "seconds" else email.utils.formatdate(time.time() + 120, usegmt=True)
    server.status("/busy", 429, {"Retry-After": value})
    sources = [feed("busy", server.url("/busy")), feed("same host", server.url(REUTERS))]
    try:
        other = Server("127.0.0.2")
    except OSError:
        other = None
    with other or Server() as second_server:
        if other is not None:
            sources.append(feed("other host", second_server.url(GUARDIAN)))
        cfg = write_config(tmp_path, sources)
        db = tmp_path / "monitor.db"
        first = invoke("run", "--config", cfg, "--source", "busy")
        assert first.exit_code == 1
        assert "HTTP 429" in first.stderr and "retry after" in first.stderr
        [(not_before,)] = rows(db, "select not_before from hosts where host = '127.0.0.1'")
        assert 100 <= not_before - time.time() <= 121
        row = source_row(db, "busy")
        assert row["failures"] == 0, "a server asking us to wait is not a failure of the source"
        assert row["last_result"] == "error" and "429" in row["last_error"]

        served = len(server.requests)
        later = invoke("run", "--config", cfg)                          # every source is due by its interval
        assert len(server.requests) == served, "a request went to a host that said to retry later"
        named = invoke("run", "--config", cfg, "--source", "busy", "--source", "same host")
        assert named.exit_code == 0 and len(server.requests) == served
        if other is not None:
            assert later.exit_code == 0, later.stderr
            assert len(second_server.hits(GUARDIAN)) == 1, "another host is not held by this one's Retry-After"
            assert rows(db, "select count(*) from articles") == [(55,)]


def test_status_never_shows_a_source_due_before_its_hosts_retry_after(server, tmp_path):
    server.status("/busy", 503, {"Retry-After": "300"})
    cfg = write_config(tmp_path, [feed(f"busy{n}", server.url("/busy")) for n in range(10)], fetch={"per_host": 10})
    assert invoke("run", "--config", cfg).exit_code == 1
    db = tmp_path / "monitor.db"
    [(not_before,)] = rows(db, "select not_before from hosts where host = '127.0.0.1'")
    due = [n for n, in rows(db, "select next_due from sources")]
    assert len(due) == 10 and min(due) >= not_before, "a source shows due before its host may be asked"


def test_the_per_host_limit_holds(server, tmp_path):
    body = (EXTERNAL / "feeds" / "react-native-rss-parser_samples" / "reuters.xml").read_bytes()
    lock, live = threading.Lock(), {"now": 0, "max": 0}

    def slow_feed(h, q):
        with lock:
            live["now"] += 1
            live["max"] = max(live["max"], live["now"])
        try:
            server.stopping.wait(0.3)
            h.send(200, body, "application/rss+xml")
        finally:
            with lock:
                live["now"] -= 1
    for n in range(4):
        server.route(f"/feed-{n}", slow_feed)
    cfg = write_config(tmp_path, [feed(f"f{n}", server.url(f"/feed-{n}")) for n in range(4)], fetch={"per_host": 1})
    result = invoke("run", "--config", cfg)
    assert result.exit_code == 0, result.stderr
    assert len(server.requests) == 4 and live["max"] == 1


def test_status_shows_each_source_with_its_last_fetch_result_next_due_and_failures(server, tmp_path):
    server.status("/missing", 404)
    cfg = write_config(tmp_path, [feed("good", server.url(REUTERS), every="15m"),
                                  feed("gone", server.url("/missing")),
                                  {"name": "off", "kind": "feed", "url": server.url(REUTERS), "enabled": False}])
    before = invoke("status", "--config", cfg)
    assert before.exit_code == 0
    assert status_fields(cfg, "good")["last fetch"] == "never"
    assert invoke("run", "--config", cfg).exit_code == 1
    good, gone, off = (status_fields(cfg, n) for n in ("good", "gone", "off"))
    assert good["kind"] == "feed" and good["state"] == "on" and good["result"] == "ok: 10 new"
    assert good["last fetch"][:2] == "20" and good["next due"][:2] == "20" and good["failures"] == "0"
    assert gone["result"] == "error" and gone["failures"] == "1" and "HTTP 404" in gone["last error"]
    assert off["state"] == "off" and off["last fetch"] == "never"
    assert len(server.requests) == 2                                 # the disabled source was not fetched


# --- the lock -------------------------------------------------------------------------------------

def test_run_exits_3_while_another_pass_holds_the_lock(server, tmp_path):
    cfg = write_config(tmp_path, [feed("good", server.url(REUTERS))])
    store = config_module.load(cfg).store
    with schedule.Lock(store):
        result = invoke("run", "--config", cfg)
    assert result.exit_code == 3
    assert "another monitor pass is running" in result.stderr and store + ".lock" in result.stderr
    assert server.requests == []
    after = invoke("run", "--config", cfg)                          # released: the next pass runs
    assert after.exit_code == 0 and len(server.requests) == 1


def test_a_second_lock_on_the_same_store_is_refused(tmp_path):
    path = str(tmp_path / "monitor.db")
    with schedule.Lock(path), pytest.raises(schedule.LockHeld), schedule.Lock(path):
        pass
    with schedule.Lock(path):
        pass


# --- the daemon -----------------------------------------------------------------------------------

def start_daemon(cfg: Path, tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    log = tmp_path / "daemon.log"
    env = {k: v for k, v in os.environ.items() if k not in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY")}
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "monitor", "daemon", "--config", str(cfg)], stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=tmp_path, env=env)
    return proc, log


def wait_until(predicate, timeout: float, proc: subprocess.Popen, log: Path) -> bool:
    """Poll until predicate() holds; give up early when the daemon died or logged a traceback."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        if proc.poll() is not None or "Traceback" in log.read_text(errors="replace"):
            return False
        time.sleep(0.1)
    return False


def handles(proc: subprocess.Popen, sig: int) -> bool:
    """Whether the process has installed a handler for `sig` (Linux: SigCgt in /proc): the
    daemon does so once its scheduler is built, so a signal sent before would kill it by the
    default action (exit -15) instead of stopping it. Without /proc: True, and callers wait
    for another sign of life."""
    try:
        status = Path(f"/proc/{proc.pid}/status").read_text()
    except OSError:
        return True
    [caught] = [line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")]
    return bool(int(caught, 16) >> (sig - 1) & 1)


def count(db: Path, sql: str) -> int:
    try:
        return rows(db, sql)[0][0]
    except sqlite3.OperationalError:            # not created yet
        return 0


def stop(proc: subprocess.Popen, sig=signal.SIGTERM, wait: float = 15) -> int | None:
    if proc.poll() is None:
        proc.send_signal(sig)
    try:
        return proc.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)
        return None


def test_the_daemon_fetches_on_its_interval_and_exits_cleanly_on_sigterm_mid_pass(server, tmp_path):
    armed, in_hand = threading.Event(), threading.Event()
    empty = rss([]).encode() if isinstance(rss([]), str) else rss([])

    def slow(h, q):                    # the source in hand when SIGTERM comes: drips, abandoned
        if not armed.is_set():         # answers until armed, so it is not backing off when SIGTERM comes
            h.send(200, empty, "application/rss+xml")
            return
        # Armed (once the other feeds were fetched twice): drips until the server stops, for up
        # to two minutes, past the 60-second fetch timeout: in hand whenever SIGTERM comes,
        # however slowly a loaded machine gets there (a 3-second timeout could end it first).
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        h.wfile.flush()
        in_hand.set()
        for _ in range(1200):
            if server.stopping.wait(0.1):
                return
            h.wfile.write(b" ")
            h.wfile.flush()
    server.route("/slow", slow)
    server.document("/local.xml", rss([{"title": "Ferry delayed", "link": server.url("/news/ferry"), "guid": "ferry",
                                        "description": "The port authority said 40 passengers were stranded "
                                                       "overnight when the ferry was delayed by storms."}]))
    sources = [feed("reuters", server.url(REUTERS), every="1s"), feed("guardian", server.url(GUARDIAN), every="1s"),
               feed("heise", server.url(HEISE), every="1s"), feed("local", server.url("/local.xml"), every="1s"),
               feed("slow", server.url("/slow"), every="1s")]
    cfg = write_config(tmp_path, sources, fetch={"timeout": "60s"})
    db = tmp_path / "monitor.db"
    expected = 10 + 55 + 15 + 1
    proc, log = start_daemon(cfg, tmp_path)
    try:
        stored = wait_until(lambda: count(db, "select count(*) from articles") >= expected, 30, proc, log)
        assert stored, f"the daemon stored {count(db, 'select count(*) from articles')} of {expected} articles:\n" \
                       + log.read_text(errors="replace")[-3000:]
        # every feed fetched again on its 1-second interval, conditionally
        again = wait_until(lambda: all(len(server.hits(p)) >= 2 for p in (REUTERS, GUARDIAN, HEISE, "/local.xml")),
                           20, proc, log)
        assert again, log.read_text(errors="replace")[-3000:]
        # SIGTERM while the slow source is in hand: its fetch would take a minute; the exit
        # must not wait for it (stop() gives 15 s)
        armed.set()
        assert wait_until(in_hand.is_set, 20, proc, log), log.read_text(errors="replace")[-3000:]
        code = stop(proc, signal.SIGTERM, wait=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
    assert code == 0, log.read_text(errors="replace")[-3000:]
    assert "Traceback" not in log.read_text(errors="replace")
    assert rows(db, "pragma integrity_check") == [("ok",)]
    assert rows(db, "select count(*) from articles") == [(expected,)]
    assert rows(db, "select fingerprint, count(*) from articles group by fingerprint having count(*) > 1") == []
    assert rows(db, "select count(*) from (select canonical, version from articles group by canonical, version "
                    "having count(*) > 1)") == [(0,)]
    assert rows(db, "select count(*) from runs where finished is null") == [(0,)], "a pass was cut off"
    # The source in hand is abandoned, not waited for (issue 12): its row is its last finished pass's.
    # (Before it was armed, a feed with no item: a warning, shown in its row since issue 15, item 3.)
    slow_row = source_row(db, "slow")
    assert slow_row.get("last_result") in (None, "warning: no item")
    assert "abandon" not in (slow_row.get("last_error") or "")
    assert "slow: abandoned" in log.read_text(errors="replace")
    for path in (REUTERS, GUARDIAN, HEISE):
        later = server.hits(path)[1:]
        assert later and all(r.status == 304 for r in later), path


def test_the_daemon_keeps_the_others_going_past_a_failing_and_a_busy_source(server, tmp_path):
    """A source answering 500 is disabled (max_failures = 1) and not asked again; a 429 with
    Retry-After on another host is asked once; the good feed goes on being fetched on its interval
    all along. Counted in requests, not seconds."""
    server.status("/broken", 500)
    try:
        other = Server("127.0.0.2")
    except OSError:
        pytest.skip("cannot bind 127.0.0.2 for a second host")
    with other:
        other.status("/busy", 429, {"Retry-After": "120"})
        cfg = write_config(tmp_path, [feed("bad", server.url("/broken"), every="1s"),
                                      feed("busy", other.url("/busy"), every="1s"),
                                      feed("good", server.url(REUTERS), every="1s")], fetch={"max_failures": 1})
        db = tmp_path / "monitor.db"
        proc, log = start_daemon(cfg, tmp_path)
        try:
            disabled = wait_until(lambda: count(db, "select count(*) from sources where name = 'bad' and disabled = 1")
                                  == 1, 30, proc, log)
            assert disabled, log.read_text(errors="replace")[-3000:]
            seen = len(server.hits(REUTERS))
            going = wait_until(lambda: len(server.hits(REUTERS)) >= seen + 3, 20, proc, log)
            assert going, "the good source stopped being fetched:\n" + log.read_text(errors="replace")[-3000:]
            code = stop(proc, signal.SIGINT, wait=15)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=5)
        assert code == 0, log.read_text(errors="replace")[-3000:]
        assert len(server.hits("/broken")) == 1, "tried again after it was disabled"
        assert len(other.hits("/busy")) == 1, "asked again before its Retry-After"
    assert rows(db, "select count(*) from articles") == [(10,)]
    assert rows(db, "pragma integrity_check") == [("ok",)]
    bad, busy = source_row(db, "bad"), source_row(db, "busy")
    assert (bad["failures"], bad["disabled"], bad["last_result"]) == (1, 1, "disabled")
    assert (busy["failures"], busy["disabled"]) == (0, 0) and "429" in busy["last_error"]


def test_the_daemon_with_a_bad_config_exits_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[sources]]\nname = "A"\nkind = "rss"\nurl = "http://127.0.0.1/"\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "monitor", "daemon", "--config", str(bad)], capture_output=True,
                          text=True, timeout=60, cwd=tmp_path, check=False)
    assert done.returncode == 2 and "sources[0].kind" in done.stderr
