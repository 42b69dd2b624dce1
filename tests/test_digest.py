"""The digest in Markdown, HTML and text, hostile input in every output, the inspection
commands (history, claims), the store's views, full-text search and datasette metadata, and a
screenshot of the HTML digest taken with headless Chromium where it is installed."""
from __future__ import annotations

import json
import re
from email import message_from_bytes
import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import feedparser
import pytest
import sqlite_utils
from conftest import ROOT, alerts_json, ingest_one_by_one, invoke

from monitor import notify
from monitor.config import Notifier
from monitor.notify import atom
from monitor.notify.files import OutputError, write_atomically
from monitor.notify.mail import mail_message
from monitor.store import SCHEMA, Store
from monitor.views import VIEWS

# ---- formats ----------------------------------------------------------------------------------


def test_html_digest_of_the_seeds_has_charts_tables_and_before_after(seeded_db):
    result = invoke("digest", "--db", seeded_db, "--format", "html")
    assert result.exit_code == 0, result.stderr
    page = result.stdout
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    assert page.count("<svg class=\"chart\"") == 1                 # one figure subject with alerts
    assert page.count("<polyline") >= 3                             # one line per source
    assert page.count('class="alert figure"') == 3 and page.count('class="alert position"') == 2
    assert "unconfirmed → confirms" in page
    assert '<meta name="viewport"' in page


def test_html_digest_is_self_contained(seeded_db):
    page = invoke("digest", "--db", seeded_db, "--format", "html").stdout
    tags = Tags.of(page)
    assert not {"script", "link", "img", "iframe", "object", "embed"} & tags.names
    for name, attrs in tags.items:
        for key, value in attrs:
            assert key not in ("src",) and not (key == "href" and not value.startswith(("http://", "https://")))


def test_text_digest_has_every_alert_and_no_markup(seeded_db, seed_alerts):
    out = invoke("digest", "--db", seeded_db, "--format", "text").stdout
    flat = " ".join(out.split())
    for alert in seed_alerts:
        assert alert["evidence"] in flat
    assert not re.search(r"<[a-zA-Z/!]", out) and "**" not in out
    assert max(len(line) for line in out.splitlines() if "/" not in line) <= 100


def test_markdown_digest_has_the_figure_history_and_totals(seeded_db):
    out = invoke("digest", "--db", seeded_db).stdout
    assert "| date | source | value | change | article |" in out
    assert "**new estimate**" in out
    assert "5 alerts: 3 figure changes, 2 position changes, in 1 story." in out


@pytest.mark.parametrize("since, count", [("24h", 5), ("2024-10-23", 5), ("2999-01-01", 0)])
def test_digest_since_window(seeded_db, since, count):
    """The window is on when alerts were raised; the seeds were ingested just now."""
    result = invoke("digest", "--db", seeded_db, "--since", since, "--format", "text")
    assert result.exit_code == 0, result.stderr
    assert ("No alerts." in result.stdout) == (count == 0)
    assert len(alerts_window(seeded_db, since)) == count


def alerts_window(db, since):
    result = invoke("alerts", "--db", db, "--json", "--since", since)
    return [line for line in result.stdout.splitlines() if line.strip()]


def test_digest_since_rejects_what_is_neither_a_duration_nor_a_date(seeded_db):
    result = invoke("digest", "--db", seeded_db, "--since", "yesterday-ish")
    assert result.exit_code == 2 and "--since" in result.stderr and "24h" in result.stderr


def test_digest_lists_sources_that_failed_in_the_window(tmp_path, seed_files):
    db = tmp_path / "m.db"
    broken = tmp_path / "broken.json"            # never written: "no such file"
    ingest = invoke("ingest", "--db", db, *seed_files, broken)
    assert ingest.exit_code == 1
    for fmt, marker in (("md", "## Sources that failed"), ("text", "SOURCES THAT FAILED"),
                        ("html", "Sources that failed")):
        out = invoke("digest", "--db", db, "--since", "1h", "--format", fmt).stdout
        assert marker in out and "broken.json" in out and "1 source failed" in out


# ---- hostile input ----------------------------------------------------------------------------

