"""HTTP done right for a monitor that runs unattended: one client for every fetcher.

- a total deadline per request, on top of httpcore's per-operation timeouts, so a server
  that drips one byte a second cannot hold a source forever;
- a size cap counted on the decompressed body, so a gzip bomb stops at the cap;
- redirects followed by hand, at most MAX_REDIRECTS, each hop checked like the first;
- http and https only; each address checked against the rules of addresses.py when the
  socket connects (after DNS resolution, so a name that resolves to 127.0.0.1 is refused
  too), under the address policy of the source in hand (`address_policy`, also in
  addresses.py); each policy has its own connection pool, so a connection opened for an
  intranet source never carries a request of a public one;
- conditional GET with the validators the caller saved (ETag, Last-Modified);
- 429 and 503 turned into a RetryLater carrying the server's Retry-After, capped at a day;
- an honest User-Agent.
"""
from __future__ import annotations

import functools
import math
import re
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import certifi
import httpcore
import httpx

from .. import __version__
# address_policy and address_refused are imported from here too (by fetch/__init__.py, tests):
from .addresses import address_policy, address_refused, current_policy  # noqa: F401

USER_AGENT = f"monitor/{__version__} (news claim monitor; set [fetch] user_agent to add a contact)"
# Defaults, overridden by the [fetch] table of the config:
TOTAL_SECONDS = 30.0          # a feed or article page that takes longer is not worth waiting for
CONNECT_SECONDS = 10.0
MAX_BYTES = 10 * 1024 * 1024  # the largest real feed in ../shared/external is 1.6 MB; pages rarely pass 2 MB
MAX_REDIRECTS = 5             # browsers allow 20; feeds and articles need one or two
# The longest a server's Retry-After may make a host wait: Media Cloud's fetcher waits at most
# a day. A longer value (ten years, 999999999999 seconds) would silence the host for good and
# overflow the dates that `status` and the daemon compute from it.
RETRY_AFTER_MAX = 86400.0


class FetchError(Exception):
    """A fetch that failed, with a reason a person can act on; `status` is the HTTP status
    when the server answered with an error, else None; `url` (set by Client.get) the request
    that failed, after the redirects before it: a linked page's warning names its host."""

    url: str | None = None

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class RetryLater(FetchError):
    """The server asked us to come back later (429 or 503)."""

    def __init__(self, message: str, seconds: float | None, status: int | None = None):
        super().__init__(message, status)
        self.seconds = seconds


class TimedOut(FetchError):
    """A request not done by its deadline: the client's total, or the caller's if sooner."""


class NotFetched(FetchError):
    """A request a budget did not allow (or cut off at the budget's end); `reason` names the
    budget without the URL, so one warning can stand for several such requests."""

    def __init__(self, url: str, reason: str, cut: bool = False):
        super().__init__(f"{url}: {'cut off' if cut else 'not fetched'}: {reason}")
        self.reason = reason


class BudgetSpent(NotFetched):
    """The pass's budget ran out, or the monitor is stopping: the source is due next pass."""


class PagesBudgetSpent(NotFetched):
    """A source's budget for its requests after the first (a feed's linked pages) ran out."""


class Refused(FetchError, httpcore.ConnectError):
    """An address the monitor will not connect to."""


class TooLarge(FetchError):
    """A body over the client's size cap (counted after decompression)."""


@dataclass(frozen=True)
class Response:
    url: str                    # the final URL, after redirects
    status: int
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None
    headers: dict = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


# The deadline of the request this thread is making: every connect and socket read is
# bounded by it, so a server that drips its headers a byte at a time cannot outlast it either.
_deadline = threading.local()


def _bounded(timeout: float | None) -> float | None:
    """An operation's timeout, cut to what is left of the request's deadline."""
    remaining = getattr(_deadline, "at", None)
    if remaining is None:
        return timeout
    remaining -= time.monotonic()
    if remaining <= 0:
        raise httpcore.ReadTimeout("the request's total deadline passed")
    return remaining if timeout is None else min(timeout, remaining)


