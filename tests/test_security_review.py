"""What the review of issue 12 found left: hostile links and redirects that crashed a whole
pass, a feed whose every item fails cleaning saving its validators, an edited or corrupt
store, an article id past SQLite's range, two voices for errors, and SIGTERM waiting for a
whole feed's articles.

Real parts only: a real HTTP server on 127.0.0.1 (tests/localserver.py), a real SQLite
store, the real `monitor` command in-process and the daemon as a subprocess. No hostile
name reaches DNS: a 70-letter label is refused by the IDNA codec before any lookup.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from conftest import invoke, rows
from localserver import Server, rss, write_config
from test_schedule import start_daemon, stop, wait_until

from monitor import config as config_module
from monitor import schedule
from monitor.store import SCHEMA_VERSION, Store

ARTICLE = ("The port authority said 40 passengers were stranded overnight when the ferry was delayed by "
           "storms, and the ministry said 12 crossings were cancelled.")
TEASER = "Officials said the ferry was delayed."            # a few words: a teaser, its page is fetched
BROKEN_IPV6 = "http://[::1/p"
LONG_LABEL = "http://" + "a" * 70 + ".example.com/"         # a DNS label is at most 63 octets


def feed(name: str, url: str, **kw) -> dict:
    """A feed source; passes a test runs back to back name it (`--source`): it is due once a second."""
    return {"name": name, "kind": "feed", "url": url, "every": "1s", "fetch_article": False, **kw}


def items(n: int, link: str, text: str = ARTICLE) -> list[dict]:
    return [{"title": f"Story {i}", "link": f"{link}?n={i}", "guid": f"story-{i}", "description": f"{text} ({i})"}
            for i in range(n)]


def no_error_voice_but_ours(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    for line in stderr.splitlines():
        assert line.startswith(("error: ", "warning: ")) or " source(s) fetched" in line, stderr


# --- 1. one hostile link or redirect crashes the whole pass -----------------------------------------

def _hostile_route(server: Server, how: str, target: str) -> str:
    """A feed whose teaser links to `target` (how = "link"), or to a page redirecting there
    ("redirect"), or a feed URL that itself redirects there ("feed")."""
    if how == "feed":
        return server.route("/feed.xml", lambda h, q: h.send(302, b"", headers={"Location": target}))
    link = target if how == "link" else server.route("/moved", lambda h, q: h.send(
        302, b"", headers={"Location": target.replace("/p", "/x")}))
    server.document("/feed.xml", rss([{"title": "Ferry delayed", "link": link, "guid": "ferry",
                                       "description": TEASER}]))
    return server.url("/feed.xml")


@pytest.mark.parametrize("how", ["link", "redirect", "feed"])
@pytest.mark.parametrize("target", [BROKEN_IPV6, LONG_LABEL], ids=["broken-ipv6", "long-label"])
def test_a_hostile_link_or_redirect_fails_its_page_or_source_not_the_pass(server, tmp_path, how, target):
    url = _hostile_route(server, how, target)
    server.document("/good.xml", rss(items(2, server.url("/news"))))
    cfg = write_config(tmp_path, [feed("hostile", url, fetch_article=True), feed("good", server.url("/good.xml"))])
    result = invoke("run", "--config", cfg)                 # catch_exceptions=False: a traceback fails here
    db = tmp_path / "monitor.db"
    no_error_voice_but_ours(result.stderr)
    # the feed failing is an error of its source; its linked page failing, a warning of it (issue 15, item 3)
    [line] = [line for line in result.stderr.splitlines() if line.startswith(("error: ", "warning: "))]
    assert line.startswith("error: hostile: " if how == "feed" else "warning: hostile: "), result.stderr
    host = "[::1" if target == BROKEN_IPV6 else "a" * 70
    assert host in line, line
    assert rows(db, "select count(*) from articles where url like ?", [server.url("/news") + "%"]) == [(2,)]
    assert rows(db, "select count(*) from runs where finished is null or status = 'running'") == [(0,)]
    if how == "feed":                                       # the source failed; the pass went on
        assert result.exit_code == 1
        assert rows(db, "select failures from sources where name = 'hostile'") == [(1,)]
    else:                                                   # only the page failed: the teaser is kept
        assert result.exit_code == 0, result.stderr
        assert rows(db, "select count(*) from articles where title = 'Ferry delayed'") == [(1,)]


def test_the_daemon_logs_a_hostile_redirect_in_one_line_not_a_traceback(server, tmp_path):
    server.route("/feed.xml", lambda h, q: h.send(302, b"", headers={"Location": LONG_LABEL}))
    cfg = write_config(tmp_path, [feed("hostile", server.url("/feed.xml"), every="1s")])
    proc, log = start_daemon(cfg, tmp_path)
    try:
        said = wait_until(lambda: "error: hostile:" in log.read_text(errors="replace"), 20, proc, log)
        time.sleep(1.5)                            # a second interval: the job fires again (the source backs off)
        code = stop(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
    text = log.read_text(errors="replace")
    assert said and code == 0, text
    assert "Traceback" not in text, text
    lines = [line for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error: ")]
    assert errors and all(line.startswith("error: hostile: ") and "a" * 70 in line for line in errors), lines
    # the rest: the daemon's start line and one line per pass, one line each
    assert all(line.startswith(("daemon ", "hostile: failed, ")) for line in lines if line not in errors), lines


# --- 2. a feed whose every item fails in the clean stage ----------------------------------------------

def fixed_etag(served: dict):
    """The same ETag whatever the body: only a full GET sees a change."""
    def route(h, q):
        if h.headers.get("If-None-Match") == '"v1"':
            h.send(304, b"", headers={"ETag": '"v1"'})
        else:
            h.send(200, served["body"], "application/rss+xml", {"ETag": '"v1"'})
    return route


UNREADABLE_FEEDS = {
    "titles only": rss([{"title": "Ferry delayed"}, {"title": "Bridge closed"}]),
    "links only": rss([{"link": "http://127.0.0.1/a", "guid": "a"}, {"link": "http://127.0.0.1/b", "guid": "b",
                                                                      "description": "   "}]),
}


@pytest.mark.parametrize("body", UNREADABLE_FEEDS.values(), ids=UNREADABLE_FEEDS.keys())
def test_a_feed_whose_items_all_fail_cleaning_saves_no_validators_and_fails_the_run(server, tmp_path, body):
    served = {"body": body}
    server.route("/feed.xml", fixed_etag(served))
    cfg = write_config(tmp_path, [feed("unread", server.url("/feed.xml"))])
    db = tmp_path / "monitor.db"
    first = invoke("run", "--config", cfg)
    assert first.exit_code == 1, first.stderr
    said = [line for line in first.stderr.splitlines() if line.startswith("error: unread: ")]
    assert any("validators" in line and "not saved" in line for line in said), first.stderr
    [(state, error)] = rows(db, "select state, last_error from sources where name = 'unread'")
    assert not json.loads(state).get("etag")
    assert "validators" in error and "not saved" in error, error

    served["body"] = rss(items(2, server.url("/news")))
    second = invoke("run", "--config", cfg, "--source", "unread")
    assert second.exit_code == 0, second.stderr
    assert "if-none-match" not in server.hits("/feed.xml")[-1].headers
    assert rows(db, "select count(*) from articles") == [(2,)]
    assert rows(db, "select last_error from sources where name = 'unread'") == [(None,)]


# --- 3. an edited or corrupt store ---------------------------------------------------------------

CORRUPT = [("state", "{not json"), ("state", "[1,2]"), ("state", '{"files": 3}'),
           ("state", '{"etag": 3, "pages": "x", "last_modified": []}'), ("state", 7),
           ("failures", "x"), ("articles", "x"), ("disabled", "x")]


@pytest.mark.parametrize("column,value", CORRUPT, ids=[f"{c}={v}" for c, v in CORRUPT])
def test_a_corrupt_value_in_the_sources_table_is_a_warning_not_a_traceback(server, tmp_path, column, value):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "one.txt").write_text(ARTICLE + "\n", encoding="utf-8")
    server.document("/feed.xml", rss(items(1, server.url("/news"))))
    cfg = write_config(tmp_path, [{"name": "inbox", "kind": "files", "path": str(folder), "every": "1s"},
                                  feed("news", server.url("/feed.xml"))])
    db = tmp_path / "monitor.db"
    assert invoke("run", "--config", cfg).exit_code == 0
    conn = sqlite3.connect(db)
    conn.execute(f"update sources set {column} = ?", [value])
    conn.commit()
    conn.close()
    for argv in (("status", "--config", cfg), ("run", "--config", cfg, "--source", "inbox", "--source", "news")):
        result = invoke(*argv)
        no_error_voice_but_ours(result.stderr)
        assert result.exit_code == 0, (argv, result.stderr)
        for name in ("inbox", "news"):
            assert any(line.startswith("warning: ") and f"source {name!r}" in line and f"{column}" in line
                       for line in result.stderr.splitlines()), (argv, result.stderr)


def test_the_store_reads_a_corrupt_source_row_as_empty_with_a_warning(tmp_path):
    store = Store(tmp_path / "store.db")
    try:
        store.save_source({"name": "s", "state": {"etag": '"x"'}, "failures": 2})
        store.db.execute("update sources set state = '[1,2]', failures = 'x', next_due = 'soon'")
        row = store.source("s")
        assert row["state"] == {} and row["failures"] == 0 and row["next_due"] == 0.0
        assert [r["state"] for r in store.sources()] == [{}]
        assert store.warnings and all("'s'" in w for w in store.warnings)
        assert {c for c in ("state", "failures", "next_due") if any(c in w for w in store.warnings)} == \
            {"state", "failures", "next_due"}
    finally:
        store.close()


# --- 4. an article id past SQLite's integers ----------------------------------------------------------

@pytest.mark.parametrize("ref", ["99999999999999999999999", str(2 ** 63), str(2 ** 63 - 1)])
def test_claims_of_an_id_past_sqlites_range_is_no_such_article(seeded_db, ref):
    result = invoke("claims", "--db", seeded_db, ref)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and ref in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output


# --- 5. one voice for errors ----------------------------------------------------------------------

def _newer(db: Path) -> Path:
    Store(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    return db


def _not_a_store(db: Path) -> Path:
    db.write_bytes(b"this is not a SQLite file, " * 100)
    return db


ERROR_CASES = {
    "newer store": (lambda tmp, db: ("alerts", "--db", _newer(db)), 1),
    "not a store": (lambda tmp, db: ("digest", "--db", _not_a_store(db)), 1),
    "no such article": (lambda tmp, db: ("claims", "--db", db, "no-such-article"), 1),
    "no such subject": (lambda tmp, db: ("history", "--db", db, "nothing matches this"), 1),
    "no such source": (lambda tmp, db: ("enable", "--config", write_config(tmp, []), "nobody"), 2),
    "missing option": (lambda tmp, db: ("alerts",), 2),
    "no such command": (lambda tmp, db: ("frobnicate",), 2),
}


@pytest.mark.parametrize("case", ERROR_CASES.keys())
def test_every_error_the_cli_prints_is_one_error_line(seeded_db, tmp_path, case):
    make, code = ERROR_CASES[case]
    db = tmp_path / "store.db"
    if case in ("no such article", "no such subject"):
        db = seeded_db
    result = invoke(*make(tmp_path, db))
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output, result.output
    assert not any(line.startswith(("Error", "Usage")) for line in result.output.splitlines()), result.output
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: "), result.stderr


# --- 6. SIGTERM between the articles of one source -----------------------------------------------------

def test_stop_is_checked_between_the_articles_of_one_feed(server, tmp_path):
    total = 150
    body = " ".join(f"In district {d} the council said {d * 7} homes were flooded and {d} roads closed."
                    for d in range(40))
    server.document("/feed.xml", rss([{"title": f"Flood report {i}", "link": server.url(f"/news/{i}"),
                                       "guid": f"flood-{i}", "description": f"{body} ({i})"} for i in range(total)]))
    cfg = write_config(tmp_path, [feed("floods", server.url("/feed.xml"))])
    config = config_module.load(cfg)
    db = tmp_path / "monitor.db"
    store, client, halt, seen = Store(db), schedule.client_for(config), threading.Event(), []

    def watch():                                   # another reader of the store, as an operator would be
        while not halt.is_set():
            stored = rows(db, "select count(*) from articles")[0][0] if db.exists() else 0
            if stored >= 2:
                seen.append(stored)
                halt.set()
            time.sleep(0.005)
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        report = schedule.run_pass(config, store, client, stop=halt)
    finally:
        halt.set()
        watcher.join(timeout=5)
        client.close()
        store.close()
    stored = rows(db, "select count(*) from articles")[0][0]
    assert seen and stored < total // 2, f"{stored} of {total} articles stored after stop (seen {seen})"
    assert report.stopped and "floods" not in report.fetched
    assert rows(db, "select status from runs") == [("interrupted",)]
    assert not json.loads(rows(db, "select coalesce(max(state), '{}') from sources")[0][0]).get("etag")
