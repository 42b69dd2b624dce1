"""A total deadline per delivery, for the notifiers that talk to the network.

smtplib's and httpcore's timeouts are per socket operation: a receiver that drips a byte every
few seconds never trips them and holds the pass (and the store lock) as long as it likes. A
`Deadline` watches every connection its delivery opens and, when the notifier's `timeout`
has passed, shuts them down: whatever read or write is in progress ends at once, in whichever
library it is, and `expired` tells the caller why (like the fetcher's total deadline in
fetch/http.py, which bounds each of its own reads instead). A set `stop` event (the monitor
is shutting down) ends them the same way, within STOP_POLL.
"""
from __future__ import annotations

import os
import socket
import ssl
import threading
import time

import certifi
import httpcore
import httpx

from ..errors import MonitorError, describe

# How often a delivery in hand looks at the stop event (seconds): the same poll as a fetch's
# (fetch/budget.py), so SIGTERM waits no longer for a notifier than for a fetch.
STOP_POLL = 0.2


class NotifyError(MonitorError):
    """A notifier that could not deliver: the reason (the caller names the notifier)."""


class Deadline:
    """`with Deadline(seconds) as deadline:` ... `deadline.watch(sock)` for each connection."""

    def __init__(self, seconds: float, stop: threading.Event | None = None):
        self.seconds = seconds
        self.expired = False
        self._stop = stop
        self._at = time.monotonic() + seconds
        self._watched: list[socket.socket] = []
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._timer = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "Deadline":
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        with self._lock:
            for sock in self._watched:
                sock.close()
            self._watched.clear()

    def left(self, timeout: float | None = None) -> float:
        """Seconds to the deadline (at most `timeout`): the bound for a connect."""
        remaining = self._at - time.monotonic()
        if remaining <= 0 or self.stopped:
            self.expired = True
            raise TimeoutError(self.reason)
        return remaining if timeout is None else min(timeout, remaining)

    def watch(self, sock: socket.socket) -> None:
        """Shut `sock` down at the deadline. A duplicate of its descriptor is kept: shutting that
        down ends the connection even after TLS has wrapped (and detached) the original."""
        duplicate = socket.socket(fileno=os.dup(sock.fileno()))
        with self._lock:
            self._watched.append(duplicate)
            expired = self.expired
        if expired:
            _shutdown(duplicate)

    @property
    def stopped(self) -> bool:
        return self._stop is not None and self._stop.is_set()

    @property
    def reason(self) -> str:
        if self.stopped:
            return "not done: the monitor is stopping; the alerts stay pending"
        return f"not done within the {self.seconds:g}-second deadline"

    def _run(self) -> None:
        """Until the delivery is done: expire at the deadline, or as soon as `stop` is set."""
        while not self._done.wait(min(STOP_POLL, max(0.0, self._at - time.monotonic()))):
            if self.stopped or time.monotonic() >= self._at:
                self._expire()
                return

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._watched:
                _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass                    # the connection is already closed: there is nothing left to stop


def post_json(url: str, body: bytes, deadline: Deadline, user_agent: str) -> int:
    """POST `body` (JSON) to `url` and return the answer's status, or a NotifyError naming the URL; no redirect is followed and
    the answer's body is not read. httpcore is driven directly, as the fetcher does, so that
    every connection goes through a backend the deadline watches."""
    target, host = _target(url)
    pool = httpcore.ConnectionPool(ssl_context=ssl.create_default_context(cafile=certifi.where()),
                                   network_backend=_WatchedBackend(deadline))
    timeouts = {"timeout": {"connect": deadline.seconds, "read": deadline.seconds, "write": deadline.seconds,
                            "pool": deadline.seconds}}
    headers = [(b"Host", host), (b"User-Agent", user_agent.encode()), (b"Content-Type", b"application/json"),
               (b"Content-Length", str(len(body)).encode())]
    try:
        with pool, pool.stream("POST", target, headers=headers, content=body, extensions=timeouts) as response:
            return response.status
    except (httpcore.TimeoutException, httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol,
            OSError, UnicodeError, ValueError) as exc:     # UnicodeError: a host label the resolver cannot encode
        reason = deadline.reason if deadline.expired else describe(exc)
        raise NotifyError(f"{url}: {reason}") from exc


def _target(url: str) -> tuple[httpcore.URL, bytes]:
    """httpx parses the URL (IDNA hosts, percent-encoding), as for the fetchers."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, UnicodeError, TypeError, ValueError) as exc:
        raise NotifyError(f"{url}: not a usable URL ({exc})") from exc
    if parsed.scheme not in ("http", "https") or not parsed.raw_host:
        raise NotifyError(f"{url}: not a usable URL (an http:// or https:// URL with a host is needed)")
    return (httpcore.URL(scheme=parsed.raw_scheme, host=parsed.raw_host, port=parsed.port, target=parsed.raw_path),
            parsed.netloc)


class _WatchedBackend(httpcore.SyncBackend):
    """Connects within the time left and hands each socket to the deadline."""

    def __init__(self, deadline: Deadline):
        self._deadline = deadline

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        stream = super().connect_tcp(host, port, self._deadline.left(timeout), local_address, socket_options)
        self._deadline.watch(stream.get_extra_info("socket"))
        return stream
