"""Notifiers against real receivers: an SMTP server with STARTTLS and login (aiosmtpd, a
certificate from trustme), an HTTP receiver for the webhook on 127.0.0.1, an Atom feed read
back with feedparser, digests written into a folder; delivered once, retried after a failure.
"""
from __future__ import annotations

import json
import socket
import sqlite3
import ssl
from email import message_from_bytes, policy

import feedparser
import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from conftest import ROOT, invoke
from localserver import Server, write_config

SEEDS = ROOT / "fixtures" / "seeds"
PASSWORD = "s3cret pass"


class Inbox:
    """aiosmtpd handler: every message it accepts, as bytes."""

    def __init__(self):
        self.messages: list[bytes] = []
        self.logins: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.original_content or envelope.content)
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"monitor" \
            and auth_data.password == PASSWORD.encode()
        if ok:
            self.logins.append(mechanism)
        return AuthResult(success=ok)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(tmp_path):
    """A real SMTP server on 127.0.0.1 that requires STARTTLS before AUTH and mail."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(), tls_context=context,
                            require_starttls=True, auth_require_tls=True, auth_required=True,
                            authenticator=inbox.authenticate)
    controller.start()
    inbox.port, inbox.ca_file = controller.port, str(ca_file)
    yield inbox
    controller.stop()


@pytest.fixture
def receiver():
    """An HTTP receiver for the webhook; `receiver.answer` is the status it answers with."""
    with Server() as server:
        server.answer = 204
        server.route("/hook", lambda h, q: h.send(server.answer, b"", "text/plain"))
        yield server


def seeds_source() -> dict:
    return {"name": "seeds", "kind": "files", "path": str(SEEDS), "glob": "*.txt", "every": "1s"}


def all_notifiers(tmp_path, smtp, receiver) -> list[dict]:
    return [
        {"name": "digests", "kind": "file", "path": str(tmp_path / "out"), "format": "html"},
        {"name": "feed", "kind": "atom", "path": str(tmp_path / "out" / "alerts.atom")},
        {"name": "hook", "kind": "webhook", "url": receiver.url("/hook"), "timeout": "5s"},
        {"name": "mail", "kind": "email", "host": "127.0.0.1", "port": smtp.port, "tls": "starttls",
         "username": "monitor", "password_env": "MONITOR_TEST_SMTP_PASSWORD", "from": "monitor@example.org",
         "to": ["desk@example.org"], "ca_file": smtp.ca_file, "timeout": "10s"},
    ]


def delivered(db, notifier: str) -> list[int]:
    conn = sqlite3.connect(db)
    try:
        return [i for i, in conn.execute("select alert_id from deliveries where notifier = ? order by alert_id",
                                          [notifier])]
    finally:
        conn.close()


def test_every_notifier_delivers_the_seed_alerts_once(tmp_path, smtp, receiver, monkeypatch):
    monkeypatch.setenv("MONITOR_TEST_SMTP_PASSWORD", PASSWORD)
    cfg = write_config(tmp_path, [seeds_source()], notifiers=all_notifiers(tmp_path, smtp, receiver))
    first = invoke("run", "--config", cfg)
    assert first.exit_code == 0, first.stderr
    db = tmp_path / "monitor.db"
    alert_ids = list(range(1, 6))
    for name in ("digests", "feed", "hook", "mail"):
        assert delivered(db, name) == alert_ids, name

    # file: one digest of the pass, and latest.html; nothing else in the folder
    out = tmp_path / "out"
    digests = sorted(p.name for p in out.glob("digest-*.html"))
    assert len(digests) == 1 and digests[0].endswith("-1-5.html")
    assert sorted(p.name for p in out.iterdir()) == sorted(digests + ["alerts.atom", "latest.html"])
    assert (out / digests[0]).read_text() == (out / "latest.html").read_text()

    # webhook: one POST with the five alerts in the contract's shape
    [post] = [r for r in receiver.requests if r.method == "POST"]
    payload = json.loads(post.body)
    assert post.headers["content-type"] == "application/json"
    assert [a["evidence"] for a in payload["alerts"]] == [a["evidence"] for a in _alerts(db)]
    assert payload["text"].startswith("5 alerts")

    # email: one message, over STARTTLS, after login, text and HTML, subject on one line
    assert len(smtp.messages) == 1 and smtp.logins
    message = message_from_bytes(smtp.messages[0], policy=policy.default)
    assert message["To"] == "desk@example.org" and "\n" not in message["Subject"]
    assert message["Subject"].startswith("monitor: 5 new alerts")
    assert {part.get_content_type() for part in message.walk()} >= {"text/plain", "text/html"}
    text = message.get_body(("plain",)).get_content()
    assert all(a["evidence"][:60] in " ".join(text.split()) for a in _alerts(db))

    # atom: five entries a feed reader can read, each with its evidence
    parsed = feedparser.parse(str(out / "alerts.atom"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == 5 and len({e.id for e in parsed.entries}) == 5
    for entry, alert in zip(parsed.entries, reversed(_alerts(db))):
        assert alert["evidence"][:40] in entry.content[0].value

    # the second pass and a manual `notify` deliver nothing again
    atom_before = (out / "alerts.atom").read_bytes()
    second = invoke("run", "--config", cfg, "--source", "seeds")
    assert second.exit_code == 0, second.stderr
    assert invoke("notify", "--config", cfg).exit_code == 0
    assert len(smtp.messages) == 1
    assert len([r for r in receiver.requests if r.method == "POST"]) == 1
    assert len(list(out.glob("digest-*.html"))) == 1
    assert (out / "alerts.atom").read_bytes() == atom_before
    for name in ("digests", "feed", "hook", "mail"):
        assert delivered(db, name) == alert_ids, name


def _alerts(db) -> list[dict]:
    result = invoke("alerts", "--db", db, "--json")
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_a_failing_notifier_keeps_its_alerts_and_delivers_them_once_later(tmp_path, receiver):
    receiver.answer = 500
    notifiers = [{"name": "hook", "kind": "webhook", "url": receiver.url("/hook"), "timeout": "5s"},
                 {"name": "digests", "kind": "file", "path": str(tmp_path / "out"), "format": "text"}]
    cfg = write_config(tmp_path, [seeds_source()], notifiers=notifiers)
    db = tmp_path / "monitor.db"

    first = invoke("run", "--config", cfg)
    assert first.exit_code == 1
    assert f"error: notifier hook: {receiver.url('/hook')}: HTTP 500" in first.stderr
    assert delivered(db, "hook") == [] and delivered(db, "digests") == [1, 2, 3, 4, 5]
    state = _notifier_row(db, "hook")
    assert state["failures"] == 1 and "HTTP 500" in state["last_error"]

    receiver.answer = 200
    retry = invoke("notify", "--config", cfg)
    assert retry.exit_code == 0, retry.stderr
    posts = [r for r in receiver.requests if r.method == "POST"]
    assert len(posts) == 2 and len(json.loads(posts[-1].body)["alerts"]) == 5
    assert delivered(db, "hook") == [1, 2, 3, 4, 5]
    assert _notifier_row(db, "hook")["failures"] == 0
    assert invoke("notify", "--config", cfg).exit_code == 0
    assert len([r for r in receiver.requests if r.method == "POST"]) == 2
    assert len(list((tmp_path / "out").glob("digest-*.txt"))) == 1


def _notifier_row(db, name) -> dict:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return dict(conn.execute("select * from notifiers where name = ?", [name]).fetchone())
    finally:
        conn.close()


def test_an_unreachable_smtp_server_is_an_error_naming_the_notifier(tmp_path):
    notifiers = [{"name": "mail", "kind": "email", "host": "127.0.0.1", "port": _free_port(), "tls": "starttls",
                  "from": "monitor@example.org", "to": "desk@example.org", "timeout": "5s"}]
    cfg = write_config(tmp_path, [seeds_source()], notifiers=notifiers)
    result = invoke("run", "--config", cfg)
    assert result.exit_code == 1
    assert "error: notifier mail: 127.0.0.1:" in result.stderr and "Traceback" not in result.stderr
    assert delivered(tmp_path / "monitor.db", "mail") == []


def test_smtp_without_starttls_is_refused_not_sent_in_clear(tmp_path):
    """A server that does not offer STARTTLS gets nothing: no fallback to plain text."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        notifiers = [{"name": "mail", "kind": "email", "host": "127.0.0.1", "port": controller.port,
                      "from": "monitor@example.org", "to": "desk@example.org", "timeout": "5s"}]
        cfg = write_config(tmp_path, [seeds_source()], notifiers=notifiers)
        result = invoke("run", "--config", cfg)
    finally:
        controller.stop()
    assert result.exit_code == 1 and "STARTTLS" in result.stderr
    assert inbox.messages == []


