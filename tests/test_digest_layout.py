"""Issue 15, item 7: the digest puts the news first. The changes come before the history,
the story is named by what its latest article says (in the digest, the alerts table, the
Atom titles and the mail subject), each piece of evidence shows its outlet's domain, and the
chart's axes carry dates and round values. Real stores, real ingest through the CLI."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from email.utils import format_datetime

import pytest
from conftest import invoke
from localserver import rss

from monitor import notify
from monitor.config import Notifier
from monitor.notify import atom
from monitor.notify.mail import mail_message
from monitor.store import Store

ATOM = "{http://www.w3.org/2005/Atom}"
FIRST = "Floods in Bangladesh kill 120"
LATEST = "Bangladesh flood toll hits 180"


def toll_item(title: str, day: int, toll: int, guid: str) -> dict:
    """One RSS item of the Bangladesh floods story, dated 2024-11-`day`, on www.floodnews.example."""
    when = dt.datetime(2024, 11, day, 10, tzinfo=dt.timezone.utc)
    return {"title": title, "link": f"https://www.floodnews.example/{guid}", "guid": guid,
            "pubDate": format_datetime(when, usegmt=True),
            "description": f"<p>The death toll from the floods in Bangladesh rose to {toll} on "
                           f"{when:%A}, the Bangladesh health ministry said.</p>"}


def ingest(db, tmp_path, *articles) -> None:
    """Each article (an RSS item dict, or the text of a plain-text article) is one arrival."""
    for i, article in enumerate(articles):
        path = tmp_path / (f"{i}.xml" if isinstance(article, dict) else f"{i}.txt")
        path.write_bytes(rss([article]) if isinstance(article, dict) else article.encode())
        result = invoke("ingest", "--db", db, path)
        assert result.exit_code == 0, result.stderr


@pytest.fixture
def floods(tmp_path):
    """Two articles of one story, the second with a new headline and a higher toll."""
    db = tmp_path / "floods.db"
    ingest(db, tmp_path, toll_item(FIRST, 4, 120, "a"), toll_item(LATEST, 5, 180, "b"))
    return db


def html_digest(db) -> str:
    result = invoke("digest", "--db", db, "--format", "html")
    assert result.exit_code == 0, result.stderr
    return result.stdout


# ---- the changes first ------------------------------------------------------------------------

def test_the_first_change_comes_before_the_history(seeded_db):
    page = html_digest(seeded_db)
    first_change = page.index('class="alert ')
    assert first_change < page.index("<table") and first_change < page.index('<svg class="chart"')
    # ... in Markdown and plain text too.
    markdown = invoke("digest", "--db", seeded_db).stdout
    assert markdown.index("- **") < markdown.index("| date | source |")
    text = invoke("digest", "--db", seeded_db, "--format", "text").stdout
    assert text.index("* ") < text.index("History:")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
# A phone's screen: the width the issue measured (412 px) and a first screen of 900 px.
PHONE = (412, 900)
# Appended to a copy of the digest, without its Content-Security-Policy (which forbids any
# script): writes where the first change card starts into the page, for --dump-dom to read.
MEASURE = ('<script>document.body.setAttribute("data-first-change", '
           'Math.round(document.querySelector(".alert").getBoundingClientRect().top));</script>')


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
def test_the_first_screen_on_a_phone_shows_a_change(seeded_db, tmp_path):
    page = html_digest(seeded_db)
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page).replace("</body>", MEASURE + "</body>")
    copy = tmp_path / "measured.html"
    copy.write_text(page)
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
             "--disable-background-networking", f"--user-data-dir={tmp_path / 'profile'}",
             f"--window-size={PHONE[0]},{PHONE[1]}", "--dump-dom", copy.as_uri()]
    dom = subprocess.run(flags, capture_output=True, timeout=120, check=True, text=True).stdout
    top = int(re.search(r'data-first-change="(\d+)"', dom).group(1))
    assert top < PHONE[1] - 100, f"the first change starts {top} px down a {PHONE[1]} px screen"


# ---- the story's current label ----------------------------------------------------------------

def test_the_story_is_named_by_its_latest_article(floods):
    assert f"## {LATEST}" in invoke("digest", "--db", floods).stdout
    assert f"<h2>{LATEST}</h2>" in html_digest(floods)
    assert f"{'=' * 76}\n{LATEST}\n{'=' * 76}" in invoke("digest", "--db", floods, "--format", "text").stdout


def test_an_older_article_arriving_late_does_not_rename_the_story(tmp_path):
    db = tmp_path / "late.db"
    ingest(db, tmp_path, toll_item(FIRST, 4, 120, "a"), toll_item(LATEST, 5, 180, "b"),
           toll_item("Rescuers reach villages cut off by floods in Bangladesh", 3, 90, "c"))
    assert f"## {LATEST}" in invoke("digest", "--db", db).stdout


def test_an_undated_article_names_the_story_when_it_arrives(tmp_path):
    db = tmp_path / "undated.db"
    undated = ("Bangladesh flood toll reaches 240\n\nThe death toll from the floods in Bangladesh rose to 240 on "
               "Wednesday, the Bangladesh health ministry said.\n")
    ingest(db, tmp_path, toll_item(FIRST, 4, 120, "a"), toll_item(LATEST, 5, 180, "b"), undated)
    assert "## Bangladesh flood toll reaches 240" in invoke("digest", "--db", db).stdout


def test_the_alerts_table_names_the_story(floods):
    table = invoke("alerts", "--db", floods).stdout
    assert "story" in table.splitlines()[0] and LATEST in table


def test_atom_titles_name_the_story(floods):
    store = Store(floods)
    try:
        latest = notify.digest(store, store.alerts(), sections=False)
    finally:
        store.close()
    root = ET.fromstring(atom.feed(latest.alerts, "monitor", feed_id="t"))
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert titles and all(t.startswith(f"{LATEST}: Figure: ") and "→ 180" in t for t in titles), titles


def test_the_mail_subject_names_the_current_label(floods):
    store = Store(floods)
    try:
        digest = notify.digest(store, store.alerts(), title="monitor: 1 new alert")
    finally:
        store.close()
    mail = Notifier(name="mail", kind="email", host="localhost", sender="m@example.org", to=("d@example.org",))
    assert mail_message(mail, digest)["Subject"] == f"monitor: 1 new alert: {LATEST}"


# ---- the outlet beside the evidence -----------------------------------------------------------

def test_each_piece_of_evidence_shows_its_outlets_domain(floods):
    page = html_digest(floods)
    cites = re.findall(r"<cite>(.*?)</cite>", page, re.S)
    assert len(cites) == 2 and all('<span class="outlet">floodnews.example</span>' in c for c in cites), cites
    markdown = invoke("digest", "--db", floods).stdout
    assert markdown.count("” — **floodnews.example** · [") == 2


# ---- the chart's axes -------------------------------------------------------------------------

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Round steps of an axis: 1, 2, 2.5 or 5 times a power of ten.
ROUND = (1, 2, 2.5, 5)


def chart_labels(page: str) -> tuple[list[str], list[float]]:
    """The chart's date labels and its value labels (as numbers: "5k" -> 5000)."""
    svg = re.search(r'<svg class="chart".*?</svg>', page, re.S).group(0)
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    scale = {"k": 1e3, "M": 1e6, "bn": 1e9, "": 1}
    values = [float(m.group(1).replace(",", "")) * scale[m.group(2)]
              for m in (re.fullmatch(r"(-?[\d,.]+)(k|M|bn|)", t) for t in texts if not DATE.fullmatch(t)) if m]
    return [t for t in texts if DATE.fullmatch(t)], values


