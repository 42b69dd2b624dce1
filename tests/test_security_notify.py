"""Issue 12, notifiers and digests: mail headers that no title can add to, a failing notifier
that fails alone, a total deadline per delivery, only http(s) links live in Markdown, and no
bidi override or invisible format control in any text output.

Real parts only: an aiosmtpd receiver capturing the raw message, an HTTP receiver on
127.0.0.1, a real store, a real full filesystem (a 4 KB tmpfs in a private mount namespace).
"""
from __future__ import annotations

import base64
import json
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from email import message_from_bytes, policy
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from aiosmtpd.controller import Controller
from conftest import ROOT, invoke
from localserver import Server, rss, write_config

from monitor import notify
from monitor.config import Notifier
from monitor import pipeline
from monitor.notify import notifiers as notifiers_module
from monitor.notify.mail import mail_message
from monitor.store import Store

SEEDS = ROOT / "fixtures" / "seeds"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seeds_source() -> dict:
    return {"name": "seeds", "kind": "files", "path": str(SEEDS), "glob": "*.txt", "every": "1s"}


def notifier_row(db: Path, name: str) -> dict | None:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        row = conn.execute("select * from notifiers where name = ?", [name]).fetchone()
        return dict(row) if row else None
    finally:
        conn.close()


def delivered(db: Path, name: str) -> list[int]:
    conn = sqlite3.connect(db)
    try:
        return [i for i, in conn.execute("select alert_id from deliveries where notifier = ? order by alert_id",
                                          [name])]
    finally:
        conn.close()


def toll_feed(folder: Path, first_title: str, second_title: str = "Toll climbs", extra: str = "") -> dict:
    """Two feed files whose death tolls (120, then 180) raise one `revised` alert; the second
    (latest) article's title is the story's label in a digest and a mail subject."""
    folder.mkdir(exist_ok=True)
    items = [{"title": first_title, "link": "https://example.org/a", "guid": "t1",
              "pubDate": "Mon, 04 Nov 2024 10:00:00 GMT",
              "description": "<p>The death toll from the floods in Bangladesh rose to 120 on Monday, the Bangladesh "
                             f"health ministry said{extra}.</p>"},
             {"title": second_title, "link": "https://example.org/b", "guid": "t2",
              "pubDate": "Tue, 05 Nov 2024 10:00:00 GMT",
              "description": "<p>The death toll from the floods in Bangladesh rose to 180 on Tuesday, the Bangladesh "
                             f"health ministry said{extra}.</p>"}]
    (folder / "a.xml").write_bytes(rss(items[:1]))
    (folder / "b.xml").write_bytes(rss(items[1:]))
    return {"name": "floods", "kind": "files", "path": str(folder), "glob": "*.xml"}


# ---- 1. mail header injection -----------------------------------------------------------------

ENCODED_Q = "=?UTF-8?Q?=0D=0ABcc:_someone@example.org?="
# Short enough that the whole encoded word fits in the subject before it is cut.
BCC = "\r\nBcc: someone@example.org\r\nReply-To: t@example.org"
ENCODED = {
    "q": "=?UTF-8?Q?=0D=0ABcc:_someone@example.org=0D=0AReply-To:_t@example.org?=",
    "b": f"=?UTF-8?B?{base64.b64encode(BCC.encode()).decode()}?=",
    # encoded twice: one decoding leaves an encoded word that a second would turn into lines
    "nested": "=?UTF-8?Q?" + ENCODED_Q.replace("=", "=3D").replace("?", "=3F").replace("_", "=5F") + "?=",
}
# The headers our alert mail carries, and nothing else.
MAIL_HEADERS = {"subject", "from", "to", "date", "message-id", "mime-version", "content-type"}


class Capture:
    """aiosmtpd handler: each message's envelope recipients and its raw bytes, as received."""

    def __init__(self):
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content or envelope.content))
        return "250 OK"


@pytest.fixture
def plain_smtp():
    """A real SMTP receiver on 127.0.0.1 (no TLS: the headers are the point here)."""
    capture = Capture()
    controller = Controller(capture, hostname="127.0.0.1", port=free_port())
    controller.start()
    capture.port = controller.port
    yield capture
    controller.stop()


def header_names(raw: bytes) -> list[str]:
    head = raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0].decode("ascii")
    return [line.split(":", 1)[0].lower() for line in head.split("\n") if line and not line[0].isspace()]