HOSTILE = {
    "title": 'Quake\r\n# Injected heading\r\nBcc: victim@example.org <script>alert("t")</script>',
    "story": "Story <img src=x onerror=alert(1)>\n## Forged section",
    "subject": 'deaths <svg onload=alert(2)> </h3><script>alert("s")</script>',
    "actor": 'Ministry <a href="javascript:alert(3)">x</a> \x00\x07',
    "evidence": 'The toll rose to 180 <script>alert("e")</script> <img src=x onerror=alert(4)> javascript:alert(5)',
    "url": "javascript:alert(document.cookie)",
    "previous_url": 'https://example.org/a"><script>alert(6)</script>',
}


@pytest.fixture
def hostile_db(tmp_path):
    """A store holding one alert whose every text field is an attack."""
    store = Store(tmp_path / "hostile.db")
    story = store.add_story(HOSTILE["story"], {}, True)
    article = store.add_article({"url": HOSTILE["url"], "origin": HOSTILE["url"], "title": HOSTILE["title"],
                                 "text": HOSTILE["evidence"], "story_id": story, "fingerprint": "x", "version": 1})
    store.add_subject({"key": "1:deaths:::", "story_id": story, "cls": "deaths", "label": HOSTILE["subject"]})
    for value in (120.0, 180.0):
        store.add_claim({"article_id": article, "kind": "figure", "subject_key": "1:deaths:::",
                         "actor_key": "b:x", "actor": HOSTILE["actor"], "value": value, "sentence": HOSTILE["evidence"]})
    store.add_alert({"kind": "figure", "change": "revised", "subject": HOSTILE["subject"], "subject_key": "1:deaths:::",
                     "actor": HOSTILE["actor"], "value": 180.0, "previous_value": 120.0, "article": HOSTILE["url"],
                     "url": HOSTILE["url"], "previous_article": HOSTILE["previous_url"], "evidence": HOSTILE["evidence"],
                     "previous_evidence": HOSTILE["evidence"], "title": HOSTILE["title"], "story_id": story,
                     "article_id": article, "run_id": 1})
    store.add_alert({"kind": "position", "change": "stance_changed", "subject": HOSTILE["subject"],
                     "subject_key": "topic:1:g:x", "actor": HOSTILE["actor"], "stance": "confirms",
                     "previous_stance": "denies", "article": HOSTILE["url"], "url": HOSTILE["url"],
                     "previous_article": HOSTILE["previous_url"], "evidence": HOSTILE["evidence"],
                     "previous_evidence": HOSTILE["evidence"], "title": HOSTILE["title"], "story_id": story,
                     "article_id": article, "run_id": 1})
    yield store
    store.close()


class Tags(HTMLParser):
    """Every start tag with its attributes, as a browser's tokenizer sees them."""

    def __init__(self):
        super().__init__()
        self.items: list[tuple[str, list]] = []

    @classmethod
    def of(cls, page: str) -> "Tags":
        parser = cls()
        parser.feed(page)
        return parser

    def handle_starttag(self, tag, attrs):
        self.items.append((tag, attrs))

    @property
    def names(self) -> set[str]:
        return {name for name, _ in self.items}


def assert_inert(html: str, allow_style: bool = False):
    tags = Tags.of(html)
    assert "script" not in tags.names and "img" not in tags.names and "iframe" not in tags.names
    assert allow_style or "style" not in tags.names
    for name, attrs in tags.items:
        for key, value in attrs:
            assert not key.startswith("on"), (name, key, value)
            assert key != "style", (name, key)
            if key == "href":
                assert value.startswith(("http://", "https://")) and "<" not in value and '"' not in value


def test_html_digest_leaves_no_active_content(hostile_db):
    page = notify.render("html", notify.digest(hostile_db, hostile_db.alerts()))
    assert_inert(page, allow_style=True)
    assert page.count("<style>") == 1                          # the page's own, in <head>
    assert not re.search(r"<a\s[^>]*javascript", page, re.I) and "&lt;script&gt;" in page   # shown, as text
    assert 'href="https://example.org/a%22%3E%3Cscript%3Ealert(6)%3C/script%3E"' in page


def test_markdown_and_text_digests_cannot_be_forged_by_line_breaks(hostile_db):
    digest = notify.digest(hostile_db, hostile_db.alerts())
    md = notify.render("md", digest)
    assert not any(line.startswith(("# Injected", "## Forged", "Bcc:")) for line in md.splitlines())
    assert "<script" not in md and "<img" not in md and "](javascript:" not in md
    text = notify.render("text", digest)
    assert "\r" not in text and "\x00" not in text and "\x07" not in text
    assert not any(line.lstrip().startswith(("# Injected", "## Forged", "Bcc:")) for line in text.splitlines())


