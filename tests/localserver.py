"""A real HTTP server on 127.0.0.1 for the fetch tests: files from ../shared/external and scripted routes.

No mock of the HTTP layer: the monitor's client opens real sockets to this server, which runs
`http.server.ThreadingHTTPServer` on port 0 in a thread. Every request is recorded (method,
path, query, headers) so a test can assert what the client sent: a User-Agent, conditional
headers on a second pass, the WordPress query string.

Routes:
  /ext/<path under shared/external>       the file, with an ETag and a Last-Modified; 304 when
                                          If-None-Match or If-Modified-Since match
  /ext-etag/<path>, /ext-lm/<path>        the same with only an ETag, or only a Last-Modified
  any path given to `route(path, fn)`     fn(handler, query) writes the response
  any path given to `document(path, …)`   mutable bytes with validators (a feed that changes)
Loops that drip bytes are bounded (count and time) and stop when the server shuts down.
"""
from __future__ import annotations

import email.utils
import gzip
import hashlib
import json
import math
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "external"
FEEDS = EXTERNAL / "feeds"
WORDPRESS = EXTERNAL / "wordpress-rest"

CONTENT_TYPES = {".rss": "application/rss+xml", ".atom": "application/atom+xml", ".rdf": "application/rdf+xml",
                 ".xml": "application/xml", ".json": "application/json", ".html": "text/html; charset=utf-8",
                 ".txt": "text/plain; charset=utf-8"}


@dataclass
class Request:
    method: str
    path: str
    query: dict
    headers: dict          # lower-case names
    status: int | None = None   # what the server answered
    body: bytes = b""      # POST bodies