@pytest.mark.parametrize("encoding", ["q", "b"])
def test_encoded_words_in_a_title_add_no_mail_header(tmp_path, plain_smtp, encoding):
    source = toll_feed(tmp_path / "in", f"Floods {ENCODED[encoding]}", f"Floods climb {ENCODED[encoding]}")
    cfg = write_config(tmp_path, [source], notifiers=[
        {"name": "mail", "kind": "email", "host": "127.0.0.1", "port": plain_smtp.port, "tls": "none",
         "from": "monitor@example.org", "to": "desk@example.org", "timeout": "10s"}])
    result = invoke("run", "--config", cfg)
    assert result.exit_code == 0, result.stderr
    [(recipients, raw)] = plain_smtp.messages
    assert recipients == ["desk@example.org"]
    names = header_names(raw)
    assert set(names) == MAIL_HEADERS and len(names) == len(MAIL_HEADERS), names
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Bcc"] is None and parsed["Reply-To"] is None
    subject = str(parsed["Subject"]).strip()          # a long subject is folded onto a continuation line
    assert "\r" not in subject and "\n" not in subject
    assert subject.startswith("monitor: 1 new alert: Floods climb") and "Bcc: someone@example.org" in subject


@pytest.mark.parametrize("encoding", ["q", "b", "nested"])
def test_no_header_of_the_alert_mail_can_be_split_by_what_it_holds(tmp_path, encoding):
    """Every header from decoded, flattened text, encoded words nested too, in each format,
    through the message's own serialisation and back."""
    store = Store(tmp_path / "s.db")
    try:
        story = store.add_story(f"Floods {ENCODED[encoding]}", {}, True)
        store.add_alert({"kind": "position", "change": "stance_changed", "subject": ENCODED[encoding],
                         "subject_key": "topic:1:g:x", "actor": ENCODED["b"], "stance": "confirms",
                         "previous_stance": "denies", "article": "a.txt", "evidence": ENCODED["q"],
                         "title": ENCODED["b"], "story_id": story, "article_id": 1, "run_id": 1})
        digest = notify.digest(store, store.alerts(), title="monitor: 1 new alert")
    finally:
        store.close()
    for fmt in ("html", "text", "md"):
        mail = Notifier(name="mail", kind="email", host="localhost", sender="m@example.org", to=("d@example.org",),
                        format=fmt)
        raw = mail_message(mail, digest).as_bytes(policy=policy.SMTP)
        names = [name for name in header_names(raw) if name != "content-transfer-encoding"]   # text parts only
        assert set(names) == MAIL_HEADERS and len(names) == len(MAIL_HEADERS), (fmt, names)
        subject = str(message_from_bytes(raw, policy=policy.default)["Subject"]).strip()
        assert "\n" not in subject and "\r" not in subject and "=?" not in subject, subject
        assert subject.startswith("monitor: 1 new alert: Floods") and "Bcc: someone@example.org" in subject


# ---- 4. a failing notifier fails alone --------------------------------------------------------

@pytest.mark.parametrize("command", ["run", "notify"])
def test_each_broken_notifier_is_named_recorded_and_the_others_still_deliver(tmp_path, command):
    (tmp_path / "a-file").write_text("not a folder")
    (tmp_path / "a-folder").mkdir()
    cfg = write_config(tmp_path, [seeds_source()], notifiers=[
        {"name": "filefolder", "kind": "file", "path": str(tmp_path / "a-file")},
        {"name": "atomdir", "kind": "atom", "path": str(tmp_path / "a-folder")},
        {"name": "good", "kind": "file", "path": str(tmp_path / "out"), "format": "text"}])
    db = tmp_path / "monitor.db"
    if command == "notify":
        assert invoke("ingest", "--db", db, *sorted(SEEDS.glob("*.txt"))).exit_code == 0
    result = invoke(command, "--config", cfg)
    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: notifier ")]
    assert [line.split(":")[1].strip().split()[1] for line in errors] == ["filefolder", "atomdir"], errors
    assert str(tmp_path / "a-file") in errors[0] and str(tmp_path / "a-folder") in errors[1]
    for name in ("filefolder", "atomdir"):
        row = notifier_row(db, name)
        assert row["failures"] == 1 and row["last_error"] and delivered(db, name) == [], name
    assert delivered(db, "good") == [1, 2, 3, 4, 5]
    assert (tmp_path / "out" / "latest.txt").is_file()
    assert invoke("status", "--config", cfg).exit_code == 0