def test_a_missing_password_variable_is_named(tmp_path, smtp, monkeypatch):
    monkeypatch.delenv("MONITOR_TEST_NO_SUCH_VAR", raising=False)
    notifiers = [{"name": "mail", "kind": "email", "host": "127.0.0.1", "port": smtp.port, "username": "monitor",
                  "password_env": "MONITOR_TEST_NO_SUCH_VAR", "from": "monitor@example.org",
                  "to": "desk@example.org", "ca_file": smtp.ca_file, "timeout": "5s"}]
    cfg = write_config(tmp_path, [seeds_source()], notifiers=notifiers)
    result = invoke("run", "--config", cfg)
    assert result.exit_code == 1 and "MONITOR_TEST_NO_SUCH_VAR" in result.stderr
    assert smtp.messages == []


@pytest.mark.parametrize("notifier, message", [
    ({"name": "x", "kind": "pager"}, "notifiers[0].kind = 'pager': use one of file, email, webhook, atom, apprise"),
    ({"name": "x", "kind": "file"}, "notifiers[0].path is required for a file notifier"),
    ({"name": "x", "kind": "file", "path": "out", "format": "pdf"}, "notifiers[0].format = 'pdf'"),
    ({"name": "x", "kind": "webhook", "url": "ftp://example.org/"}, "a webhook needs an http:// or https:// URL"),
    ({"name": "x", "kind": "email", "host": "h", "from": "a@b", "to": "me\r\nBcc: x@y"}, "a mail address"),
    ({"name": "x", "kind": "email", "host": "h", "from": "a@b", "to": []}, "notifiers[0].to is empty"),
    ({"name": "x", "kind": "atom", "path": "a.xml", "colour": "red"}, "notifiers[0].colour: unknown key"),
])
def test_bad_notifier_config_is_named_and_exits_2(tmp_path, notifier, message):
    cfg = write_config(tmp_path, [seeds_source()], notifiers=[notifier])
    result = invoke("run", "--config", cfg)
    assert result.exit_code == 2
    assert message in result.stderr


