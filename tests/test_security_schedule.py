"""The scheduler and the command line against a bad day and a hostile server (issue 12): the
daemon's timing, budgets for a pass and for a feed's linked pages, SIGTERM in the middle of
tarpits, absurd times in the store, a feed that yields nothing, 410 Gone, a server that
answers 304 for ever, the lock file behind a symlink, absurd option values and source names
that try to forge a log line.

Real parts only: a real HTTP server on 127.0.0.1 (tests/localserver.py), a real SQLite store,
the real click command in-process and the daemon as a subprocess. Waits are bounded polls;
"it stops" is a generous bound (one request's timeout against the 21 a tarpit feed cost).
"""
from __future__ import annotations

import json
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from conftest import invoke
from localserver import Server, rss, write_config
from test_schedule import count, feed, handles, rows, source_row, start_daemon, stop, wait_until

from monitor import schedule
from monitor.cli import main
from monitor.fetch.budget import pass_budget
from monitor.errors import MonitorError

TEASER = "Officials said the ferry was delayed."           # a few words: a teaser, its page is fetched
ARTICLE = ("The port authority said 40 passengers were stranded overnight when the ferry was delayed by "
           "storms, and the ministry said 12 crossings were cancelled.")


def items(n: int, link: str, text: str = ARTICLE) -> list[dict]:
    return [{"title": f"Story {i}", "link": f"{link}?n={i}", "guid": f"story-{i}", "description": f"{text} ({i})"}
            for i in range(n)]


def tarpit(server: Server, path: str, interval: float = 0.2, limit: int = 600) -> str:
    """A 200 that never finishes in time: one byte every `interval` seconds."""
    return server.drip(path, interval=interval, limit=limit, length=10_000_000)


def log_text(log: Path) -> str:
    return log.read_text(errors="replace")


# --- 7. daemon timing, budgets, SIGTERM, skipped runs ---------------------------------------------

