"""Sources that lie or misbehave: stray NUL bytes in a feed, a 200 feed with no item, two items
sharing one GUID, a files folder holding symlinks that leave it, a FIFO or /dev/zero given to
`monitor ingest`, and a WordPress site behind `?rest_route=`.

Everything real: a local HTTP server on 127.0.0.1 (tests/localserver.py), real files, FIFOs
and symlinks in tmp_path, a real SQLite store, the real `monitor` command.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import invoke, rows
from localserver import EXTERNAL, WORDPRESS, Server, rss, write_config

from monitor import config as config_module
from monitor import fetch as fetch_stage
from monitor.fetch.http import Client
from monitor.fetch.wordpress import endpoint

ROOT = Path(__file__).parent.parent
# A command that should stop at once gets this long before the test calls it hung: generous
# for a loaded machine, far below "until memory runs out" or "for ever".
HUNG = 60
# Address space for a child that must not read /dev/zero to the end: a reader that trusts
# st_size runs into it within seconds instead of taking the machine's memory.
CHILD_MEMORY = 2 * 1024 ** 3


def feed_source(name: str, url: str, **kw) -> dict:
    return {"name": name, "kind": "feed", "url": url, "every": 0.01, "fetch_article": False, **kw}


def _items(server: Server, n: int = 3) -> list[dict]:
    return [{"title": f"Ferry {i} delayed", "link": server.url(f"/news/ferry-{i}"), "guid": f"ferry-{i}",
             "pubDate": f"Mon, 0{i} Jun 2024 10:00:00 GMT",
             "description": f"Officials in the port city said ferry number {i} had been delayed by storms, "
                            f"and that inspectors would report within a week on what went wrong."}
            for i in range(1, n + 1)]


# ---- finding 6: stray NUL bytes, and a 200 feed that yields no item ------------------------------

@pytest.mark.parametrize("where", ["first kilobyte", "inside an item"])
def test_a_feed_with_stray_nul_bytes_is_read_with_the_nuls_dropped(server, tmp_path, where):
    body = rss(_items(server))
    if where == "first kilobyte":
        body = body.replace(b"<channel>", b"<channel>\x00", 1)
        assert body.index(b"\x00") < 1024
    else:
        body = body.replace(b"ferry number 2", b"ferry\x00 number\x00 2", 1)
    server.document("/nul.xml", body)
    cfg = write_config(tmp_path, [feed_source("nul", server.url("/nul.xml"))])
    result = invoke("run", "--config", cfg)
    assert result.exit_code == 0, result.stderr
    assert "error" not in result.stderr, result.stderr
    texts = rows(tmp_path / "monitor.db", "select text from articles order by id")
    assert len(texts) == 3
    assert all("\x00" not in t for t, in texts)
    assert "ferry number 2" in texts[1][0]


def _source(tmp_path: Path, source: dict):
    cfg = write_config(tmp_path, [source])
    return config_module.load(cfg).sources[0]


EMPTY_FEED = rss([])


def test_a_200_feed_with_no_item_keeps_the_old_validators_and_says_why(server, tmp_path):
    doc = server.document("/quiet.xml", rss(_items(server)))
    source = _source(tmp_path, feed_source("quiet", server.url("/quiet.xml")))
    client = Client(allow_private=True)
    try:
        first = fetch_stage.fetch(source, {}, client)
        assert first.state["etag"] and first.documents and not first.warnings
        doc.set(EMPTY_FEED)
        second = fetch_stage.fetch(source, first.state, client)
    finally:
        client.close()
    assert server.hits("/quiet.xml")[-1].status == 200
    assert second.state == first.state, "the empty feed's validators were put in the batch"
    assert not second.documents and not second.not_modified
    [warning] = second.warnings
    assert warning.startswith("quiet: ") and "no item" in warning and server.url("/quiet.xml") in warning


def test_after_a_feed_with_no_item_the_next_pass_fetches_it_in_full(server, tmp_path):
    server.document("/empty.xml", EMPTY_FEED)
    cfg = write_config(tmp_path, [feed_source("empty", server.url("/empty.xml"))])
    first = invoke("run", "--config", cfg)
    assert first.exit_code == 0, first.stderr
    assert "warning: empty: " in first.stderr and "no item" in first.stderr
    [(state,)] = rows(tmp_path / "monitor.db", "select state from sources where name = 'empty'")
    assert not json.loads(state).get("etag")
    assert invoke("run", "--config", cfg).exit_code == 0
    again = server.hits("/empty.xml")[-1]
    assert "if-none-match" not in again.headers and "if-modified-since" not in again.headers
    assert again.status == 200


def test_a_200_page_with_an_empty_body_keeps_the_old_validators(server, tmp_path):
    server.document("/blank.html", b"  \n", "text/html")
    source = _source(tmp_path, {"name": "blank", "kind": "page", "url": server.url("/blank.html"), "every": 1})
    client = Client(allow_private=True)
    try:
        batch = fetch_stage.fetch(source, {"etag": '"old"'}, client)
    finally:
        client.close()
    assert batch.state == {"etag": '"old"'} and not batch.documents
    assert batch.warnings and batch.warnings[0].startswith("blank: ")


# ---- finding 10: one GUID shared by two different items -------------------------------------------

def _feed_file(tmp_path: Path, name: str, items: list[dict]) -> Path:
    path = tmp_path / name
    path.write_bytes(rss(items))
    return path


def test_two_different_items_sharing_a_guid_are_two_articles(tmp_path):
    first = {"title": "Ferry delayed", "link": "https://example.org/news/ferry", "guid": "urn:site:item",
             "pubDate": "Mon, 03 Jun 2024 10:00:00 GMT",
             "description": "Officials in the port city said the ferry had been delayed by storms on Monday."}
    second = {"title": "School budget", "link": "https://example.org/news/school", "guid": "urn:site:item",
              "pubDate": "Tue, 04 Jun 2024 09:00:00 GMT",
              "description": "The council approved the new school budget after a long debate on Tuesday."}
    db = tmp_path / "m.db"
    assert invoke("ingest", "--db", db, _feed_file(tmp_path, "a.xml", [first])).exit_code == 0
    assert invoke("ingest", "--db", db, _feed_file(tmp_path, "b.xml", [second])).exit_code == 0
    stored = rows(db, "select url, version from articles order by id")
    assert stored == [("https://example.org/news/ferry", 1), ("https://example.org/news/school", 1)]


def test_an_item_whose_link_changed_under_its_guid_on_the_same_date_is_a_new_version(tmp_path):
    item = {"title": "Ferry delayed", "link": "https://example.org/news/draft-slug", "guid": "urn:site:42",
            "pubDate": "Mon, 03 Jun 2024 10:00:00 GMT",
            "description": "Officials in the port city said 10 ferries had been delayed by storms on Monday."}
    moved = {**item, "link": "https://example.org/news/ferry-delayed",
             "description": "Officials in the port city said 12 ferries had been delayed by storms on Monday."}
    db = tmp_path / "m.db"
    assert invoke("ingest", "--db", db, _feed_file(tmp_path, "a.xml", [item])).exit_code == 0
    assert invoke("ingest", "--db", db, _feed_file(tmp_path, "b.xml", [moved])).exit_code == 0
    assert [v for v, in rows(db, "select version from articles order by id")] == [1, 2]


# ---- finding 10: a files source stays inside its folder ---------------------------------------------

ARTICLE = "The ministry said 40 people were hurt when the bridge collapsed in the capital on Monday."


def test_a_files_source_refuses_symlinks_that_leave_its_folder(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("SECRET " + ARTICLE, encoding="utf-8")
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "own.txt").write_text(ARTICLE.replace("40", "41"), encoding="utf-8")
    (folder / "sub" / "deep.txt").write_text(ARTICLE.replace("40", "42"), encoding="utf-8")
    (folder / "inside-link.txt").symlink_to(folder / "sub" / "deep.txt")     # stays inside: read
    (folder / "leak.txt").symlink_to(outside / "secret.txt")
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "elsewhere").symlink_to(outside, target_is_directory=True)
    cfg = write_config(tmp_path, [{"name": "inbox", "kind": "files", "path": str(folder), "every": 0.01},
                                  {"name": "nested", "kind": "files", "path": str(folder), "every": 0.01,
                                   "glob": "*/*.txt"}])     # through the symlinked folder too
    result = invoke("run", "--config", cfg)
    assert result.exit_code == 0, result.stderr
    texts = [t for t, in rows(tmp_path / "monitor.db", "select text from articles")]
    assert not any("SECRET" in t or "root:" in t for t in texts), texts
    assert sorted(t for t in texts if "were hurt" in t) == sorted(
        [ARTICLE.replace("40", "41"), ARTICLE.replace("40", "42")]), texts
    for name in ("inbox: leak.txt", "inbox: passwd.txt", "nested: elsewhere/secret.txt"):
        source, _, file = name.partition(": ")
        assert f"warning: {source}: {folder / file}: " in result.stderr, (name, result.stderr)
    assert "outside" in result.stderr and "Traceback" not in result.stderr


def test_a_files_source_that_allows_outside_reads_its_links_out(tmp_path):
    outside = tmp_path / "archive"
    outside.mkdir()
    (outside / "shared.txt").write_text("SHARED " + ARTICLE, encoding="utf-8")
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "link.txt").symlink_to(outside / "shared.txt")
    cfg = write_config(tmp_path, [{"name": "inbox", "kind": "files", "path": str(folder), "every": 0.01,
                                   "allow_outside": True}])
    result = invoke("run", "--config", cfg)
    assert result.exit_code == 0, result.stderr
    assert [t[:7] for t, in rows(tmp_path / "monitor.db", "select text from articles")] == ["SHARED "]
    assert "outside the folder" not in result.stderr


# ---- finding 10: `monitor ingest` of a FIFO or /dev/zero ------------------------------------------

def _ingest_child(db: Path, path: str) -> subprocess.CompletedProcess:
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))
    try:
        return subprocess.run([sys.executable, "-m", "monitor", "ingest", "--db", str(db), path], cwd=ROOT,
                              capture_output=True, text=True, timeout=HUNG, preexec_fn=limit,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail(f"monitor ingest {path} still running after {HUNG} s")


def test_ingest_of_a_fifo_is_refused_at_once_naming_it(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = _ingest_child(tmp_path / "m.db", str(fifo))
    assert result.returncode == 1, result.stderr
    assert f"error: {fifo}: not a regular file" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_ingest_of_dev_zero_is_refused_without_reading_it(tmp_path):
    result = _ingest_child(tmp_path / "m.db", "/dev/zero")
    assert result.returncode == 1, result.stderr
    assert "error: /dev/zero: not a regular file" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not Path("/proc/self/maps").is_file(), reason="no /proc here")
def test_the_input_cap_counts_the_bytes_read_not_the_size_the_file_claims(monkeypatch):
    """/proc/self/maps is a regular file whose st_size is 0 whatever it holds."""
    from monitor import pipeline
    from monitor.errors import InputError
    maps = Path("/proc/self/maps")
    assert maps.stat().st_size == 0 and len(maps.read_bytes()) > 64
    monkeypatch.setattr(pipeline, "MAX_INPUT_BYTES", 64)
    with pytest.raises(InputError, match="maps: too large"):
        pipeline.read(str(maps))


# ---- finding 10: WordPress behind ?rest_route= --------------------------------------------------------

@pytest.mark.parametrize("site, expected", [
    ("https://example.org", "https://example.org/wp-json/wp/v2/posts?"),
    ("https://example.org/blog/", "https://example.org/blog/wp-json/wp/v2/posts?"),
    ("https://example.org/wp-json/", "https://example.org/wp-json/wp/v2/posts?"),
    ("https://example.org/wp-json/wp/v2/posts", "https://example.org/wp-json/wp/v2/posts?"),
    ("https://example.org/wp-json/wp/v2/posts?categories=5", "https://example.org/wp-json/wp/v2/posts?categories=5&"),
    ("https://example.org/?rest_route=/wp/v2/posts", "https://example.org/?rest_route=/wp/v2/posts&"),
    ("https://example.org/index.php?rest_route=/", "https://example.org/index.php?rest_route=/wp/v2/posts&"),
    ("https://example.org/?rest_route=/wp/v2/posts&categories=5",
     "https://example.org/?rest_route=/wp/v2/posts&categories=5&"),
])
def test_wordpress_rest_urls_are_built_for_both_forms(tmp_path, site, expected):
    source = _source(tmp_path, {"name": "wp", "kind": "wordpress", "url": site, "every": 1, "per_page": 4})
    url = endpoint(source.url, source, 2, None)
    assert url.startswith(expected), url
    assert url.count("?") == 1 and "per_page=4" in url and "page=2" in url


@pytest.mark.skipif(not EXTERNAL.is_dir(), reason=f"external test material not present at {EXTERNAL}")
@pytest.mark.parametrize("path", ["/?rest_route=/wp/v2/posts", "/index.php?rest_route=/"])
def test_a_wordpress_site_with_plain_permalinks_is_read_through_rest_route(server, tmp_path, path):
    posts = json.loads((WORDPRESS / "headstartwp_fixtures" / "posts_posts.json").read_text(encoding="utf-8"))
    route = "/" if path.startswith("/?") else "/index.php"
    server.wordpress(route, posts)
    answer = server.routes[route]
    server.route(route, lambda h, q: answer(h, q) if q.get("rest_route") == "/wp/v2/posts"
                 else h.send(404, b"no such route", "text/plain"))
    cfg = write_config(tmp_path, [{"name": "plain", "kind": "wordpress", "url": server.url(path), "every": 0.01,
                                   "per_page": 4, "max_pages": 10}])
    result = invoke("run", "--config", cfg)
    assert result.exit_code == 0, result.stderr
    hits = server.hits(route)
    assert [(r.query.get("rest_route"), r.query.get("page"), r.status) for r in hits] == \
        [("/wp/v2/posts", str(n), 200) for n in (1, 2, 3)]
    assert rows(tmp_path / "monitor.db", "select count(*) from articles")[0][0] == 7


@pytest.mark.skipif(not EXTERNAL.is_dir(), reason=f"external test material not present at {EXTERNAL}")
def test_a_wordpress_next_page_cut_by_its_budget_keeps_the_pages_before_with_one_warning(server, tmp_path,
                                                                                         monkeypatch):
    from monitor.fetch import budget
    posts = json.loads((WORDPRESS / "headstartwp_fixtures" / "posts_posts.json").read_text(encoding="utf-8"))
    route = "/wp-json/wp/v2/posts"
    server.wordpress(route, posts)
    answer, tarpit = server.routes[route], {"on": True}

    def paged(h, q):                    # page 2 drips one byte a tenth of a second while `tarpit` is on
        if q.get("page") != "2" or not tarpit["on"]:
            return answer(h, q)
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", "1000000")
        h.end_headers()
        for _ in range(300):
            if server.stopping.wait(0.1):
                return
            h.wfile.write(b" ")
            h.wfile.flush()
    server.route(route, paged)
    # A 3-second budget for the pages after the first (fetch/budget.py: LINKED_BUDGET_TIMEOUTS
    # fetch timeouts), inside a 30-second request timeout: page 2 is cut off by the budget
    # (PagesBudgetSpent), not by its own timeout, which would be a failure of the source.
    monkeypatch.setattr(budget, "LINKED_BUDGET_TIMEOUTS", 0.1)
    cfg = write_config(tmp_path, [{"name": "wp", "kind": "wordpress", "url": server.url(""), "every": 0.01,
                                   "per_page": 4, "max_pages": 10}], fetch={"timeout": "30s"})
    db = tmp_path / "monitor.db"
    first = invoke("run", "--config", cfg)
    assert first.exit_code == 0, first.stderr
    warnings = [line for line in first.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and warnings[0].startswith("warning: wp: pages from 2 on not fetched"), first.stderr
    assert "budget" in warnings[0] and "error" not in first.stderr, first.stderr
    assert [r.query.get("page") for r in server.hits(route)] == ["1", "2"]
    assert rows(db, "select count(*) from articles") == [(4,)]
    state = json.loads(rows(db, "select state from sources where name = 'wp'")[0][0])
    assert not state.get("modified_after"), "the pages not read would be skipped next pass"

    tarpit["on"] = False                # the next pass reads from where the cut one began: nothing lost
    second = invoke("run", "--config", cfg)
    assert second.exit_code == 0 and "warning" not in second.stderr, second.stderr
    assert [r.query.get("page") for r in server.hits(route)][2:] == ["1", "2", "3"]
    assert rows(db, "select count(*) from articles") == [(7,)]      # as a pass never cut (test above)
    assert json.loads(rows(db, "select state from sources where name = 'wp'")[0][0]).get("modified_after")