def test_email_subject_is_one_line_whatever_the_story_label(hostile_db):
    digest = notify.digest(hostile_db, hostile_db.alerts(), title="monitor: 2 new alerts")
    notifier = Notifier(name="mail", kind="email", host="localhost", sender="m@example.org", to=("d@example.org",))
    message = mail_message(notifier, digest)
    assert "\r" not in message["Subject"] and "\n" not in message["Subject"]
    raw = message.as_bytes()
    headers = raw.split(b"\n\n", 1)[0]
    assert b"\nBcc:" not in headers and b"\n# Injected" not in headers
    assert message_from_bytes(raw)["Bcc"] is None
    html = message.get_body(("html",)).get_content()
    assert_inert(html, allow_style=True)


def test_atom_feed_is_well_formed_and_inert(hostile_db, tmp_path):
    digest = notify.digest(hostile_db, hostile_db.alerts(), sections=False)
    data = atom.feed(digest.alerts, "alerts <b>", feed_id="x")
    root = ET.fromstring(data)                                   # well-formed: control characters dropped
    parsed = feedparser.parse(data)
    assert not parsed.bozo and len(parsed.entries) == 2
    ns = {"a": atom.ATOM}
    for content in root.iterfind("a:entry/a:content", ns):
        assert_inert(content.text)
    for link in root.iterfind("a:entry/a:link", ns):
        assert link.get("href").startswith("https://")


def test_file_names_cannot_leave_the_output_folder(tmp_path):
    out = tmp_path / "out"
    for name in ("../escape.html", "a/b.html", "..", "", "/etc/passwd", "x\0y"):
        with pytest.raises(OutputError):
            write_atomically(out, name, b"x")
    assert not (tmp_path / "escape.html").exists()
    written = write_atomically(out, "digest.html", b"whole")
    assert written.read_bytes() == b"whole" and [p.name for p in out.iterdir()] == ["digest.html"]


def test_hostile_feed_end_to_end_writes_only_inert_files_in_the_folder(tmp_path):
    """Hostile titles, text and links through ingest, a pass and the file and atom notifiers."""
    from localserver import rss
    items = [{"title": 'Toll <script>alert(1)</script>\r\nBcc: x@example.org', "link": "javascript:alert(2)",
              "guid": "h1", "pubDate": "Mon, 04 Nov 2024 10:00:00 GMT",
              "description": "<p>The death toll from the floods in Bangladesh rose to 120 on Monday, the Bangladesh "
                             "health ministry said. <img src=x onerror=alert(3)></p>"},
             {"title": "Toll climbs <img src=x onerror=alert(4)>", "link": "https://example.org/t\"><script>x</script>",
              "guid": "h2", "pubDate": "Tue, 05 Nov 2024 10:00:00 GMT",
              "description": "<p>The death toll from the floods in Bangladesh rose to 180 on Tuesday, the Bangladesh "
                             "health ministry said <script>alert(5)</script>.</p>"}]
    feeds = tmp_path / "in"
    feeds.mkdir()
    (feeds / "a.xml").write_bytes(rss(items[:1]))
    (feeds / "b.xml").write_bytes(rss(items[1:]))
    out = tmp_path / "out"
    from localserver import write_config
    cfg = write_config(tmp_path, [{"name": "h", "kind": "files", "path": str(feeds), "glob": "*.xml"}], notifiers=[
        {"name": "html", "kind": "file", "path": str(out), "format": "html"},
        {"name": "md", "kind": "file", "path": str(out), "format": "md"},
        {"name": "feed", "kind": "atom", "path": str(out / "alerts.atom")}])
    before = set(p for p in tmp_path.rglob("*"))
    result = invoke("run", "--config", cfg)
    assert result.exit_code == 0, result.stderr
    assert alerts_json(tmp_path / "monitor.db"), "the hostile story raised no alert to render"
    created = set(tmp_path.rglob("*")) - before
    outside = {p for p in created if out not in p.parents and p != out and not p.name.startswith("monitor.db")}
    assert not outside, outside
    for page in out.glob("*.html"):
        assert_inert(page.read_text(), allow_style=True)
    for md in out.glob("*.md"):
        assert "<script" not in md.read_text() and "](javascript:" not in md.read_text()
    root = ET.parse(out / "alerts.atom").getroot()
    for content in root.iterfind(f"{{{atom.ATOM}}}entry/{{{atom.ATOM}}}content"):
        assert_inert(content.text)


