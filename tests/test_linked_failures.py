"""Issue 15, item 3: the linked pages of a feed that fail are one warning of their source.

A feed whose items carry only summaries has each item's page fetched (`fetch_article`). When
those pages fail, the summaries are stored in their place: the source was read. So the pass
says so once, as a warning of that source counted by reason and host (never an error line
per page, never a URL twice), the pass is not failed, the source's status row says
"warning", the run records one warning line for the source, and the digest lists one bullet
for it apart from the sources that failed.

Real parts only: the HTTP server of tests/localserver.py on 127.0.0.1, a real config and
SQLite store, the real scheduler pass and digest model.
"""
from __future__ import annotations

import socket

import pytest
from conftest import rows
from localserver import rss, write_config

from monitor import config as config_module
from monitor import schedule
from monitor.notify import model
from monitor.store import Store

ITEMS = 5
SOURCE = "teasers"


def _closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: bound once by us, then closed."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _teasers(server, links: list[str]) -> None:
    """A feed of summary-only items, one per link, each summary its own text."""
    server.document("/teasers.xml", rss([
        {"title": f"Teaser {i}", "link": link, "guid": f"t-{i}",
         "description": f"Only a summary of story number {i} about the count of votes in district {i}."}
        for i, link in enumerate(links)]))


def _pass(tmp_path, server):
    """One scheduled pass over the teaser feed, its linked pages fetched."""
    cfg = write_config(tmp_path, [{"name": SOURCE, "kind": "feed", "url": server.url("/teasers.xml"),
                                   "every": 0.01, "fetch_article": True}])
    config = config_module.load(cfg)
    store = Store(config.store)
    client = schedule.client_for(config)
    try:
        return schedule.run_pass(config, store, client), store
    finally:
        client.close()


@pytest.fixture
def missing_pages(server, tmp_path):
    """A pass over a feed of ITEMS teasers whose pages all answer 404 (the server's default)."""
    _teasers(server, [server.url(f"/gone/{i}.html") for i in range(ITEMS)])
    report, store = _pass(tmp_path, server)
    yield report, store
    store.close()


def test_pages_that_fail_are_one_warning_of_the_source_not_an_error_per_page(missing_pages, tmp_path):
    report, _ = missing_pages
    assert report.ingest.errors == [], report.ingest.errors
    assert report.failed == {} and report.ok
    said = [line for line in report.warnings if "linked page" in line]
    assert said == [f"{SOURCE}: {ITEMS} of {ITEMS} linked pages not fetched (HTTP 404: 127.0.0.1); "
                    f"summaries stored"], report.warnings
    assert "/gone/" not in said[0] and "http://" not in said[0]
    assert report.warned == {SOURCE: said[0].removeprefix(f"{SOURCE}: ")}
    assert SOURCE in report.fetched
    # the summaries are stored in the pages' place
    texts = [t for (t,) in rows(tmp_path / "monitor.db", "select text from articles order by id")]
    assert len(texts) == ITEMS and all(t.startswith("Only a summary of story number") for t in texts), texts


def test_the_run_records_one_warning_for_the_source_and_no_error(missing_pages):
    report, store = missing_pages
    recorded = store.run_errors(run_ids=[report.run_id])
    assert len(recorded) == 1, recorded                  # was one error per page
    assert recorded[0]["kind"] == "warning", recorded
    assert recorded[0]["error"].startswith(f"{SOURCE}: {ITEMS} of {ITEMS} linked pages not fetched")


def test_the_status_row_shows_the_warning(missing_pages):
    _, store = missing_pages
    row = store.source(SOURCE)
    assert row["last_result"] == f"warning: {ITEMS} new", row
    assert row["last_error"] == f"{ITEMS} of {ITEMS} linked pages not fetched (HTTP 404: 127.0.0.1); summaries stored"
    assert row["failures"] == 0 and not row["disabled"]


def test_the_digest_lists_one_bullet_for_the_source_apart_from_failures(missing_pages):
    report, store = missing_pages
    digest = model.build(store, store.alerts(run_id=report.run_id), store.run_errors(run_ids=[report.run_id]))
    assert digest.failures == ()
    assert [(w.source, w.count) for w in digest.warnings] == [(SOURCE, 1)]
    assert digest.warnings[0].error.startswith(f"{ITEMS} of {ITEMS} linked pages not fetched (HTTP 404")
    assert "1 source with warnings" in digest.totals and "failed" not in digest.totals


