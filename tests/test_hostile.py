"""Hostile and broken input: every feedparser test file and every malformed real feed, XXE and
billion laughs, wrong and missing encodings, oversized JSON, feeds and pages, control
characters and NUL bytes, a corrupt or read-only store; and property tests for the cleaner.

Each input must end as articles or as one error naming it; nothing may crash, read a local
file, reach the network, or store text that is not valid UTF-8.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import invoke
from hypothesis import given
from hypothesis import strategies as st
from localserver import EXTERNAL, Server, rss

from monitor import clean, pipeline
from monitor.clean import UNSAFE
from monitor.clean.feed import MAX_ITEMS
from monitor.clean.html import MAX_PAGE_BYTES
from monitor.errors import InputError
from monitor.records import Document
from monitor.store import Store

FEEDS = EXTERNAL / "feeds"
needs_external = pytest.mark.skipif(not EXTERNAL.is_dir(), reason=f"external test material not at {EXTERNAL}")


def stored_texts(store: Store) -> list[str]:
    return [v for row in store.db.query("select title, text, url, guid from articles") for v in row.values() if v]


def assert_clean_utf8(store: Store) -> None:
    for value in stored_texts(store):
        value.encode("utf-8")                               # strict: no lone surrogate
        assert not UNSAFE.search(value), repr(value[:80])


# ---- real broken and hostile feeds ------------------------------------------------------------

@needs_external
def test_every_feedparser_test_file_is_ingested_or_named_as_an_error(tmp_path):
    """2,108 files: illformed, encoding (bozo), sanitize, entities, wellformed. One store."""
    files = sorted(str(p) for p in (FEEDS / "feedparser_tests").rglob("*") if p.is_file())
    assert len(files) > 2000
    store = Store(tmp_path / "fp.db")
    report = pipeline.ingest_paths(store, files)
    assert report.added > 50
    assert len(report.errors) + report.added + report.duplicates >= len(files) * 0.9
    assert all(": " in e and e.split(": ", 1)[0] in files for e in report.errors)
    assert_clean_utf8(store)
    for row in store.db.query("select text from articles"):
        assert "<script" not in row["text"].lower() and "javascript:" not in row["text"].lower()


@needs_external
def test_every_malformed_real_feed_is_ingested_or_named(tmp_path):
    index = [line.split("\t") for line in (FEEDS / "FEEDS_INDEX.tsv").read_text().splitlines()[1:]]
    malformed = [str(FEEDS / row[0]) for row in index if len(row) > 3 and row[3] != "wellformed"]
    assert len(malformed) == 14
    store = Store(tmp_path / "bad.db")
    report = pipeline.ingest_paths(store, malformed)
    assert report.added + len(report.errors) >= len(malformed)
    assert_clean_utf8(store)


@needs_external
def test_real_feeds_in_other_encodings_are_stored_as_valid_utf8(tmp_path):
    """ISO-8859-1, Windows-1251, KOI8-R, no declaration, a declaration that lies."""
    files = sorted(str(p) for p in (FEEDS / "miniflux_testdata").rglob("*.xml"))
    store = Store(tmp_path / "enc.db")
    report = pipeline.ingest_paths(store, files)
    assert report.added > 100
    assert_clean_utf8(store)
    texts = " ".join(stored_texts(store))
    for word in ("Первая новость", "wünschen", "Цитата", "Perturbateurs endocriniens", "امریکی"):
        assert word in texts
    assert "Ã¼" not in texts and "Ã©" not in texts and "Ð" not in texts      # no mojibake


@needs_external
def test_utf16_and_utf32_feeds_are_read_not_refused_as_binary(tmp_path):
    files = sorted(str(p) for p in (FEEDS / "feedparser_tests" / "encoding").glob("*.xml"))
    store = Store(tmp_path / "wide.db")
    report = pipeline.ingest_paths(store, files)
    assert not [e for e in report.errors if "binary" in e], report.errors
    assert_clean_utf8(store)


# ---- XML attacks --------------------------------------------------------------------------------

def xml_feed(doctype: str, title: str = "&xxe;") -> bytes:
    return (f'<?xml version="1.0"?>\n{doctype}\n<rss version="2.0"><channel><title>t</title>'
            f'<item><title>{title}</title><link>http://example.org/1</link>'
            f'<description>The toll rose to 12, officials said. {title}</description></item>'
            f'</channel></rss>').encode()


def test_xxe_reads_no_local_file_and_makes_no_request(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    with Server() as server:
        server.route("/dtd", lambda h, q: h.send(200, b'<!ENTITY xxe "FETCHED">', "application/xml-dtd"))
        attacks = {
            "file": f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>',
            "http": f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{server.url("/dtd")}">]>',
            "dtd": f'<!DOCTYPE rss SYSTEM "{server.url("/dtd")}">',
            "parameter": f'<!DOCTYPE rss [<!ENTITY % p SYSTEM "{server.url("/dtd")}"> %p;]>',
        }
        for name, doctype in attacks.items():
            start = time.monotonic()
            try:
                articles = clean.clean(Document(origin=f"{name}.xml", body=xml_feed(doctype)))
            except InputError:
                articles = []
            assert time.monotonic() - start < 1.0, name
            text = " ".join(f"{a.title} {a.text}" for a in articles)
            assert "TOP-SECRET" not in text and "FETCHED" not in text, name
        assert server.requests == []


def test_billion_laughs_finishes_without_expanding(tmp_path):
    lol = "".join(f'<!ENTITY lol{i} "{"&lol%d;" % (i - 1) * 10}">' for i in range(1, 10))
    doctype = f'<!DOCTYPE rss [<!ENTITY lol0 "lol">{lol}]>'
    body = xml_feed(doctype, title="&lol9;")
    start = time.monotonic()
    try:
        articles = clean.clean(Document(origin="lol.xml", body=body))
    except InputError:
        articles = []
    assert time.monotonic() - start < 1.0
    assert all(len(a.text) < 10_000 and len(a.title or "") < 10_000 for a in articles)


# ---- oversized input ----------------------------------------------------------------------------

def test_json_with_ten_thousand_keys_is_named_not_crashed():
    body = json.dumps({f"k{i}": i for i in range(10_000)}).encode()
    with pytest.raises(InputError, match="neither a WordPress post nor a JSON Feed"):
        clean.clean(Document(origin="keys.json", body=body))


def test_deeply_nested_json_is_named_not_crashed():
    body = b"[" * 200_000 + b"]" * 200_000
    with pytest.raises(InputError, match="keys.json|deep|JSON"):
        clean.clean(Document(origin="keys.json", body=body))


def test_a_fifty_thousand_item_feed_is_cut_at_max_items():
    items = [{"title": f"Item {i}", "link": f"http://example.org/{i}", "guid": f"g{i}",
              "description": f"<p>Item {i}: the toll rose to {i + 10}, officials said.</p>"} for i in range(50_000)]
    articles = clean.clean(Document(origin="huge.xml", body=rss(items)))
    assert len(articles) == MAX_ITEMS
    assert articles[0].title == "Item 0" and articles[-1].title == f"Item {MAX_ITEMS - 1}"


def test_a_page_over_the_cap_is_cut_and_read():
    para = "<p>" + "The ministry said the toll rose to 120 in the capital on Monday. " * 8 + "</p>\n"
    body = ("<html><head><title>Big page</title></head><body><article><p>Opening words of the report, "
            "which runs on for far too long, said the ministry.</p>" + para * (3 * MAX_PAGE_BYTES // len(para))
            + "<p>UNREACHED closing words past the cap.</p></article></body></html>").encode()
    assert len(body) > 2 * MAX_PAGE_BYTES
    [article] = clean.clean(Document(origin="big.html", body=body))
    assert "Opening words" in article.text and "UNREACHED" not in article.text


@pytest.mark.parametrize("name", ["big.txt", "big.md"])
def test_article_text_of_any_format_is_cut_at_the_text_cap(name):
    """Text and Markdown have no page cap: a 2 MB text of counts is cut to MAX_TEXT_CHARS at a
    paragraph break, its start read, so one item cannot hold the store lock for minutes."""
    para = "Officials counted 1,204 dead, 3,110 injured and 18 missing in the province on Monday.\n\n"
    body = ("Opening words of the report.\n\n" + para * (2_000_000 // len(para)) + "UNREACHED closing words.").encode()
    [article] = clean.clean(Document(origin=name, body=body))
    assert len(article.text) <= clean.MAX_TEXT_CHARS and "Opening words" in article.text
    assert "UNREACHED" not in article.text and article.text.rstrip().endswith("Monday.")


def test_an_item_of_control_bytes_alone_is_no_article_not_a_blank_one():
    """Control bytes are scrubbed to spaces before the emptiness test, so such an item is
    "no article text found", never a stored article of blank text."""
    body = ("<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><description>"
            + "A channel of ordinary words. " * 200 + "</description><item><title>\x01</title>"
            "<description>\x01\x02\x03\x04\x05\x06\x07\x0e\x0f</description></item></channel></rss>").encode()
    with pytest.raises(InputError, match="no article text found"):
        clean.clean(Document(origin="ctl.xml", body=body))


def test_a_feed_whose_items_were_all_read_before_is_no_article_and_no_error():
    body = ("<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><item><title>Teaser</title>"
            "<link>http://127.0.0.1/a</link></item></channel></rss>").encode()
    assert clean.clean(Document(origin="feed.xml", body=body, hints={"only_skipped": True,
                                                                      "skip": ["http://127.0.0.1/a"]})) == []


def test_a_file_over_the_input_limit_is_refused_naming_it(tmp_path):
    big = tmp_path / "huge.html"
    with open(big, "wb") as out:
        out.truncate(pipeline.MAX_INPUT_BYTES + 1)
    result = invoke("ingest", "--db", tmp_path / "m.db", big)
    assert result.exit_code == 1 and "huge.html: too large" in result.stderr


# ---- control characters, NUL bytes ----------------------------------------------------------------

def test_control_characters_and_nul_bytes_never_reach_the_store(tmp_path):
    post = {"id": 7, "link": "https://example.org/p7\x00", "date_gmt": "2024-11-04T10:00:00",
            "title": {"rendered": "Toll\x00 rises\x07\x1b[31m in\r\nthe\x0bcapital\ud800"},
            "content": {"rendered": "<p>The death toll rose to 120\x00 on Monday,\x08 the ministry said.</p>"
                                    "<p>Rescuers\x1f searched\x7f the rubble\x9b all night long.</p>"}}
    path = tmp_path / "post.json"
    path.write_text(json.dumps(post), encoding="utf-8")
    store = Store(tmp_path / "m.db")
    report = pipeline.ingest_paths(store, [str(path)])
    assert report.ok and report.added == 1
    [row] = store.db.query("select title, text, url from articles")
    assert row["title"] == "Toll rises[31m in the capital"
    assert "\x00" not in row["text"] and "120" in row["text"]
    assert_clean_utf8(store)


# ---- the store itself -----------------------------------------------------------------------------

def _immutable(path: Path, on: bool) -> bool:
    """chattr +i: read-only even for root (tests run as root here); False where unsupported."""
    chattr = shutil.which("chattr")
    if chattr is None:
        return False
    return subprocess.run([chattr, "+i" if on else "-i", str(path)], capture_output=True).returncode == 0


def test_a_read_only_store_is_a_clear_error_for_writers_and_readable_for_readers(tmp_path, seed_files):
    db = tmp_path / "ro.db"
    assert invoke("ingest", "--db", db, seed_files[0]).exit_code == 0
    if not _immutable(db, True):
        db.chmod(0o444)
        if sys.platform != "win32" and __import__("os").access(db, __import__("os").W_OK):
            pytest.skip("cannot make a file read-only here (root without chattr)")
    try:
        result = invoke("ingest", "--db", db, seed_files[1])
        assert result.exit_code == 1
        assert "ro.db: the store is read-only" in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert invoke("alerts", "--db", db).exit_code == 0
        assert invoke("digest", "--db", db, "--format", "text").exit_code == 0
    finally:
        _immutable(db, False)
        db.chmod(0o644)


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_corrupt_store_is_one_error_line(tmp_path, seed_files, damage):
    db = tmp_path / "bad.db"
    assert invoke("ingest", "--db", db, *seed_files[:2]).exit_code == 0
    data = db.read_bytes()
    db.write_bytes(b"not a database at all" * 100 if damage == "garbage" else data[: len(data) // 3])
    for f in db.parent.glob("bad.db-*"):
        f.unlink()
    for argv in (("ingest", "--db", db, seed_files[2]), ("alerts", "--db", db), ("digest", "--db", db)):
        result = invoke(*argv)
        assert result.exit_code == 1, (argv, result.output)
        assert "bad.db" in result.stderr or "store" in result.stderr
        assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1


# ---- property tests for the cleaner ---------------------------------------------------------------

WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40)


@given(st.lists(WORDS, min_size=1, max_size=6), WORDS)
def test_any_html_fragment_in_a_post_gives_inert_valid_text(paragraphs, title):
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    post = {"id": 1, "title": {"rendered": title}, "content": {"rendered": body}}
    try:
        articles = clean.clean(Document(origin="p.json", body=json.dumps(post).encode()))
    except InputError:
        return
    for article in articles:
        for value in (article.text, article.title or ""):
            value.encode("utf-8")
            assert not UNSAFE.search(value)
        assert "<p>" not in article.text


@given(st.lists(st.text(alphabet="abcdefghij klmnop.,;0123456789", min_size=20, max_size=80), min_size=2, max_size=5))
def test_plain_paragraphs_of_sentences_survive_the_cleaner(sentences):
    paragraphs = [f"Officials in the capital said {s.strip() or 'nothing'} on Monday evening." for s in sentences]
    text = "\n\n".join(paragraphs)
    [article] = clean.clean(Document(origin="t.txt", body=text.encode()))
    words = " ".join(article.text.split())
    assert " ".join(paragraphs[-1].split()) in words