class DeadlineStream(httpcore.NetworkStream):
    """A socket whose every read and write stops at the request's total deadline."""

    def __init__(self, stream):
        self._stream = stream

    def read(self, max_bytes, timeout=None):
        return self._stream.read(max_bytes, _bounded(timeout))

    def write(self, buffer, timeout=None):
        return self._stream.write(buffer, _bounded(timeout))

    def close(self):
        return self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        return DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, _bounded(timeout)))

    def get_extra_info(self, info):
        return self._stream.get_extra_info(info)


class GuardedBackend(httpcore.SyncBackend):
    """Resolves the host itself and connects only to addresses the rules allow."""

    def __init__(self, allow_private: bool):
        self.allow_private = allow_private

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc.strerror}") from exc
        except UnicodeError as exc:              # the IDNA codec: a label over 63 octets, or empty
            raise httpcore.ConnectError(f"cannot resolve {_host_text(host)}: not a valid host name ({exc})") from exc
        for info in infos:
            reason = address_refused(info[4][0], self.allow_private)
            if reason:
                hint = "" if "metadata" in reason else \
                    "; set allow_private = true on the source if it is meant to reach this network"
                raise Refused(f"refused to connect to {host} ({info[4][0]}): {reason}{hint}")
        return DeadlineStream(super().connect_tcp(infos[0][4][0], port, _bounded(timeout), local_address,
                                                  socket_options))


@dataclass
class Client:
    """The one HTTP client; `get` returns a Response or raises FetchError.

    It drives httpcore's connection pool directly: httpx's Client on top of it cost about
    0.3 ms of Python per request (cookies, models, its own redirect and auth layers) that a
    monitor making thousands of conditional GETs a pass does not need; we do redirects,
    decoding and caps ourselves, and borrow httpx only to parse and encode the URL."""

    allow_private: bool = False
    total_seconds: float = TOTAL_SECONDS
    max_bytes: int = MAX_BYTES
    max_redirects: int = MAX_REDIRECTS
    max_connections: int = 20
    user_agent: str = USER_AGENT

    def __post_init__(self):
        context = ssl.create_default_context(cafile=certifi.where())
        # One pool per address policy: the address is checked when a connection opens, so a
        # connection opened for a source that may reach the intranet must never be reused by
        # a request of one that may not.
        self._pools = {policy: httpcore.ConnectionPool(ssl_context=context, max_connections=self.max_connections,
                                                       network_backend=GuardedBackend(policy))
                       for policy in (False, True)}
        connect = min(CONNECT_SECONDS, self.total_seconds)
        self._extensions = {"timeout": {"connect": connect, "read": self.total_seconds,
                                        "write": self.total_seconds, "pool": self.total_seconds}}
        self._headers = [(b"User-Agent", self.user_agent.encode()), (b"Accept-Encoding", b"gzip, deflate")]

    def _allows_private(self) -> bool:
        """The policy of the request in hand: its source's, else this client's own."""
        policy = current_policy()
        return bool(self.allow_private if policy is None else policy)

    def close(self) -> None:
        for pool in self._pools.values():
            pool.close()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None,
            accept: str | None = None, deadline: float | None = None) -> Response:
        """`deadline` (time.monotonic()) ends the request sooner than the client's total
        timeout, redirects included: a caller's budget (schedule's Gate) stops it there."""
        start = time.monotonic()
        deadline = min(start + self.total_seconds, math.inf if deadline is None else deadline)
        headers = [(k.encode(), v.encode("latin-1", "replace")) for k, v in (
            ("If-None-Match", etag), ("If-Modified-Since", last_modified), ("Accept", accept)) if v]
        asked = url
        try:
            for _ in range(self.max_redirects + 1):
                _check_scheme(url)
                response = self._once(url, headers, deadline, deadline - start)
                if response.status in (301, 302, 303, 307, 308) and response.headers.get("location"):
                    url = _redirected(url, response.headers["location"])
                    continue
                return _checked(response)
        except FetchError as exc:
            exc.url = url
            raise
        raise FetchError(f"{asked}: more than {self.max_redirects} redirects (the last to {url})")

    def _once(self, url: str, headers: list, deadline: float, seconds: float) -> Response:
        target, host = _target(url)
        _deadline.at = deadline
        pool = self._pools[self._allows_private()]
        try:
            with pool.stream("GET", target, headers=[(b"Host", host), *self._headers, *headers],
                             extensions=self._extensions) as raw:
                head = _header_dict(raw.headers)
                body = self._read(raw, head, url, deadline, seconds)
                return Response(url=url, status=raw.status, body=body, content_type=head.get("content-type", ""),
                                etag=head.get("etag"), last_modified=head.get("last-modified"), headers=head)
        except httpcore.TimeoutException as exc:
            raise TimedOut(f"{url}: not done within the {round(seconds, 2):g}-second deadline "
                           f"({type(exc).__name__})") from exc
        except Refused as exc:
            raise FetchError(f"{url}: {exc}") from exc
        except (httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol) as exc:
            raise FetchError(f"{url}: {exc or type(exc).__name__}") from exc
        finally:
            _deadline.at = None

    def _read(self, raw: httpcore.Response, head: dict, url: str, deadline: float, seconds: float) -> bytes:
        if raw.status >= 300:                            # redirects, 304s and errors: the body is not needed,
            drained = 0                                  # but read to its end (when short) so that the
            for chunk in raw.iter_stream():              # connection is kept for the next request
                drained += len(chunk)
                if drained > DRAIN_BYTES or time.monotonic() > deadline:
                    break
            return b""
        decoder = _decoder(url, head.get("content-encoding", ""))
        chunks, size = [], 0
        for chunk in raw.iter_stream():                  # we inflate, so the cap holds inside one chunk too
            for piece in decoder(chunk):
                size += len(piece)
                if size > self.max_bytes:
                    raise TooLarge(f"{url}: body over the {self.max_bytes:,}-byte cap (after decompression)")
                chunks.append(piece)
            if time.monotonic() > deadline:
                raise TimedOut(f"{url}: took longer than the {round(seconds, 2):g}-second deadline")
        return b"".join(chunks)


