"""Notifiers: where the alerts of each pass go (a registry keyed by kind, urlwatch-style).

`deliver` hands each configured notifier the alerts it has not delivered yet, as one
message, and records the delivery per alert and notifier only after the send succeeded: a
notifier that fails keeps its alerts pending and tries again on the next pass, and no
alert is sent twice to the same notifier (a crash between the send and the record can
repeat that one message, never more).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
from pathlib import Path

from .. import __version__
from ..errors import MonitorError
from . import atom
from .deadline import Deadline, NotifyError, post_json
from .files import write_atomically
from .formats import as_markdown, as_text, contract_record
from .html import as_html
from .mail import subject_line, to_email
from .model import Digest, build

RENDER = {"html": as_html, "md": as_markdown, "text": as_text}
SUFFIX = {"html": ".html", "md": ".md", "text": ".txt"}


# Alerts in one message at most. A notifier added to a store with a long history starts with
# that backlog; it goes out this many at a time, one message per pass, oldest first, rather
# than as one message no mail server or reader would take.
MAX_PER_MESSAGE = 200
# The whole notify phase of a pass ends within this many seconds; a notifier not started by
# then is left pending (named in a warning) for the next pass, and one started late gets only
# the time left. Real deliveries take well under a second each; two receivers stalled for the
# whole default 30-second timeout still fit, while five would hold the store lock for 150 s,
# as long as the fetching of a whole pass at a 15 s timeout (fetch/budget.py). SIGTERM does
# not wait for it: a set stop ends the delivery in hand within deadline.STOP_POLL.
NOTIFY_PHASE_SECONDS = 60.0


def deliver(notifiers, store, run_ids: list[int] | None = None, log=None, stop=None, warn=None) -> list[str]:
    """Each notifier's pending alerts, as one message; the errors, one line per failed notifier.
    A set `stop` (threading.Event) or the end of NOTIFY_PHASE_SECONDS leaves the notifiers not
    yet reached pending, in one warning line for `warn` (returned with the errors without it)."""
    errors = []
    ends = time.monotonic() + NOTIFY_PHASE_SECONDS
    for i, notifier in enumerate(notifiers):
        left = ends - time.monotonic()
        if left <= 0 or (stop is not None and stop.is_set()):
            line = _not_reached(notifiers[i:], store, stopped=left > 0)
            if line:
                (warn or errors.append)(line)
            break
        error = _deliver_one(dataclasses.replace(notifier, timeout=min(notifier.timeout, left)), store, run_ids,
                             log, stop)
        if error:
            errors.append(f"notifier {notifier.name}: {error}")
    return errors


def _not_reached(notifiers, store, stopped: bool) -> str | None:
    """One line naming the notifiers left with alerts pending, or None when none has any."""
    names = ", ".join(n.name for n in notifiers if store.pending_alerts(n.name, 1))
    if not names:
        return None
    why = "the monitor is stopping" if stopped else f"the notify phase's {NOTIFY_PHASE_SECONDS:g} seconds are spent"
    return f"notifiers not reached ({why}): {names}; their alerts stay pending for the next pass"


def _deliver_one(notifier, store, run_ids, log, stop) -> str | None:
    """One notifier's pending alerts, recorded; the reason it failed, or None."""
    pending = store.pending_alerts(notifier.name, MAX_PER_MESSAGE)
    if not pending:
        return None
    state = {**store.notifier(notifier.name), "kind": notifier.kind, "last_attempt": _now()}
    digest = build(store, pending, store.run_errors(run_ids=run_ids) if run_ids else [],
                   window="new since the last delivery", title=f"monitor: {_count(pending)}")
    try:
        SENDERS[notifier.kind](notifier, digest, store, stop)
    except MonitorError as exc:         # NotifyError, OutputError: each sender turns its library's errors into ours
        store.save_notifier({**state, "failures": (state.get("failures") or 0) + 1, "last_error": str(exc)})
        return str(exc)
    store.mark_delivered(notifier.name, [row["id"] for row in pending])
    store.save_notifier({**state, "failures": 0, "last_error": None, "last_success": state["last_attempt"],
                         "delivered": (state.get("delivered") or 0) + len(pending)})
    if log:
        log(f"notifier {notifier.name}: {len(pending)} alert(s) delivered")
    return None


def _count(alerts) -> str:
    return f"{len(alerts)} new alert{'s' * (len(alerts) != 1)}"


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


# ---- file: a digest per pass in an output folder ------------------------------------------------

def to_file(notifier, digest: Digest, store, stop=None) -> None:
    """digest-<UTC time>-<first>-<last alert id>.<ext>, and latest.<ext>: names no input can steer."""
    folder = Path(notifier.path)
    ids = [row["id"] for row in digest.alerts]
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    text = RENDER[notifier.format](digest)
    for name in (f"digest-{stamp}-{min(ids)}-{max(ids)}{SUFFIX[notifier.format]}", f"latest{SUFFIX[notifier.format]}"):
        write_atomically(folder, name, text.encode("utf-8"))


# ---- atom: a feed of alerts for feed readers ------------------------------------------------------

def to_atom(notifier, digest: Digest, store, stop=None) -> None:
    """The feed is rewritten whole from the store's latest alerts, so it is the same whoever reads it."""
    latest = build(store, store.recent_alerts(notifier.max_entries), sections=False)
    path = Path(notifier.path)
    write_atomically(path.parent, path.name, atom.feed(latest.alerts, notifier.title, feed_id=notifier.name))


# ---- webhook: the alerts as JSON ------------------------------------------------------------------

def to_webhook(notifier, digest: Digest, store, stop=None) -> None:
    """POST {"text": totals, "alerts": [contract records]}: "text" shows in Slack-style receivers.
    The notifier's timeout is a total deadline for the whole exchange; a set `stop` ends it too."""
    payload = {"text": digest.totals, "alerts": [contract_record(a) for a in digest.alerts],
               "monitor": __version__}
    with Deadline(notifier.timeout, stop) as deadline:
        status = post_json(notifier.url, json.dumps(payload).encode(), deadline, f"monitor/{__version__}")
    if not 200 <= status < 300:
        raise NotifyError(f"{notifier.url}: HTTP {status}")


# ---- apprise: the many other services --------------------------------------------------------------

def to_apprise(notifier, digest: Digest, store, stop=None) -> None:
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