def seeded_store(tmp_path: Path) -> Path:
    """A store holding the seeds' five alerts, none delivered."""
    db = tmp_path / "monitor.db"
    assert invoke("ingest", "--db", db, *sorted(SEEDS.glob("*.txt"))).exit_code == 0
    return db


LONG_HOST = "a" * 70 + ".example.com"      # a label over 63 characters: the resolver's codec raises UnicodeError


def test_a_host_label_over_63_characters_fails_that_notifier_alone(tmp_path):
    """Notifiers made in code (the config refuses such hosts and URLs, tests/test_security_config.py)
    whose host no resolver can encode: its own error, and the notifiers after it deliver."""
    db = seeded_store(tmp_path)
    notifiers = [Notifier(name="hook", kind="webhook", url=f"http://{LONG_HOST}/hook", timeout=5.0),
                 Notifier(name="mail", kind="email", host=LONG_HOST, port=25, tls="none", sender="m@example.org",
                          to=("d@example.org",), timeout=5.0),
                 Notifier(name="badurl", kind="webhook", url="http://[::1/hook", timeout=5.0),
                 Notifier(name="good", kind="file", path=str(tmp_path / "out"), format="text")]
    store = Store(db)
    try:
        errors = pipeline.notify(store, notifiers)
    finally:
        store.close()
    assert [e.split(":")[0] for e in errors] == ["notifier hook", "notifier mail", "notifier badurl"], errors
    assert LONG_HOST in errors[0] and LONG_HOST in errors[1] and "http://[::1/hook" in errors[2], errors
    assert notifier_row(db, "hook")["failures"] == 1 and notifier_row(db, "mail")["failures"] == 1
    assert delivered(db, "good") == [1, 2, 3, 4, 5]


def dripping_hooks(receiver: Server, count: int, timeout: float) -> list[Notifier]:
    url = receiver.drip_headers("/slow", interval=DRIP_INTERVAL, limit=DRIP_BYTES)
    return [Notifier(name=f"hook{i}", kind="webhook", url=url, timeout=timeout) for i in range(count)]


def test_a_set_stop_leaves_every_notifier_pending_for_the_next_pass(tmp_path):
    db = seeded_store(tmp_path)
    good = Notifier(name="good", kind="file", path=str(tmp_path / "out"), format="text")
    stop = threading.Event()
    stop.set()
    store = Store(db)
    try:
        lines = pipeline.notify(store, [good], stop=stop)
        assert delivered(db, "good") == [] and not (tmp_path / "out").exists()
        assert len(lines) == 1 and "stopping" in lines[0] and "good" in lines[0], lines
        assert pipeline.notify(store, [good]) == []            # the next pass delivers them
    finally:
        store.close()
    assert delivered(db, "good") == [1, 2, 3, 4, 5]


def test_stop_during_a_dripping_delivery_ends_the_notify_phase(tmp_path):
    """Five webhooks to a receiver that drips one header byte a second, each with a 30 s
    timeout: 150 s without a stop. Set a moment in, the stop ends the delivery in hand and
    the rest are not started; all stay pending."""
    db = seeded_store(tmp_path)
    stop = threading.Event()
    warnings = []
    with Server() as receiver:
        hooks = dripping_hooks(receiver, 5, timeout=30.0)
        store = Store(db)
        timer = threading.Timer(1.0, stop.set)
        try:
            started = time.monotonic()
            timer.start()
            errors = pipeline.notify(store, hooks, stop=stop, warn=warnings.append)
            took = time.monotonic() - started
        finally:
            timer.cancel()
            store.close()
        hits = len(receiver.hits("/slow"))
    assert took < 15, f"the notify phase went on {took:.1f} s after the stop"
    assert hits == 1, f"{hits} deliveries started after the stop"
    assert [e.split(":")[0] for e in errors] == ["notifier hook0"] and "stopping" in errors[0], errors
    assert len(warnings) == 1 and all(f"hook{i}" in warnings[0] for i in range(1, 5)), warnings
    assert all(delivered(db, hook.name) == [] for hook in hooks)