# Parsed URLs kept: a monitor asks for the same feed URLs every pass, and parsing one costs
# 60 us, a tenth of a conditional GET's Python; 4,096 covers the largest config we expect.
PARSED_URLS = 4096


@functools.lru_cache(maxsize=PARSED_URLS)
def _target(url: str) -> tuple[httpcore.URL, bytes]:
    """The request's URL for httpcore and its Host header, with httpx's parsing: IDNA hosts,
    percent-encoded paths and queries, default ports left out."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise FetchError(f"{url}: not a usable URL ({exc})") from exc
    if not parsed.raw_host:
        raise FetchError(f"{url}: not a usable URL (no host)")
    return (httpcore.URL(scheme=parsed.raw_scheme, host=parsed.raw_host, port=parsed.port, target=parsed.raw_path),
            parsed.netloc)


def _header_dict(pairs) -> dict:
    """Response headers by lower-case name; a repeated header's values joined by commas, as
    HTTP allows (RFC 9110, 5.3)."""
    head: dict = {}
    for name, value in pairs:
        key, text = name.decode("latin-1").lower(), value.decode("latin-1")
        head[key] = f"{head[key]}, {text}" if key in head else text
    return head


# A redirect's or an error's body is read up to this size so that its connection can be
# reused (a 304 has none; error pages are a few KB); a longer one closes the connection.
DRAIN_BYTES = 64 * 1024
# Inflated output is produced in slices of this size, so a gzip bomb is counted (and
# stopped at the cap) as it inflates, never held whole in memory.
INFLATE_SLICE = 64 * 1024


def _decoder(url: str, encoding: str):
    """A function from raw body bytes to decoded pieces, for identity, gzip or deflate (the
    encodings we ask for). Stacked encodings ("gzip, gzip") are refused: nothing honest
    needs them, and each layer multiplies a bomb."""
    codings = [c.strip().lower() for c in encoding.split(",") if c.strip() and c.strip().lower() != "identity"]
    if not codings:
        return lambda chunk: [chunk] if chunk else []
    if len(codings) > 1 or codings[0] not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"{url}: refused Content-Encoding {encoding!r}")
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 32 if codings[0] != "deflate" else zlib.MAX_WBITS)

    def decode(chunk: bytes):
        data = chunk
        while data or inflater.unconsumed_tail:
            try:
                piece = inflater.decompress(data or inflater.unconsumed_tail, INFLATE_SLICE)
            except zlib.error as exc:
                raise FetchError(f"{url}: broken {codings[0]} body: {exc}") from exc
            data = b""
            if piece:
                yield piece
            if not inflater.unconsumed_tail:
                break
    return decode


def _host_text(host) -> str:
    return host.decode("ascii", "replace") if isinstance(host, bytes) else str(host)


def _redirected(url: str, location: str) -> str:
    """Where a redirect leads; a Location no URL parser reads (`http://[::1/x`) is the
    request's failure, not a ValueError out of the fetcher."""
    try:
        return urljoin(url, location)
    except ValueError as exc:
        raise FetchError(f"{url}: redirected to {location!r}, not a usable URL ({exc})") from exc


