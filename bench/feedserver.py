"""Real feeds served on loopback addresses for `python -m bench` (run as its own process, so
that serving does not share the measured process's interpreter).

    python -m bench.feedserver --hosts 8 --feeds 1000

Serves /f/N on each of 127.0.0.1 .. 127.0.0.H (ports chosen by the system, printed as one
JSON line) with the real well-formed feeds of ../shared/external/feeds in turn, each with an
ETag and a Last-Modified, answering 304 to a request that carries either. Stops on SIGTERM
or when its standard input closes.
"""
from __future__ import annotations

import argparse
import email.utils
import hashlib
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FEEDS = Path(__file__).resolve().parent.parent.parent / "shared/external/feeds"
MTIME = 1_700_000_000


def real_feeds() -> list[bytes]:
    """The index's well-formed RSS, Atom and RDF feeds (not feedparser's synthetic unit cases)."""
    rows = [line.split("\t") for line in (FEEDS / "FEEDS_INDEX.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    return [(FEEDS / r[0]).read_bytes() for r in rows if len(r) > 3 and r[3] == "wellformed" and int(r[2] or 0) > 0]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # http.server writes the headers and the body in two sends; with Nagle's algorithm on, the
    # body then waits for the client's delayed ACK (40 ms on Linux) on a kept-alive connection.
    # Real servers (nginx, Apache) send without that stall, and so does this one: with it, both
    # the baseline and our pass measured the stall (1,000 feeds: 29 s and 3.7 s; without, 13 s
    # and 1.1 s).
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def do_GET(self):
        feeds = self.server.feeds
        try:
            body = feeds[int(self.path.rsplit("/", 1)[-1]) % len(feeds)]
        except ValueError:
            self.send_error(404)
            return
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        modified = email.utils.formatdate(MTIME, usegmt=True)
        fresh = self.headers.get("If-None-Match") == etag or self.headers.get("If-Modified-Since") == modified
        self.send_response(304 if fresh else 200)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", "0" if fresh else str(len(body)))
        self.end_headers()
        if not fresh:
            self.wfile.write(body)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=8)
    args = parser.parse_args()
    feeds = real_feeds()
    servers = []
    for h in range(1, args.hosts + 1):
        server = ThreadingHTTPServer((f"127.0.0.{h}", 0), Handler)
        server.daemon_threads = True
        server.feeds = feeds
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server.server_address)
    print(json.dumps({"servers": servers, "feeds": len(feeds)}), flush=True)
    sys.stdin.read()                        # until the parent closes our input


if __name__ == "__main__":
    main()