def is_round_step(step: float) -> bool:
    mantissa = step / 10 ** int(f"{step:e}".split("e")[1])
    return any(abs(mantissa - r) < 1e-9 for r in ROUND)


def test_the_chart_has_dated_x_ticks_and_round_y_ticks(seeded_db):
    page = html_digest(seeded_db)
    dates, values = chart_labels(page)
    assert dates[0] == "2024-10-23" and dates[-1] == "2024-10-24"
    assert len(values) >= 3 and values[0] == 0 and values[-1] >= 11_000       # the largest figure: 11,000
    steps = {round(b - a, 6) for a, b in zip(values, values[1:])}
    assert len(steps) == 1 and is_round_step(steps.pop()), values


def test_undated_articles_are_placed_in_arrival_order_and_said_so(tmp_path):
    db = tmp_path / "undated.db"
    undated = ("Bangladesh flood toll reaches 240\n\nThe death toll from the floods in Bangladesh rose to 240 on "
               "Wednesday, the Bangladesh health ministry said.\n")
    ingest(db, tmp_path, toll_item(FIRST, 4, 120, "a"), toll_item(LATEST, 5, 180, "b"), undated)
    page = html_digest(db)
    dates, _ = chart_labels(page)
    svg = re.search(r'<svg class="chart".*?</svg>', page, re.S).group(0)
    assert dates == ["2024-11-04", "2024-11-05"] and ">undated<" not in svg
    assert "1 of 3 articles give no date: each is drawn in the order it arrived" in page


def test_the_stores_views_name_the_story_as_the_digest_does(floods):
    """sqlite-utils and datasette readers see the same story label as the CLI (schema 4)."""
    import sqlite3
    with sqlite3.connect(floods) as conn:
        stories = {row[0] for row in conn.execute("select story from alerts_view")}
        figures = {row[0] for row in conn.execute("select story from figures_view")}
    assert stories == {LATEST} and LATEST in figures