def _check_scheme(url: str) -> None:
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError as exc:                    # "http://[::1/p": an unclosed IPv6 bracket
        raise FetchError(f"{url}: not a usable URL ({exc})") from exc
    if scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http and https are fetched, not {scheme or 'a bare path'}")


def _checked(response: Response) -> Response:
    if response.status in (429, 503):
        seconds = retry_after(response.headers.get("retry-after"))
        raise RetryLater(f"{response.url}: HTTP {response.status}, retry after "
                         f"{'%.0f seconds' % seconds if seconds is not None else 'a while'}", seconds,
                         response.status)
    if response.status >= 400:
        raise FetchError(f"{response.url}: HTTP {response.status}", response.status)
    return response


# A failed request's cause (what _once caught, or what httpcore wrapped) -> its reason in a
# few words; the first cause in the chain that is one of these names it.
CAUSES = ((Refused, "refused address"), (socket.gaierror, "cannot resolve host"),
          (UnicodeError, "not a valid host name"), (ssl.SSLError, "TLS error"),
          (ConnectionRefusedError, "connection refused"), (ConnectionResetError, "connection reset"))


def reason_of(exc: FetchError) -> str:
    """A failed request's reason in a few words and without its URL ("HTTP 404", "timed out",
    "cannot resolve host", "connection refused", "too large"), so that the failures of many
    requests can be counted together under one reason. Else the message without its leading
    URL and any parenthesised detail ("more than 5 redirects")."""
    if isinstance(exc, TimedOut):
        return "timed out"
    if exc.status:
        return f"HTTP {exc.status}"
    if isinstance(exc, TooLarge):
        return "too large"
    cause = exc.__cause__
    while cause is not None:
        for kind, reason in CAUSES:
            if isinstance(cause, kind):
                return reason
        cause = cause.__cause__ or cause.__context__    # httpcore raises its errors in an except block
    return re.sub(r"^\S+: ", "", str(exc), count=1).split(" (", 1)[0]


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date, at most
    RETRY_AFTER_MAX; None when the value means nothing (negative, a fraction, NaN, a date
    no calendar holds), so the caller's own wait applies."""
    value = (value or "").strip()
    if re.fullmatch(r"[0-9]+", value):                # ASCII digits: str.isdigit() also takes '٣'
        return min(float(value), RETRY_AFTER_MAX)     # float() of 5,000 nines is inf, not an error
    try:
        wait = parsedate_to_datetime(value).timestamp() - time.time()
    except (TypeError, ValueError, IndexError, OverflowError, OSError):
        return None
    return min(max(0.0, wait), RETRY_AFTER_MAX)