@pytest.mark.slow
def test_the_daemon_fetches_each_source_on_its_interval_not_every_other_one(server, tmp_path):
    server.document("/feed.xml", rss(items(1, server.url("/news"))))
    cfg = write_config(tmp_path, [feed("local", server.url("/feed.xml"), every="5s")])
    proc, log = start_daemon(cfg, tmp_path)
    try:
        assert wait_until(lambda: server.hits("/feed.xml"), 30, proc, log), log_text(log)
        time.sleep(60)
        fetches = len(server.hits("/feed.xml"))
        code = stop(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
    assert code == 0, log_text(log)
    # 0, 5, ..., 55 s and perhaps the one at 60 s: one fetch per interval, not per two.
    assert 11 <= fetches <= 13, f"{fetches} fetches in 60 s at every = 5s:\n{log_text(log)}"


def test_sigterm_in_a_pass_held_by_tarpit_pages_exits_long_before_their_timeouts(server, tmp_path):
    tarpit(server, "/tarpit")
    server.document("/feed.xml", rss(items(20, server.url("/tarpit"), TEASER)))
    timeout = 20                                 # 20 tarpit pages: 400 s of timeouts if each were waited for
    cfg = write_config(tmp_path, [feed("tarpits", server.url("/feed.xml"), every="1h", fetch_article=True)],
                       fetch={"timeout": f"{timeout}s"})
    db = tmp_path / "monitor.db"
    proc, log = start_daemon(cfg, tmp_path)
    try:
        assert wait_until(lambda: server.hits("/tarpit"), 30, proc, log), log_text(log)
        start = time.monotonic()
        code = stop(proc, signal.SIGTERM, wait=timeout)
        took = time.monotonic() - start
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
    assert code == 0, f"not stopped within one request's timeout ({timeout} s):\n{log_text(log)}"
    assert took < timeout
    assert "Traceback" not in log_text(log)
    assert "tarpits" in log_text(log) and "abandoned" in log_text(log), log_text(log)
    # abandoned: nothing of the source saved, no half-written run
    assert (source_row(db, "tarpits").get("state") or "{}") == "{}"
    assert count(db, "select count(*) from articles") == 0
    assert rows(db, "select count(*) from runs where finished is null") == [(0,)]
    assert rows(db, "pragma integrity_check") == [("ok",)]


def test_a_feeds_linked_pages_stop_at_their_budget_with_one_warning_and_the_summaries_kept(server, tmp_path):
    tarpit(server, "/tarpit")
    server.document("/feed.xml", rss(items(20, server.url("/tarpit"), TEASER)))
    cfg = write_config(tmp_path, [feed("tarpits", server.url("/feed.xml"), fetch_article=True)],
                       fetch={"timeout": "1s"})
    result = invoke("run", "--config", cfg)
    pages = len(server.hits("/tarpit"))
    assert pages < 20 // 4, f"{pages} of 20 tarpit pages asked for: the budget did not hold"
    warnings = [line for line in result.stderr.splitlines() if "budget" in line]
    assert len(warnings) == 1 and warnings[0].startswith("warning: tarpits: "), result.stderr
    assert "linked page" in warnings[0]
    # the pages not fetched stay teasers: their summaries are stored
    assert rows(tmp_path / "monitor.db", "select count(*) from articles") == [(20,)]


@pytest.mark.slow
def test_a_pass_starts_no_source_after_its_budget_and_says_which_it_left(server, tmp_path):
    for n in range(12):
        tarpit(server, f"/feed-{n}")
    cfg = write_config(tmp_path, [feed(f"f{n}", server.url(f"/feed-{n}")) for n in range(12)],
                       fetch={"timeout": "0.5s", "per_host": 1})
    budget = pass_budget(0.5)
    assert budget < 12 * 0.5, "the test needs more sources than the budget allows"
    result = invoke("run", "--config", cfg)
    asked = sum(bool(server.hits(f"/feed-{n}")) for n in range(12))
    assert asked < 12, result.stderr
    left = [line for line in result.stderr.splitlines() if "not fetched" in line and "budget" in line]
    assert len(left) == 12 - asked, result.stderr
    for line in left:
        name = line.split(": ")[1]
        assert source_row(tmp_path / "monitor.db", name).get("failures", 0) == 0   # not a failure: due next pass


def test_overlapping_runs_the_scheduler_skips_are_logged_naming_the_source(server, tmp_path):
    body = rss(items(1, server.url("/news")))
    server.route("/slow.xml", lambda h, q: (server.stopping.wait(2.5), h.send(200, body, "application/rss+xml")))
    cfg = write_config(tmp_path, [feed("slowpoke", server.url("/slow.xml"), every="1s")], fetch={"timeout": "10s"})
    proc, log = start_daemon(cfg, tmp_path)
    try:
        logged = wait_until(lambda: any("slowpoke" in line and "skipped" in line
                                        for line in log_text(log).splitlines()), 15, proc, log)
        code = stop(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
    assert logged, log_text(log)
    assert code == 0 and "Traceback" not in log_text(log)


# --- 3. times read from the store -----------------------------------------------------------------

@pytest.mark.parametrize("value", [1e12, 1e300, -1e12])
def test_absurd_times_in_the_store_crash_neither_status_nor_the_daemon(server, tmp_path, value):
    server.document("/feed.xml", rss(items(1, server.url("/news"))))
    cfg = write_config(tmp_path, [feed("local", server.url("/feed.xml"), every="1h")])
    db = tmp_path / "monitor.db"
    assert invoke("run", "--config", cfg).exit_code == 0
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("update sources set next_due = ?", [value])
        conn.execute("insert or replace into hosts (host, not_before) values ('127.0.0.1', ?)", [value])
    conn.close()
    status = invoke("status", "--config", cfg)
    assert status.exit_code == 0, status.stderr
    assert "local" in status.stdout
    assert invoke("run", "--config", cfg).exit_code == 0
    proc, log = start_daemon(cfg, tmp_path)
    try:
        # up: its sources scheduled from the absurd times (SIGTERM is handled only after that),
        # then running a while; a loaded machine can take seconds to get there
        assert wait_until(lambda: handles(proc, signal.SIGTERM), 60, proc, log), log_text(log)
        time.sleep(2)
        code = stop(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
    assert code == 0 and "Traceback" not in log_text(log) and "out of range" not in log_text(log), log_text(log)


# --- 6. a feed that yields no article -------------------------------------------------------------

def fixed_etag(served: dict):
    """A route answering with the same ETag whatever the body: only a full GET sees a change."""
    def route(h, q):
        if h.headers.get("If-None-Match") == '"v1"':
            h.send(304, b"", headers={"ETag": '"v1"'})
        else:
            h.send(200, served["body"], served["type"], {"ETag": '"v1"'})
    return route


def test_a_feed_that_yields_no_article_keeps_no_validators_and_is_read_in_full_next_pass(server, tmp_path):
    served = {"body": rss([]), "type": "application/rss+xml"}     # parses, to zero items
    server.route("/feed.xml", fixed_etag(served))
    cfg = write_config(tmp_path, [feed("glitchy", server.url("/feed.xml"))])
    first = invoke("run", "-v", "--config", cfg)
    # A feed with no item may be new or quiet: a warning, not a failure (exit 0).
    assert first.exit_code == 0, first.stderr
    said = [line for line in first.stderr.splitlines() if line.startswith("warning: glitchy: ")]
    assert said and ("no item" in said[0] or "no article" in said[0]), first.stderr
    assert "1 with no article" in first.stderr.splitlines()[-1], first.stderr

    served["body"] = rss(items(3, server.url("/news")))
    second = invoke("run", "--config", cfg, "--source", "glitchy")
    assert second.exit_code == 0, second.stderr
    assert "if-none-match" not in server.hits("/feed.xml")[-1].headers
    assert rows(tmp_path / "monitor.db", "select count(*) from articles") == [(3,)]


def test_a_feed_whose_items_are_all_teasers_read_before_is_not_taken_for_an_empty_one(server, tmp_path):
    server.route("/news", lambda h, q: h.send(200, f"<html><body><p>{ARTICLE}</p></body></html>".encode(),
                                              "text/html"))
    doc = server.document("/feed.xml", rss(items(1, server.url("/news"), TEASER)))
    cfg = write_config(tmp_path, [feed("teasers", server.url("/feed.xml"), fetch_article=True)])
    assert invoke("run", "--config", cfg).exit_code == 0
    doc.set(rss(items(1, server.url("/news"), TEASER), title="Renamed"))   # a 200, nothing new in it
    again = invoke("run", "--config", cfg)
    assert again.exit_code == 0 and "validators are not saved" not in again.stderr, again.stderr
    assert json.loads(source_row(tmp_path / "monitor.db", "teasers")["state"]).get("etag")


def test_clean_stage_errors_name_their_source(server, tmp_path):
    server.route("/binary", lambda h, q: h.send(200, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + b"\0" * 200, "text/html"))
    server.document("/feed.xml", rss(items(1, server.url("/binary"), TEASER)))
    cfg = write_config(tmp_path, [feed("pictures", server.url("/feed.xml"), fetch_article=True)])
    result = invoke("run", "--config", cfg)
    [line] = [line for line in result.stderr.splitlines() if "/binary" in line]
    assert line.startswith("error: pictures: "), result.stderr


# --- 10. 410, 304 for ever, the lock, options, names -----------------------------------------------

def test_a_410_gone_disables_the_source_at_once(server, tmp_path):
    server.status("/gone.xml", 410)
    cfg = write_config(tmp_path, [feed("removed", server.url("/gone.xml"))], fetch={"max_failures": 5})
    result = invoke("run", "--config", cfg)
    assert result.exit_code == 1
    row = source_row(tmp_path / "monitor.db", "removed")
    assert (row["disabled"], row["last_result"]) == (1, "disabled")
    assert "410" in row["last_error"] and "gone" in row["last_error"].lower()
    assert invoke("run", "--config", cfg, "--source", "removed").exit_code == 0
    assert len(server.hits("/gone.xml")) == 1


def test_a_server_that_answers_304_for_ever_is_fetched_in_full_once_a_day(server, tmp_path):
    server.document("/feed.xml", rss(items(2, server.url("/news"))))
    cfg = write_config(tmp_path, [feed("stuck", server.url("/feed.xml"))])
    db = tmp_path / "monitor.db"
    for _ in range(2):
        assert invoke("run", "--config", cfg, "--source", "stuck").exit_code == 0
    assert [r.status for r in server.hits("/feed.xml")] == [200, 304]
    # the last full response was two days ago
    state = json.loads(source_row(db, "stuck")["state"])
    state["last_full_fetch"] = time.time() - 2 * 86400
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("update sources set state = ? where name = 'stuck'", [json.dumps(state)])
    conn.close()
    assert invoke("run", "--config", cfg, "--source", "stuck").exit_code == 0
    full = server.hits("/feed.xml")[-1]
    assert "if-none-match" not in full.headers and "if-modified-since" not in full.headers
    assert full.status == 200
    assert invoke("run", "--config", cfg, "--source", "stuck").exit_code == 0
    assert server.hits("/feed.xml")[-1].status == 304, "conditional again after the full fetch"
    assert rows(db, "select count(*) from articles") == [(2,)]


def test_the_lock_file_is_not_followed_through_a_symlink(server, tmp_path):
    server.document("/feed.xml", rss(items(1, server.url("/news"))))
    cfg = write_config(tmp_path, [feed("local", server.url("/feed.xml"))])
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me\n")
    (tmp_path / "monitor.db.lock").symlink_to(victim)
    with pytest.raises(MonitorError, match="symbolic link"), schedule.Lock(str(tmp_path / "monitor.db")):
        pass
    result = invoke("run", "--config", cfg)
    assert result.exit_code != 0 and result.stderr.startswith("error: ") and "monitor.db.lock" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert victim.read_text() == "keep me\n"
    assert server.hits("/feed.xml") == []


@pytest.mark.parametrize("command", ["alerts", "digest"])
@pytest.mark.parametrize("option,value", [
    ("--since", "99999999999d"), ("--since", "9" * 60 + ".5d"), ("--since", "9999-12-31T23:59:59-14:00"),
    ("--since", "0001-01-01T00:00+14:00"), ("--since", "yesterday-ish"),
    ("--run", "1e23"), ("--run", "9" * 30), ("--run", "-1"), ("--run", "１２"),
])
def test_absurd_option_values_are_one_line_errors_and_exit_2(seeded_db, command, option, value):
    from click.testing import CliRunner
    result = CliRunner().invoke(main, [command, "--db", str(seeded_db), option, value])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and option in lines[0], result.stderr


FORGED = "evil\nerror: forged\x1b[2J\u202e"


def test_a_source_name_cannot_forge_a_line_in_what_run_prints(server, tmp_path):
    server.status("/broken", 500)
    cfg = write_config(tmp_path, [feed(FORGED, server.url("/broken"))])
    result = invoke("run", "--config", cfg)
    assert not any(line.startswith("error: forged") for line in result.stderr.splitlines()), result.stderr
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    if result.exit_code != 2:                  # a config that refuses such names is fine too
        assert "evil\\nerror: forged" in result.stderr, result.stderr
        status = invoke("status", "--config", cfg)
        assert "\x1b" not in status.stdout and not any(line.startswith("error: forged")
                                                       for line in status.stdout.splitlines())


def test_printable_escapes_every_control_and_bidi_character():
    assert schedule.printable(FORGED) == "evil\\nerror: forged\\x1b[2J\\u202e"
    assert schedule.printable("Zürich — café\tok") == "Zürich — café\tok"
    assert schedule.printable("a\rb\x85c\u2028d") == "a\\rb\\x85c\\u2028d"


def test_a_source_name_cannot_forge_a_line_in_the_daemons_log(server, tmp_path):
    server.status("/broken", 500)
    cfg = write_config(tmp_path, [feed(FORGED, server.url("/broken"), every="1s")])
    proc, log = start_daemon(cfg, tmp_path)
    try:
        said = wait_until(lambda: "HTTP 500" in log_text(log), 15, proc, log) or proc.poll() == 2
        code = stop(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
    assert said, log_text(log)
    text = log_text(log)
    assert not any(line.startswith("error: forged") for line in text.splitlines()), text
    assert "\x1b" not in text and "\u202e" not in text and code in (0, 2)