@dataclass
class Doc:
    """Bytes served with validators; changing `body` changes the ETag and Last-Modified."""

    body: bytes
    content_type: str = "application/rss+xml"
    etag: bool = True
    last_modified: bool = True
    mtime: float = field(default_factory=lambda: time.time() - 3600)

    def set(self, body: bytes) -> None:
        self.body = body
        self.mtime = max(time.time(), self.mtime + 2)   # a later second than before

    @property
    def etag_value(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'

    @property
    def last_modified_value(self) -> str:
        return email.utils.formatdate(self.mtime, usegmt=True)


class Handler(BaseHTTPRequestHandler):
    server_version = "localtest/1.0"
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):          # quiet
        pass

    def do_GET(self):
        parts = urlsplit(self.path)
        query = {k: v[0] if len(v) == 1 else v for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        owner: Server = self.server.owner
        self._request = Request("GET", parts.path, query, {k.lower(): v for k, v in self.headers.items()})
        owner._record(self._request)
        route = owner.routes.get(parts.path)
        try:
            if route is not None:
                route(self, query)
            elif parts.path in owner.docs:
                self.conditional(owner.docs[parts.path])
            elif parts.path.startswith(("/ext/", "/ext-etag/", "/ext-lm/")):
                self.external(parts.path)
            else:
                self.send(404, b"not found", "text/plain")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_POST(self):
        """A receiver for webhooks: the body is recorded with the request; routes answer."""
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        owner: Server = self.server.owner
        self._request = Request("POST", parts.path, {}, {k.lower(): v for k, v in self.headers.items()},
                                body=self.rfile.read(length))
        owner._record(self._request)
        route = owner.routes.get(parts.path)
        if route is None:
            self.send(404, b"not found", "text/plain")
        else:
            route(self, {})

    def send_response(self, code, message=None):
        if getattr(self, "_request", None) is not None:
            self._request.status = code
        super().send_response(code, message)

    # response helpers, for routes too
    def send(self, status: int, body: bytes = b"", content_type: str = "text/plain", headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if body:
            self.wfile.write(body)

    def conditional(self, doc: Doc):
        headers = {}
        if doc.etag:
            headers["ETag"] = doc.etag_value
        if doc.last_modified:
            headers["Last-Modified"] = doc.last_modified_value
        inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
        if doc.etag and inm is not None:
            fresh = doc.etag_value in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
        elif doc.last_modified and ims is not None:
            try:
                fresh = email.utils.parsedate_to_datetime(ims).timestamp() >= int(doc.mtime)
            except (TypeError, ValueError):
                fresh = False
        else:
            fresh = False
        if fresh:
            self.send_response(304)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send(200, doc.body, doc.content_type, headers)

    def external(self, path: str):
        prefix, _, rest = path.lstrip("/").partition("/")
        file = (EXTERNAL / rest).resolve()
        if EXTERNAL not in file.parents or not file.is_file():
            self.send(404, b"not found")
            return
        owner: Server = self.server.owner
        doc = Doc(file.read_bytes(), CONTENT_TYPES.get(file.suffix.lower(), "application/octet-stream"),
                  etag=prefix != "ext-lm", last_modified=prefix != "ext-etag", mtime=owner.started - 86400)
        self.conditional(doc)


class Server:
    def __init__(self, host: str = "127.0.0.1"):
        self.routes: dict = {}
        self.docs: dict[str, Doc] = {}
        self.requests: list[Request] = []
        self.connections = 0
        self.started = float(int(time.time()))
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        owner = self

        class _HTTPServer(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False
            # Tests open dozens of connections at once; the default backlog of 5 overflows on a loaded
            # machine and the kernel drops a SYN, which the client resends a second later.
            request_queue_size = 128

            def handle_error(self, request, client_address):
                if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError, TimeoutError)):
                    super().handle_error(request, client_address)

            def process_request(self, request, client_address):
                with owner._lock:
                    owner.connections += 1
                super().process_request(request, client_address)

        self.httpd = _HTTPServer((host, 0), Handler)
        self.httpd.owner = self
        self.host, self.port = self.httpd.server_address[:2]
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)

    def _record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def route(self, path: str, fn) -> str:
        self.routes[path] = fn
        return self.url(path)

    def document(self, path: str, body: bytes, content_type: str = "application/rss+xml", **kw) -> Doc:
        self.docs[path] = Doc(body, content_type, **kw)
        return self.docs[path]

    def hits(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    # scripted faults
    def status(self, path: str, code: int, headers: dict | None = None, body: bytes = b"") -> str:
        return self.route(path, lambda h, q: h.send(code, body or f"HTTP {code}".encode(), "text/plain", headers))

    def redirect_chain(self, prefix: str = "/hop") -> None:
        """/hop/N redirects to /hop/N-1; /hop/0 is a small 200."""
        def hop(h, q, n):
            if n == 0:
                h.send(200, b"arrived", "text/plain")
            else:
                h.send(302, b"", headers={"Location": f"{prefix}/{n - 1}"})
        for n in range(12):
            self.route(f"{prefix}/{n}", lambda h, q, n=n: hop(h, q, n))

    def drip(self, path: str, interval: float = 0.1, limit: int = 100, length: int = 100_000) -> str:
        """A 200 that announces `length` bytes and sends one every `interval` seconds, at most `limit`."""
        def fn(h, q):
            h.send_response(200)
            h.send_header("Content-Type", "application/rss+xml")
            h.send_header("Content-Length", str(length))
            h.end_headers()
            h.wfile.flush()
            for _ in range(limit):
                if self.stopping.wait(interval):
                    return
                h.wfile.write(b" ")
                h.wfile.flush()
        return self.route(path, fn)

    def drip_headers(self, path: str, interval: float = 0.2, limit: int = 60) -> str:
        """A status line then one header byte every `interval` seconds, at most `limit`."""
        def fn(h, q):
            h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Slow: ")
            h.wfile.flush()
            for _ in range(limit):
                if self.stopping.wait(interval):
                    return
                h.wfile.write(b"a")
                h.wfile.flush()
            h.wfile.write(b"\r\nContent-Length: 2\r\n\r\nok")
            h.close_connection = True
        return self.route(path, fn)

    def gzip_bomb(self, path: str, inflated: int) -> tuple[str, int]:
        """A body of `inflated` zero bytes sent gzip-compressed; returns (url, compressed size)."""
        body = gzip.compress(b"\0" * inflated, compresslevel=9)
        self.route(path, lambda h, q: h.send(200, body, "application/rss+xml", {"Content-Encoding": "gzip"}))
        return self.url(path), len(body)

    def wordpress(self, path: str, posts: list[dict], total_header: bool = True) -> str:
        """/wp-json/wp/v2/posts-like paging: per_page, page, modified_after; 400 past the last page."""
        def fn(h, q):
            per_page = int(q.get("per_page", 10))
            page = int(q.get("page", 1))
            chosen = sorted(posts, key=lambda p: p.get("modified_gmt") or "", reverse=True)
            after = q.get("modified_after")
            if after:
                chosen = [p for p in chosen if (p.get("modified_gmt") or "") > after]
            pages = max(1, math.ceil(len(chosen) / per_page))
            if page > pages:
                body = json.dumps({"code": "rest_post_invalid_page_number",
                                   "message": "The page number requested is larger than the number of pages "
                                              "available.", "data": {"status": 400}}).encode()
                h.send(400, body, "application/json")
                return
            headers = {"X-WP-Total": str(len(chosen))}
            if total_header:
                headers["X-WP-TotalPages"] = str(pages)
            body = json.dumps(chosen[(page - 1) * per_page: page * per_page]).encode()
            h.send(200, body, "application/json; charset=UTF-8", headers)
        return self.route(path, fn)


def rss(items: list[dict], title: str = "Test feed", link: str = "http://127.0.0.1/") -> bytes:
    """A small RSS 2.0 feed; each item has title, link, guid and description (escaped here)."""
    from xml.sax.saxutils import escape
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<rss version="2.0"><channel>',
           f"<title>{escape(title)}</title><link>{escape(link)}</link><description>test</description>"]
    for item in items:
        out.append("<item>")
        for key in ("title", "link", "guid", "pubDate", "description"):
            if key in item:
                attr = ' isPermaLink="false"' if key == "guid" else ""
                out.append(f"<{key}{attr}>{escape(item[key])}</{key}>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "\n".join(out).encode()


def toml_config(store: Path, sources: list[dict], fetch: dict | None = None, notifiers: list[dict] = ()) -> str:
    """A monitor config; strings are written as JSON strings, which TOML reads the same."""
    def value(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, float)):
            return repr(v)
        return json.dumps(v)
    lines = ["[store]", f"path = {value(str(store))}", "", "[fetch]"]
    for k, v in {"allow_private": True, **(fetch or {})}.items():
        lines.append(f"{k} = {value(v)}")
    for source in sources:
        lines += ["", "[[sources]]"] + [f"{k} = {value(v)}" for k, v in source.items()]
    for notifier in notifiers:
        lines += ["", "[[notifiers]]"] + [f"{k} = {value(v)}" for k, v in notifier.items()]
    return "\n".join(lines) + "\n"


def write_config(tmp_path: Path, sources: list[dict], fetch: dict | None = None, name: str = "monitor.toml",
                 notifiers: list[dict] = ()) -> Path:
    path = tmp_path / name
    path.write_text(toml_config(tmp_path / "monitor.db", sources, fetch, notifiers), encoding="utf-8")
    return path