def test_atom_entry_ids_stay_the_same_when_the_feed_is_rewritten(tmp_path):
    out = tmp_path / "alerts.atom"
    cfg = write_config(tmp_path, [seeds_source()],
                       notifiers=[{"name": "feed", "kind": "atom", "path": str(out), "max_entries": 3}])
    assert invoke("run", "--config", cfg).exit_code == 0
    first = feedparser.parse(str(out))
    assert len(first.entries) == 3                      # max_entries: the newest three
    other = tmp_path / "again"
    other.mkdir()
    cfg2 = write_config(other, [seeds_source()],
                        notifiers=[{"name": "feed", "kind": "atom", "path": str(other / "alerts.atom"),
                                    "max_entries": 3}])
    assert invoke("run", "--config", cfg2).exit_code == 0
    second = feedparser.parse(str(other / "alerts.atom"))
    assert [e.id for e in first.entries] == [e.id for e in second.entries], "ids come from what the alert says"


def test_apprise_delivers_through_its_json_service_once(tmp_path, receiver):
    pytest.importorskip("apprise")
    url = f"json://{receiver.host}:{receiver.port}/hook"
    cfg = write_config(tmp_path, [seeds_source()], notifiers=[{"name": "many", "kind": "apprise", "urls": [url]}])
    result = invoke("run", "--config", cfg)
    assert result.exit_code == 0, result.stderr
    [post] = [r for r in receiver.requests if r.method == "POST"]
    body = json.loads(post.body)
    assert body["title"].startswith("monitor: 5 new alerts") and "troops (North Korea)" in body["message"]
    assert invoke("notify", "--config", cfg).exit_code == 0
    assert len([r for r in receiver.requests if r.method == "POST"]) == 1
    assert delivered(tmp_path / "monitor.db", "many") == [1, 2, 3, 4, 5]


def test_apprise_failure_keeps_the_alerts_pending(tmp_path, receiver):
    pytest.importorskip("apprise")
    receiver.answer = 500
    url = f"json://{receiver.host}:{receiver.port}/hook"
    cfg = write_config(tmp_path, [seeds_source()], notifiers=[{"name": "many", "kind": "apprise", "urls": [url]}])
    result = invoke("run", "--config", cfg)
    assert result.exit_code == 1 and "notifier many: apprise could not deliver" in result.stderr
    assert delivered(tmp_path / "monitor.db", "many") == []


def test_a_backlog_goes_out_in_bounded_messages_oldest_first(tmp_path, monkeypatch):
    from monitor.notify import notifiers
    monkeypatch.setattr(notifiers, "MAX_PER_MESSAGE", 2)      # the seeds' five alerts: 2 + 2 + 1
    out = tmp_path / "out"
    cfg = write_config(tmp_path, [seeds_source()],
                       notifiers=[{"name": "digests", "kind": "file", "path": str(out), "format": "md"}])
    assert invoke("run", "--config", cfg).exit_code == 0
    assert delivered(tmp_path / "monitor.db", "digests") == [1, 2]
    assert invoke("notify", "--config", cfg).exit_code == 0
    assert invoke("notify", "--config", cfg).exit_code == 0
    assert delivered(tmp_path / "monitor.db", "digests") == [1, 2, 3, 4, 5]
    assert sorted(p.name.split("-", 2)[2] for p in out.glob("digest-*.md")) == ["1-2.md", "3-4.md", "5-5.md"]
