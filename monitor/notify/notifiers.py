"""Notifiers: where the alerts of each pass go (a registry keyed by kind, urlwatch-style).

`deliver` hands each configured notifier the alerts it has not delivered yet, as one
message, and records the delivery per alert and notifier only after the send succeeded: a
notifier that fails keeps its alerts pending and tries again on the next pass, and no
alert is sent twice to the same notifier (a crash between the send and the record can
repeat that one message, never more).
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .. import __version__
from ..errors import MonitorError
from . import atom
from .deadline import Deadline, NotifyError, post_json
from .files import write_atomically
from .formats import as_markdown, as_text, contract_record
from .html import as_html
from .mail import mail_message, subject_line, to_email  # noqa: F401  (mail_message: where callers found it)
from .model import Digest, build

RENDER = {"html": as_html, "md": as_markdown, "text": as_text}
SUFFIX = {"html": ".html", "md": ".md", "text": ".txt"}


# Alerts in one message at most. A notifier added to a store with a long history starts with
# that backlog; it goes out this many at a time, one message per pass, oldest first, rather
# than as one message no mail server or reader would take.
MAX_PER_MESSAGE = 200


def deliver(notifiers, store, run_ids: list[int] | None = None, log=None) -> list[str]:
    """Each notifier's pending alerts, as one message; the errors, one line per failed notifier."""
    errors = []
    for notifier in notifiers:
        pending = store.pending_alerts(notifier.name, MAX_PER_MESSAGE)
        if not pending:
            continue
        state = {**store.notifier(notifier.name), "kind": notifier.kind, "last_attempt": _now()}
        digest = build(store, pending, store.run_errors(run_ids=run_ids) if run_ids else [],
                       window="new since the last delivery", title=f"monitor: {_count(pending)}")
        try:
            SENDERS[notifier.kind](notifier, digest, store)
        except MonitorError as exc:     # NotifyError, OutputError: each sender turns its library's errors into ours
            errors.append(f"notifier {notifier.name}: {exc}")
            store.save_notifier({**state, "failures": (state.get("failures") or 0) + 1, "last_error": str(exc)})
            continue
        store.mark_delivered(notifier.name, [row["id"] for row in pending])
        store.save_notifier({**state, "failures": 0, "last_error": None, "last_success": state["last_attempt"],
                             "delivered": (state.get("delivered") or 0) + len(pending)})
        if log:
            log(f"notifier {notifier.name}: {len(pending)} alert(s) delivered")
    return errors


def _count(alerts) -> str:
    return f"{len(alerts)} new alert{'s' * (len(alerts) != 1)}"


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


# ---- file: a digest per pass in an output folder ------------------------------------------------

def to_file(notifier, digest: Digest, store) -> None:
    """digest-<UTC time>-<first>-<last alert id>.<ext>, and latest.<ext>: names no input can steer."""
    folder = Path(notifier.path)
    ids = [row["id"] for row in digest.alerts]
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    text = RENDER[notifier.format](digest)
    for name in (f"digest-{stamp}-{min(ids)}-{max(ids)}{SUFFIX[notifier.format]}", f"latest{SUFFIX[notifier.format]}"):
        write_atomically(folder, name, text.encode("utf-8"))


# ---- atom: a feed of alerts for feed readers ------------------------------------------------------

def to_atom(notifier, digest: Digest, store) -> None:
    """The feed is rewritten whole from the store's latest alerts, so it is the same whoever reads it."""
    latest = build(store, store.recent_alerts(notifier.max_entries), sections=False)
    path = Path(notifier.path)
    write_atomically(path.parent, path.name, atom.feed(latest.alerts, notifier.title, feed_id=notifier.name))


# ---- webhook: the alerts as JSON ------------------------------------------------------------------

def to_webhook(notifier, digest: Digest, store) -> None:
    """POST {"text": totals, "alerts": [contract records]}: "text" shows in Slack-style receivers.
    The notifier's timeout is a total deadline for the whole exchange."""
    payload = {"text": digest.totals, "alerts": [contract_record(a) for a in digest.alerts],
               "monitor": __version__}
    with Deadline(notifier.timeout) as deadline:
        status = post_json(notifier.url, json.dumps(payload).encode(), deadline, f"monitor/{__version__}")
    if not 200 <= status < 300:
        raise NotifyError(f"{notifier.url}: HTTP {status}")


# ---- apprise: the many other services --------------------------------------------------------------

def to_apprise(notifier, digest: Digest, store) -> None:
    try:
        import apprise
    except ImportError as exc:
        raise NotifyError("apprise is not installed: pip install 'monitor[apprise]'") from exc
    sender = apprise.Apprise()
    for url in notifier.urls:
        if not sender.add(url):
            raise NotifyError(f"apprise does not understand the URL {url.split(':', 1)[0]}://…")
    if not sender.notify(title=subject_line(digest), body=as_markdown(digest),
                         body_format=apprise.NotifyFormat.MARKDOWN):
        raise NotifyError("apprise could not deliver to every URL (see its log)")


SENDERS = {"file": to_file, "atom": to_atom, "webhook": to_webhook, "email": to_email, "apprise": to_apprise}