def test_the_notify_phase_has_a_total_deadline_and_the_rest_stay_pending(tmp_path, monkeypatch):
    """With the phase's deadline at 2 s (the real one is NOTIFY_PHASE_SECONDS), three webhooks
    with a 30 s timeout to a dripping receiver: the first is cut at the phase's end, the other
    two are not started and are named in a warning, a file notifier after them too."""
    monkeypatch.setattr(notifiers_module, "NOTIFY_PHASE_SECONDS", 2.0)
    db = seeded_store(tmp_path)
    warnings = []
    with Server() as receiver:
        hooks = dripping_hooks(receiver, 3, timeout=30.0)
        good = Notifier(name="good", kind="file", path=str(tmp_path / "out"), format="text")
        store = Store(db)
        try:
            started = time.monotonic()
            errors = pipeline.notify(store, [*hooks, good], warn=warnings.append)
            took = time.monotonic() - started
        finally:
            store.close()
        hits = len(receiver.hits("/slow"))
    assert took < 15, f"the notify phase took {took:.1f} s"
    assert hits == 1
    assert [e.split(":")[0] for e in errors] == ["notifier hook0"] and "deadline" in errors[0], errors
    assert len(warnings) == 1 and all(name in warnings[0] for name in ("hook1", "hook2", "good")), warnings
    assert "pending" in warnings[0]
    assert delivered(db, "good") == [] and delivered(db, "hook1") == []


def _can_mount_a_private_tmpfs(folder: Path) -> bool:
    unshare = shutil.which("unshare")
    if unshare is None:
        return False
    probe = subprocess.run([unshare, "-rm", "sh", "-c", 'mount -t tmpfs -o size=4k tmpfs "$1"', "sh", str(folder)],
                           capture_output=True, timeout=30)
    return probe.returncode == 0