# ---- inspection -------------------------------------------------------------------------------


def test_history_prints_a_subjects_timeline_with_the_changes(seeded_db):
    result = invoke("history", "--db", seeded_db, "troops (North Korea)")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Figure: troops (North Korea)")
    assert result.stdout.count("new_estimate (was") == 3


def test_history_of_a_topic_marks_stance_changes(seeded_db):
    out = invoke("history", "--db", seeded_db, "--evidence", "officers").stdout
    assert "Position (truth)" in out and out.count("changed (was unconfirmed") == 2
    assert "Lloyd Austin" in out


def test_history_with_no_match_exits_non_zero(seeded_db):
    result = invoke("history", "--db", seeded_db, "no such subject anywhere")
    assert result.exit_code == 1 and "no subject or topic matches" in result.stderr


def test_claims_shows_each_claim_with_its_sentence(seeded_db, seed_files):
    result = invoke("claims", "--db", seeded_db, str(seed_files[3]))
    assert result.exit_code == 0, result.stderr
    assert "troops (North Korea): at least 3,000 — John Kirby" in result.stdout
    assert "read from: “at least 3,000 North Korean troops”" in result.stdout
    by_id = invoke("claims", "--db", seeded_db, "4").stdout
    assert by_id == result.stdout
    assert invoke("claims", "--db", seeded_db, "nope.txt").exit_code == 1


def test_claims_shows_why_a_position_was_read_so(seeded_db, seed_files):
    # Issue 13: each position's speaker, the levels it counts at, its cue with scale and
    # polarity, and the topic it was filed under.
    out = invoke("claims", "--db", seeded_db, str(seed_files[1])).stdout
    block = out[out.index("position "):]
    assert "        speaker: " in block and "; levels: " in block and " > " in block
    assert "scale, " in block and "        topic " in block


# ---- the store for people ---------------------------------------------------------------------


def test_views_answer_and_full_text_search_finds_articles(seeded_db):
    db = sqlite_utils.Database(seeded_db)
    assert set(VIEWS) <= set(db.view_names())
    assert db.execute("select count(*) from alerts_view").fetchone()[0] == 5
    assert db.execute("select count(*) from figures_view where source like 'John Kirby%'").fetchone()[0] == 2
    assert db.execute("select count(*) from positions_view where stance = 'confirms'").fetchone()[0] >= 5
    titles = [r["title"] for r in db["articles"].search("Kirby")]
    assert titles and all(titles)


def test_a_version_1_store_gains_views_and_search_when_opened(tmp_path, seed_files):
    db = tmp_path / "old.db"
    ingest_one_by_one(db, seed_files[:2])
    conn = sqlite3.connect(db)
    for view in VIEWS:
        conn.execute(f"drop view {view}")
    conn.execute("pragma user_version = 1")
    conn.commit()
    conn.close()
    invoke("alerts", "--db", db)
    assert set(VIEWS) <= set(sqlite_utils.Database(db).view_names())


def test_datasette_metadata_describes_every_table_view_and_column():
    meta = json.loads(invoke("metadata", "--db", "monitor.db").stdout)
    tables = meta["databases"]["monitor"]["tables"]
    for table, columns in SCHEMA.items():
        assert tables[table]["description"], table
        assert set(tables[table]["columns"]) == set(columns), table
    assert set(VIEWS) <= set(tables)
    shipped = json.loads((ROOT / "config" / "datasette.json").read_text())
    assert shipped == meta, "config/datasette.json is stale: monitor metadata --db monitor.db > config/datasette.json"
    other = json.loads(invoke("metadata", "--db", "/x/demo.db").stdout)
    assert list(other["databases"]) == ["demo"]


# ---- seen, not only parsed --------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
def test_html_digest_screenshot_shows_the_chart_and_the_before_after_blocks(seeded_db, tmp_path):
    page = tmp_path / "digest.html"
    page.write_text(invoke("digest", "--db", seeded_db, "--format", "html").stdout)
    shot = tmp_path / "digest.png"
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=412,2400"]
    subprocess.run(flags + [f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120, check=True)
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (412, 2400)
    # What the browser built from the page: the chart's lines and the before -> after blocks.
    dom = subprocess.run(flags + ["--dump-dom", page.as_uri()], capture_output=True, timeout=120, check=True,
                         text=True).stdout
    assert dom.count("<polyline") >= 3 and dom.count('class="before-after"') == 5
    assert "<script" not in dom