def test_two_passes_with_failing_pages_are_still_one_bullet(server, tmp_path):
    _teasers(server, [server.url(f"/gone/{i}.html") for i in range(ITEMS)])
    first, store = _pass(tmp_path, server)
    store.close()
    _teasers(server, [server.url(f"/gone/{i}.html") for i in range(ITEMS + 2)])   # the feed changed
    second, store = _pass(tmp_path, server)
    try:
        errors = store.run_errors(run_ids=[first.run_id, second.run_id])
        digest = model.build(store, [], errors)
    finally:
        store.close()
    assert [(w.source, w.count) for w in digest.warnings] == [(SOURCE, 2)], digest.warnings
    assert digest.warnings[0].error.startswith(f"{ITEMS + 2} of {ITEMS + 2} linked pages")
    assert digest.failures == ()


def test_reasons_and_hosts_are_counted_apart_in_one_line(server, tmp_path):
    port = _closed_port()
    links = [server.url(f"/gone/{i}.html") for i in range(3)] + [f"http://127.0.0.1:{port}/a/{i}" for i in range(2)]
    server.route("/fine.html", lambda h, q: h.send(200, b"<html><body><article><p>" + b"Words of a page. " * 80 +
                                                     b"</p></article></body></html>", "text/html; charset=utf-8"))
    _teasers(server, links + [server.url("/fine.html")])
    report, store = _pass(tmp_path, server)
    store.close()
    assert report.ingest.errors == [], report.ingest.errors
    [said] = [line for line in report.warnings if "linked page" in line]
    assert said == (f"{SOURCE}: 5 of 6 linked pages not fetched (3 HTTP 404: 127.0.0.1; 2 connection refused: "
                    f"127.0.0.1); summaries stored"), said
    assert str(port) not in said


def test_a_failed_request_has_a_short_reason_without_its_url(server):
    from monitor.fetch.http import Client, FetchError, reason_of

    server.drip("/slow", interval=0.1, limit=50)
    server.route("/big", lambda h, q: h.send(200, b"x" * 5000, "text/html"))
    cases = {
        server.url("/gone.html"): (Client(allow_private=True), "HTTP 404"),
        f"http://127.0.0.1:{_closed_port()}/x": (Client(allow_private=True), "connection refused"),
        server.url("/refused.html"): (Client(allow_private=False), "refused address"),
        server.url("/big"): (Client(allow_private=True, max_bytes=1000), "too large"),
        server.url("/slow"): (Client(allow_private=True, total_seconds=0.5), "timed out"),
    }
    for url, (client, reason) in cases.items():
        try:
            with pytest.raises(FetchError) as caught:
                client.get(url)
        finally:
            client.close()
        assert reason_of(caught.value) == reason, (url, str(caught.value))


def test_the_command_the_digest_and_status_say_the_same_once(server, tmp_path):
    """The pass line, exit code, `status` and the rendered digest agree: one warning of the
    source, the pass not failed (exit 0), the digest's bullet under its own heading."""
    from conftest import invoke
    _teasers(server, [server.url(f"/gone/{i}.html") for i in range(ITEMS)])
    cfg = write_config(tmp_path, [{"name": SOURCE, "kind": "feed", "url": server.url("/teasers.xml"),
                                   "every": 0.01, "fetch_article": True}])
    ran = invoke("run", "-v", "--config", cfg)
    assert ran.exit_code == 0, ran.stderr
    warnings = [line for line in ran.stderr.splitlines() if line.startswith("warning: ")]
    assert warnings == [f"warning: {SOURCE}: {ITEMS} of {ITEMS} linked pages not fetched (HTTP 404: 127.0.0.1); "
                        f"summaries stored"], ran.stderr
    assert "error:" not in ran.stderr and "0 failed" in ran.stderr and "1 with warnings" in ran.stderr
    assert f"warning: {ITEMS} new" in invoke("status", "--config", cfg).stdout
    for fmt in ("md", "text", "html"):
        shown = invoke("digest", "--config", cfg, "--format", fmt).stdout
        assert shown.count("linked pages not fetched") == 1, (fmt, shown)
        assert "with warnings" in shown.lower() and "that failed" not in shown.lower(), fmt