def test_a_full_disk_fails_the_file_notifier_alone(tmp_path):
    """A real full filesystem: a 4 KB tmpfs mounted over the digest folder in a private mount
    namespace (unshare), for the `monitor run` process only."""
    full = tmp_path / "full"
    full.mkdir()
    if not _can_mount_a_private_tmpfs(full):
        pytest.skip("cannot mount a tmpfs in a private namespace (unshare -rm) here")
    cfg = write_config(tmp_path, [seeds_source()], notifiers=[
        {"name": "full", "kind": "file", "path": str(full), "format": "html"},
        {"name": "feed", "kind": "atom", "path": str(full / "alerts.atom")},
        {"name": "good", "kind": "file", "path": str(tmp_path / "out"), "format": "md"}])
    script = 'mount -t tmpfs -o size=4k tmpfs "$1" && shift && exec "$@"'
    result = subprocess.run(["unshare", "-rm", "sh", "-c", script, "sh", str(full), sys.executable, "-m", "monitor",
                             "run", "--config", str(cfg)], capture_output=True, text=True, timeout=120,
                            cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "error: notifier full: " in result.stderr and "No space left on device" in result.stderr
    db = tmp_path / "monitor.db"
    assert notifier_row(db, "full")["failures"] == 1 and "No space left" in notifier_row(db, "full")["last_error"]
    assert delivered(db, "full") == [] and delivered(db, "good") == [1, 2, 3, 4, 5]
    assert list(full.iterdir()) == []                      # the mount is gone with its namespace


# A drip far longer than the deadline: without a total deadline the pass waits for all of it.
DRIP_INTERVAL = 1.0
DRIP_BYTES = 30
DEADLINE = 2.0


def test_a_dripping_webhook_receiver_stops_at_the_total_deadline(tmp_path):
    with Server() as receiver:
        url = receiver.drip_headers("/slow", interval=DRIP_INTERVAL, limit=DRIP_BYTES)
        cfg = write_config(tmp_path, [seeds_source()], notifiers=[
            {"name": "hook", "kind": "webhook", "url": url, "timeout": f"{DEADLINE:g}s"},
            {"name": "good", "kind": "file", "path": str(tmp_path / "out")}])
        started = time.monotonic()
        result = invoke("run", "--config", cfg)
        took = time.monotonic() - started
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert "error: notifier hook: " in result.stderr and "deadline" in result.stderr
    assert took < DRIP_INTERVAL * DRIP_BYTES / 2, f"held the pass {took:.1f} s"
    assert delivered(tmp_path / "monitor.db", "good") == [1, 2, 3, 4, 5]
    assert delivered(tmp_path / "monitor.db", "hook") == []


class DrippingSMTP:
    """A TCP server on 127.0.0.1 that answers an SMTP client's connection with a greeting
    one byte every DRIP_INTERVAL seconds (bounded; stops when the client goes)."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.listener.close()
        self.thread.join(timeout=5)

    def _serve(self):
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        with conn:
            for byte in (b"220 drip.example ESMTP " + b"." * DRIP_BYTES)[:DRIP_BYTES]:
                if self.stop.wait(DRIP_INTERVAL):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return


def test_a_dripping_smtp_server_stops_at_the_total_deadline(tmp_path):
    with DrippingSMTP() as server:
        cfg = write_config(tmp_path, [seeds_source()], notifiers=[
            {"name": "mail", "kind": "email", "host": "127.0.0.1", "port": server.port, "tls": "none",
             "from": "monitor@example.org", "to": "desk@example.org", "timeout": f"{DEADLINE:g}s"},
            {"name": "good", "kind": "file", "path": str(tmp_path / "out")}])
        started = time.monotonic()
        result = invoke("run", "--config", cfg)
        took = time.monotonic() - started
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert "error: notifier mail: " in result.stderr and "deadline" in result.stderr
    assert took < DRIP_INTERVAL * DRIP_BYTES / 2, f"held the pass {took:.1f} s"
    assert delivered(tmp_path / "monitor.db", "good") == [1, 2, 3, 4, 5]


# ---- 8. only http(s) links live in Markdown ---------------------------------------------------

FORGED = ("[click](javascript:alert(1)) [d](data:text/html;base64,PHNjcmlwdD4=) [v](vbscript:msgbox(1)) "
          "[f](file:///etc/passwd) [h](https://evil.example/forged) ![i](https://evil.example/pixel.png) "
          "<javascript:alert(2)> [r][1] `code [x](javascript:alert(3))` \\[e](javascript:alert(4))")
REFERENCE = "[1]: javascript:alert(5)"


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.targets += [v for k, v in attrs if k in ("href", "src")]


def live_links(md: str) -> list[str]:
    """What a Markdown reader makes live: Python-Markdown (the renderer apprise uses)."""
    parser = Links()
    parser.feed(markdown.markdown(md, extensions=["tables"]))
    return parser.targets


def test_markdown_digest_keeps_only_the_articles_http_links_live(tmp_path):
    store = Store(tmp_path / "s.db")
    try:
        story = store.add_story(f"Floods {FORGED}", {}, True)
        article = store.add_article({"url": "https://example.org/a", "origin": "https://example.org/a",
                                     "title": f"Toll {FORGED}", "text": FORGED, "story_id": story,
                                     "fingerprint": "x", "version": 1, "published": "2024-11-04"})
        store.add_subject({"key": "1:deaths:::", "story_id": story, "cls": "deaths", "label": f"deaths {FORGED}"})
        for value in (120.0, 180.0):
            store.add_claim({"article_id": article, "kind": "figure", "subject_key": "1:deaths:::",
                             "actor_key": "b:x", "actor": f"Ministry {FORGED}", "value": value, "sentence": FORGED})
        for url in ("https://example.org/a", "javascript:alert(6)"):
            store.add_alert({"kind": "figure", "change": "revised", "subject": f"deaths {FORGED}",
                             "subject_key": "1:deaths:::", "actor": f"Ministry {FORGED}", "value": 180.0,
                             "previous_value": 120.0, "article": url, "url": url,
                             "previous_article": "data:text/html,x", "evidence": f"{FORGED}\n{REFERENCE}",
                             "previous_evidence": FORGED, "title": f"Toll {FORGED}", "story_id": story,
                             "article_id": article, "run_id": 1, "published": f"2024-11-05 {FORGED}"})
        digest = notify.digest(store, store.alerts(), [{"error": f"src {FORGED}: broken", "started": "x"}])
    finally:
        store.close()
    md = notify.render("md", digest)
    links = live_links(md)
    assert links and set(links) == {"https://example.org/a"}, links
    assert not re.search(r"(?<!\\)\]\((javascript|data|vbscript|file):", md)     # only as escaped text
    assert "<javascript:" not in md


def test_apprise_body_has_no_forged_link(tmp_path):
    """End to end: titles and text with link syntax through a pass, the md file notifier and
    apprise's json:// service; each Markdown body a reader renders links only the articles."""
    pytest.importorskip("apprise")
    with Server() as receiver:
        receiver.route("/hook", lambda h, q: h.send(200, b"", "text/plain"))
        source = toll_feed(tmp_path / "in", f"Floods {FORGED}", f"Toll climbs {FORGED}", extra=f" {FORGED}")
        cfg = write_config(tmp_path, [source], notifiers=[
            {"name": "md", "kind": "file", "path": str(tmp_path / "out"), "format": "md"},
            {"name": "chat", "kind": "apprise", "urls": [f"json://{receiver.host}:{receiver.port}/hook"]}])
        result = invoke("run", "--config", cfg)
        assert result.exit_code == 0, result.stderr
        [post] = [r for r in receiver.requests if r.method == "POST"]
    bodies = [json.loads(post.body)["message"], (tmp_path / "out" / "latest.md").read_text()]
    for body in bodies:
        assert "Floods" in body
        links = live_links(body)
        assert links and set(links) <= {"https://example.org/a", "https://example.org/b"}, links


# ---- 10. bidi overrides and invisible format controls -----------------------------------------

# U+202A-U+202E embeddings and overrides, U+2066-U+2069 isolates, U+200E/U+200F marks, U+061C,
# and the other invisible format characters (zero-width space, word joiner, BOM, soft hyphen).
INVISIBLE = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u200b\u2060\ufeff\u00ad"


def bidi_store(path: Path) -> Path:
    store = Store(path)
    try:
        story = store.add_story(f"Floods \u202eevil\u202c {INVISIBLE}", {}, True)
        article = store.add_article({"url": "https://example.org/\u202ea", "origin": f"in/\u202efdp.exe{INVISIBLE}",
                                     "title": f"Toll \u202etxt.exe{INVISIBLE}", "text": "x", "story_id": story,
                                     "fingerprint": "x", "version": 1, "published": "2024-11-04"})
        store.add_subject({"key": "1:deaths:::", "story_id": story, "cls": "deaths",
                           "label": f"deaths \u2067trap\u2069{INVISIBLE}"})
        store.add_claim({"article_id": article, "kind": "figure", "subject_key": "1:deaths:::", "actor_key": "b:x",
                         "actor": f"Ministry \u202e{INVISIBLE}", "value": 120.0,
                         "sentence": f"Toll \u202e rose{INVISIBLE}"})
        store.add_alert({"kind": "figure", "change": "revised", "subject": f"deaths \u2067trap\u2069{INVISIBLE}",
                         "subject_key": "1:deaths:::", "actor": f"Ministry \u202e{INVISIBLE}", "value": 180.0,
                         "previous_value": 120.0, "article": f"in/\u202efdp.exe{INVISIBLE}",
                         "url": "https://example.org/\u202ea", "evidence": f"Toll \u202erose{INVISIBLE}",
                         "previous_evidence": f"\u2066was{INVISIBLE}", "title": f"Toll \u202etxt.exe{INVISIBLE}",
                         "story_id": story, "article_id": article, "run_id": 1,
                         "published": f"2024-11-05{INVISIBLE}"})
    finally:
        store.close()
    return path


def test_bidi_overrides_and_invisible_controls_reach_no_text_output(tmp_path):
    db = bidi_store(tmp_path / "bidi.db")
    outputs = {f"alerts {args}": invoke("alerts", "--db", db, *args.split()).stdout
               for args in ("", "--json")}
    outputs.update({f"digest {fmt}": invoke("digest", "--db", db, "--format", fmt).stdout
                    for fmt in ("md", "text", "html")})
    outputs["history"] = invoke("history", "--db", db, "--evidence", "deaths").stdout
    outputs["claims"] = invoke("claims", "--db", db, "1").stdout
    store = Store(db)
    try:
        from monitor.notify import atom
        outputs["atom"] = atom.feed(notify.digest(store, store.alerts(), sections=False).alerts, "t", "x").decode()
    finally:
        store.close()
    for name, text in outputs.items():
        assert "trap" in text or "Toll" in text or "evil" in text, (name, text)
        found = sorted({f"U+{ord(c):04X}" for c in text if c in INVISIBLE})
        assert not found, (name, found)
    record = json.loads(outputs["alerts --json"].splitlines()[0])
    assert record["subject"] == f"deaths \u2067trap\u2069{INVISIBLE}", "JSON escapes them; the data stays whole"


def test_one_line_strips_format_controls_and_keeps_words_whole():
    from monitor.notify import one_line
    assert one_line(f"Kyiv\u202e{INVISIBLE} says\r\nBcc: x\u2028y\x00") == "Kyiv says Bcc: x y"
    assert one_line("per\u00adcent zero\u200bwidth") == "percent zerowidth"
