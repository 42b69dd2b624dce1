"""The fetch side against a real HTTP server on 127.0.0.1 (tests/localserver.py): the guarded
client, config validation, and the fetchers through `monitor run --config`.

No mock of the HTTP layer: the monitor's own client opens sockets to a ThreadingHTTPServer
started here, which serves the real feeds and WordPress responses in ../shared/external and
scripted fault routes. Each test gets its own server, config and SQLite store in tmp_path.
"""
from __future__ import annotations

import email.utils
import functools
import gzip
import json
import re
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

import feedparser
import pytest
from conftest import invoke, rows
from localserver import EXTERNAL, FEEDS, WORDPRESS, Server, rss, write_config

from monitor import config as config_module
from monitor.fetch.http import (
    Client,
    FetchError,
    RetryLater,
    address_refused,
    retry_after,
)
from monitor.identity import canonical_url

pytestmark = pytest.mark.skipif(not EXTERNAL.is_dir(), reason=f"external test material not present at {EXTERNAL}")

CAP = 1024 * 1024
# How the client words a request stopped by its total deadline.
DEADLINE = re.compile(r"deadline|timed out after at most")
AEB = EXTERNAL / "article-extraction" / "scrapinghub_aeb"
# A real news page (VentureBeat, 548 words of article body in the benchmark's ground truth).
PAGE_KEY = "06e5123e4ef7"


@pytest.fixture
def client():
    made = []

    def make(**kw):
        c = Client(**{"allow_private": True, **kw})
        made.append(c)
        return c
    yield make
    for c in made:
        c.close()


def in_thread(fn, wait: float):
    """Run fn in a thread; (finished, result or exception) after at most `wait` seconds."""
    box = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as exc:   # noqa: BLE001 - handed back to the test
            box["value"] = exc
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(wait)
    return not thread.is_alive(), box.get("value")


def readable(entries) -> list:
    """The feed items that carry some text (an item with only a title has nothing to read)."""
    def text(entry):
        values = [c.get("value", "") for c in entry.get("content", [])] + [entry.get("summary", "")]
        return " ".join(re.sub(r"<[^>]+>", " ", v) for v in values).strip()
    return [e for e in entries if text(e)]


def page_html(key: str = PAGE_KEY) -> tuple[bytes, str]:
    ground = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    full = next(k for k in ground if k.startswith(key))
    return gzip.decompress((AEB / "html" / f"{full}.html.gz").read_bytes()), ground[full]["articleBody"]


# --- the HTTP client -------------------------------------------------------------------------

BBC = "/ext/feeds/web-services-ae2_saved_feeds/bbc.xml"


def test_200_returns_the_body_and_its_validators(server, client):
    response = client().get(server.url(BBC))
    assert response.status == 200
    assert response.body == (FEEDS / "web-services-ae2_saved_feeds" / "bbc.xml").read_bytes()
    assert response.etag and response.last_modified
    assert response.content_type.startswith("application/xml")


def test_304_with_if_none_match(server, client):
    c = client()
    first = c.get(server.url("/ext-etag" + BBC[4:]))
    assert first.etag and first.last_modified is None
    again = c.get(server.url("/ext-etag" + BBC[4:]), etag=first.etag)
    assert again.status == 304 and again.not_modified and again.body == b""
    assert server.requests[-1].headers["if-none-match"] == first.etag


def test_304_with_if_modified_since(server, client):
    c = client()
    first = c.get(server.url("/ext-lm" + BBC[4:]))
    assert first.last_modified and first.etag is None
    again = c.get(server.url("/ext-lm" + BBC[4:]), last_modified=first.last_modified)
    assert again.not_modified
    assert server.requests[-1].headers["if-modified-since"] == first.last_modified
    assert "if-none-match" not in server.requests[-1].headers


@pytest.mark.parametrize("code", [404, 410, 500])
def test_error_statuses_are_fetch_errors_naming_url_and_status(server, client, code):
    url = server.status(f"/gone-{code}", code)
    with pytest.raises(FetchError) as caught:
        client().get(url)
    assert not isinstance(caught.value, RetryLater)
    assert url in str(caught.value) and f"HTTP {code}" in str(caught.value)


@pytest.mark.parametrize("code", [429, 503])
@pytest.mark.parametrize("form", ["seconds", "date"])
def test_429_and_503_raise_retry_later_with_the_seconds(server, client, code, form):
    value = "120" if form == "seconds" else email.utils.formatdate(time.time() + 120, usegmt=True)
    url = server.status(f"/busy-{code}", code, {"Retry-After": value})
    with pytest.raises(RetryLater) as caught:
        client().get(url)
    if form == "seconds":
        assert caught.value.seconds == 120
    else:
        assert 100 <= caught.value.seconds <= 121
    assert url in str(caught.value) and f"HTTP {code}" in str(caught.value)


def test_retry_after_without_a_usable_value_is_none(server, client):
    url = server.status("/busy", 503, {"Retry-After": "soon-ish"})
    with pytest.raises(RetryLater) as caught:
        client().get(url)
    assert caught.value.seconds is None
    assert retry_after(None) is None
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0      # a date in the past: now


def test_a_slow_body_stops_at_the_deadline(server, client):
    url = server.drip("/slow", interval=0.1, limit=150)         # 15 s of drip if nobody stops it
    finished, outcome = in_thread(lambda: client(total_seconds=1.0).get(url), wait=8)
    assert finished, "the client was still reading a dripping body long past its 1-second deadline"
    assert isinstance(outcome, FetchError) and DEADLINE.search(str(outcome)) and url in str(outcome)


def test_slow_headers_stop_at_the_deadline(server, client):
    url = server.drip_headers("/slow-headers", interval=0.2, limit=50)   # 10 s of header drip
    finished, outcome = in_thread(lambda: client(total_seconds=1.0).get(url), wait=5)
    assert finished, "the client waited for dripping headers far past its 1-second deadline"
    assert isinstance(outcome, FetchError) and url in str(outcome)


def test_an_oversized_body_stops_at_max_bytes(server, client):
    big = b"<rss>" + b"x" * (3 * CAP) + b"</rss>"
    server.route("/big", lambda h, q: h.send(200, big, "application/rss+xml"))
    with pytest.raises(FetchError) as caught:
        client(max_bytes=CAP).get(server.url("/big"))
    assert "cap" in str(caught.value) and "1,048,576" in str(caught.value)


def test_a_gzip_bomb_stops_at_the_cap_counted_after_decompression(server, client):
    url, sent = server.gzip_bomb("/bomb", inflated=20 * CAP)
    assert sent < 64 * 1024 < CAP, "the bomb itself is a few KB: only decompressed bytes can pass the cap"
    with pytest.raises(FetchError) as caught:
        client(max_bytes=CAP).get(url)
    assert "cap" in str(caught.value) and "after decompression" in str(caught.value)


@functools.lru_cache(maxsize=1)
def _quarter_gigabyte_of_zeros_gzipped() -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)             # wbits 31: a gzip stream
    zeros = b"\0" * (1 << 20)
    return b"".join([packer.compress(zeros) for _ in range(256)] + [packer.flush()])


MEMORY_PROBE = """
import resource, sys
from monitor.fetch.http import Client, FetchError
client = Client(allow_private=True, max_bytes=1 << 20)
client.get(sys.argv[2])                                          # imports and pools warmed up
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    client.get(sys.argv[1])
    print("no error")
except FetchError as exc:
    print(exc)
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""


@pytest.mark.parametrize("encoding", [
    "gzip",
    "gzip, gzip",          # stacked encodings are refused outright; a single layer is inflated in slices
])
def test_a_gzip_bomb_is_refused_without_inflating_it_in_memory(server, encoding):
    inner = _quarter_gigabyte_of_zeros_gzipped()
    body = inner if encoding == "gzip" else gzip.compress(inner, 9)
    server.route("/bomb", lambda h, q: h.send(200, body, "application/rss+xml", {"Content-Encoding": encoding}))
    server.route("/warm", lambda h, q: h.send(200, b"<rss version='2.0'/>", "application/rss+xml"))
    done = subprocess.run([sys.executable, "-c", MEMORY_PROBE, server.url("/bomb"), server.url("/warm")],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    message, grown = done.stdout.strip().splitlines()[-2:]
    assert ("cap" in message and "after decompression" in message) or "refused Content-Encoding" in message, message
    assert int(grown) < 128, f"fetching a {len(body):,}-byte bomb with a 1 MB cap grew the process by {grown} MB"


def test_a_small_gzip_body_is_decoded(server, client):
    body = (FEEDS / "react-native-rss-parser_samples" / "reuters.xml").read_bytes()
    packed = gzip.compress(body)
    server.route("/gz", lambda h, q: h.send(200, packed, "application/rss+xml", {"Content-Encoding": "gzip"}))
    assert client(max_bytes=CAP).get(server.url("/gz")).body == body
    assert "gzip" in server.hits("/gz")[0].headers.get("accept-encoding", "")


def test_redirects_are_followed_up_to_max_redirects(server, client):
    server.redirect_chain("/hop")
    response = client(max_redirects=3).get(server.url("/hop/3"))
    assert response.status == 200 and response.body == b"arrived"
    assert response.url == server.url("/hop/0")


def test_one_redirect_too_many_is_refused(server, client):
    server.redirect_chain("/hop")
    with pytest.raises(FetchError) as caught:
        client(max_redirects=3).get(server.url("/hop/4"))
    assert "more than 3 redirects" in str(caught.value)
    assert [r.path for r in server.requests] == ["/hop/4", "/hop/3", "/hop/2", "/hop/1"]


def test_a_redirect_to_cloud_metadata_is_refused_even_with_allow_private(server, client):
    # Guard first: if the rule were gone, the redirect below would send a packet off this machine.
    assert address_refused("169.254.169.254", allow_private=True), "metadata address no longer refused"
    url = server.status("/to-metadata", 302, {"Location": "http://169.254.169.254/latest/meta-data/"})
    with pytest.raises(FetchError) as caught:
        client(allow_private=True).get(url)
    message = str(caught.value)
    assert "169.254.169.254" in message and "refused" in message and "metadata" in message


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "[::ffff:127.0.0.1]"])
def test_loopback_is_refused_without_connecting_unless_allowed(server, client, host):
    url = f"http://{host}:{server.port}{BBC}"
    with pytest.raises(FetchError) as caught:
        client(allow_private=False).get(url)
    assert "refused" in str(caught.value) and "loopback" in str(caught.value)
    assert server.connections == 0 and server.requests == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/feed.xml"])
def test_schemes_other_than_http_are_refused(server, client, url):
    with pytest.raises(FetchError) as caught:
        client().get(url)
    assert "only http and https" in str(caught.value) and url in str(caught.value)
    assert server.connections == 0


def test_a_redirect_to_another_scheme_is_refused(server, client):
    url = server.status("/to-file", 302, {"Location": "file:///etc/passwd"})
    with pytest.raises(FetchError) as caught:
        client().get(url)
    assert "only http and https" in str(caught.value)


@pytest.mark.parametrize("ip", ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "169.254.10.1",
                                "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "0.0.0.0", "224.0.0.1"])
def test_private_and_special_addresses_are_refused_by_default(ip):
    assert address_refused(ip, allow_private=False)


def test_public_addresses_pass_and_metadata_never_does():
    assert address_refused("93.184.216.34", allow_private=False) is None
    assert address_refused("2606:2800:220:1:248:1893:25c8:1946", allow_private=False) is None
    assert address_refused("10.1.2.3", allow_private=True) is None
    assert address_refused("fd00:ec2::254", allow_private=True)


def test_the_user_agent_is_sent(server, client):
    client(user_agent="monitor-test/9 (+https://example.invalid/contact)").get(server.url(BBC))
    assert server.requests[0].headers["user-agent"] == "monitor-test/9 (+https://example.invalid/contact)"
    client().get(server.url(BBC))
    assert server.requests[1].headers["user-agent"].startswith("monitor/")


# --- config validation -------------------------------------------------------------------------

GOOD_SOURCE = 'name = "A"\nkind = "feed"\nurl = "https://example.org/feed.xml"\n'
BAD_CONFIGS = {
    "unknown key": ('[[sources]]\n' + GOOD_SOURCE + 'colour = "red"\n', ["sources[0].colour", "unknown key", "every",
                                                                       "fetch_article"]),
    "unknown top-level key": ('[stores]\npath = "x.db"\n', ["stores", "unknown key", "sources", "fetch"]),
    "bad kind": ('[[sources]]\nname = "A"\nkind = "rss"\nurl = "https://example.org/f"\n',
                 ["sources[0].kind", "'rss'", "feed", "wordpress", "page", "files"]),
    "bad duration": ('[[sources]]\n' + GOOD_SOURCE + 'every = "soon"\n', ["sources[0].every", "'soon'", "15m"]),
    "zero duration": ('[[sources]]\n' + GOOD_SOURCE + 'every = "0m"\n', ["sources[0].every", "'0m'", "15m"]),
    "missing url": ('[[sources]]\nname = "A"\nkind = "feed"\n', ["sources[0].url", "None", "http://", "https://"]),
    "ftp url": ('[[sources]]\nname = "A"\nkind = "page"\nurl = "ftp://example.org/a"\n',
                ["sources[0].url", "ftp://example.org/a", "http://"]),
    "bad fetch int": ('[fetch]\nmax_redirects = -1\n', ["fetch.max_redirects", "-1", "0 or more"]),
    "bad fetch bool": ('[fetch]\nallow_private = "yes"\n', ["fetch.allow_private", "'yes'", "true or false"]),
    "duplicate name": ('[[sources]]\n' + GOOD_SOURCE + '[[sources]]\n' + GOOD_SOURCE, ["'A'", "twice", "unique"]),
}


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
def test_config_errors_name_the_key_the_value_and_what_is_allowed(tmp_path, case):
    text, fragments = BAD_CONFIGS[case]
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(config_module.ConfigError) as caught:
        config_module.load(path)
    message = str(caught.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message, f"{case}: {fragment!r} missing from {message!r}"


def test_a_good_config_loads_with_its_defaults(tmp_path):
    path = tmp_path / "good.toml"
    path.write_text('[store]\npath = "s.db"\n[fetch]\nallow_private = true\ntimeout = "5s"\n'
                    '[[sources]]\n' + GOOD_SOURCE + 'every = "1h"\n', encoding="utf-8")
    config = config_module.load(path)
    assert config.store == str(tmp_path / "s.db")
    assert config.fetch.allow_private and config.fetch.timeout == 5.0
    [source] = config.sources
    assert (source.kind, source.every, source.fetch_article, source.enabled) == ("feed", 3600.0, True, True)


@pytest.mark.parametrize("case", ["unknown key", "bad kind", "bad duration", "missing url"])
def test_run_with_a_bad_config_exits_2_naming_the_key(tmp_path, case):
    text, fragments = BAD_CONFIGS[case]
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    result = invoke("run", "--config", path)
    assert result.exit_code == 2
    assert fragments[0] in result.stderr
    assert not (tmp_path / "monitor.db").exists()


def test_run_with_a_missing_or_broken_config_exits_2(tmp_path):
    assert invoke("run", "--config", tmp_path / "nope.toml").exit_code == 2
    broken = tmp_path / "broken.toml"
    broken.write_text("[[sources]\nname =", encoding="utf-8")
    result = invoke("run", "--config", broken)
    assert result.exit_code == 2 and "TOML" in result.stderr


# --- feeds through `monitor run` ---------------------------------------------------------------

# 26 real feeds (RSS 0.91/0.92/1.0/2.0, RDF, Atom; UTF-8, ISO-8859-1, KOI8-R, Urdu) whose every
# item carries text and none of which repeats another's items, so each item is stored once.
REAL_FEEDS = [
    "react-native-rss-parser_samples/reuters.xml", "react-native-rss-parser_samples/huffpost.xml",
    "rss-parser_test_input/guardian.rss", "rss-parser_test_input/heise.atom", "RSParser_resources/livemint.xml",
    "miniflux_testdata/parser/urdu_UTF8.xml", "miniflux_testdata/encoding/koi8r.xml",
    "feed-rs_fixture/atom/atom_example_2.xml", "feed-rs_fixture/atom/atom_example_5.xml",
    "feed-rs_fixture/atom/atom_example_7.xml", "feed-rs_fixture/rss0/rss_0.91_spec_1.xml",
    "feed-rs_fixture/rss1/rss_1.0_iso8859.xml", "feed-rs_fixture/rss1/rss_1.0_debian.xml",
    "feed-rs_fixture/rss1/rss_1.0_spec_1.xml", "feed-rs_fixture/rss2/rss_2.0_bbc.xml",
    "feed-rs_fixture/rss2/rss_2.0_cloudflare.xml", "feed-rs_fixture/rss2/rss_2.0_example_2.xml",
    "feed-rs_fixture/rss2/rss_2.0_example_3.xml", "feed-rs_fixture/rss2/rss_2.0_example_4.xml",
    "feed-rs_fixture/rss2/rss_2.0_example_5.xml", "feed-rs_fixture/rss2/rss_2.0_ilgiornale.xml",
    "feed-rs_fixture/rss2/rss_2.0_ilmessaggero.xml", "feed-rs_fixture/rss2/rss_2.0_nbcny.xml",
    "feed-rs_fixture/rss2/rss_2.0_spiegel.xml", "feed-rs_fixture/rss2/rss_2.0_matrix.xml",
    "feed-rs_fixture/rss2/rss_2.0_kdist.xml",
]
PREFIXES = ("/ext/", "/ext-etag/", "/ext-lm/")     # both validators, an ETag only, a Last-Modified only


def feed_source(name: str, url: str, **kw) -> dict:
    return {"name": name, "kind": "feed", "url": url, "every": 0.01, "fetch_article": False, **kw}


def test_real_feeds_two_passes_store_every_item_once_then_nothing(server, tmp_path):
    paths = {p: PREFIXES[i % 3] + "feeds/" + p for i, p in enumerate(REAL_FEEDS)}
    assert len(paths) >= 20
    cfg = write_config(tmp_path, [feed_source(p, server.url(path)) for p, path in paths.items()])
    db = tmp_path / "monitor.db"

    first = invoke("run", "-v", "--config", cfg)
    assert first.exit_code == 0, first.stderr
    assert "error" not in first.stderr, first.stderr
    stored = {}
    for origin, url in rows(db, "select origin, url from articles"):
        stored.setdefault(origin, []).append(canonical_url(url))
    for name, path in paths.items():
        entries = feedparser.parse((FEEDS / name).read_bytes()).entries
        expected = sorted(canonical_url(e.get("link") or server.url(path)) for e in entries)
        assert sorted(stored.get(server.url(path), [])) == expected, name
    total = sum(len(feedparser.parse((FEEDS / n).read_bytes()).entries) for n in paths)
    assert rows(db, "select count(*), count(distinct fingerprint), max(version) from articles") == [(total, total, 1)]
    assert f"{len(paths)} source(s) fetched, 0 failed, {total} article(s) added" in first.stderr

    served = len(server.requests)
    second = invoke("run", "-v", "--config", cfg)
    assert second.exit_code == 0, second.stderr
    assert f"{len(paths)} source(s) fetched, 0 failed, 0 article(s) added" in second.stderr
    assert rows(db, "select count(*) from articles") == [(total,)]
    again = server.requests[served:]
    assert len(again) == len(paths)
    for request in again:
        prefix = "/" + request.path.split("/")[1] + "/"
        if prefix in ("/ext/", "/ext-etag/"):
            assert request.headers.get("if-none-match"), request.path
        if prefix == "/ext-lm/":
            assert request.headers.get("if-modified-since"), request.path
        assert request.status == 304, request.path
    results = rows(db, "select last_result, failures, disabled from sources")
    assert results == [("not modified", 0, 0)] * len(paths)


def test_every_wellformed_feed_is_read_and_the_second_pass_is_all_304(server, tmp_path):
    """All well-formed real feeds of the index: each pass stores at most one article per item."""
    index = [line.split("\t") for line in (FEEDS / "FEEDS_INDEX.tsv").read_text(encoding="utf-8").split("\n")[1:]]
    names = [r[0] for r in index if len(r) > 3 and r[3] == "wellformed" and r[1] in ("rss", "feed", "RDF")
             and r[2] not in ("0", "?")]
    # a sample across the collections, kept small enough for the default run
    names = names[::4]
    cfg = write_config(tmp_path, [feed_source(n, server.url("/ext/feeds/" + n)) for n in names])
    db = tmp_path / "monitor.db"
    first = invoke("run", "--config", cfg)
    # A feed whose items all lack text (titles or links only) gave nothing but errors: it failed,
    # and keeps no validators, so the next pass reads it in full; every other feed is a 304.
    unread = {n for n, result in rows(db, "select name, last_result from sources") if result == "error: nothing read"}
    assert len(unread) < len(names) // 4, unread
    assert first.exit_code == (1 if unread else 0), first.stderr
    assert all(f"error: {n}: none of its" in first.stderr for n in unread), first.stderr
    items = sum(len(feedparser.parse((FEEDS / n).read_bytes()).entries) for n in names)
    count = rows(db, "select count(*) from articles")[0][0]
    assert 0 < count <= items
    assert rows(db, "select count(*) - count(distinct fingerprint) from articles") == [(0,)]
    served = len(server.requests)
    second = invoke("run", "--config", cfg)
    assert second.exit_code == first.exit_code, second.stderr
    assert rows(db, "select count(*) from articles") == [(count,)]
    statuses = {r.path.removeprefix("/ext/feeds/"): r.status for r in server.requests[served:]}
    assert statuses == {n: 200 if n in unread else 304 for n in names}


FAULTS = "faults"


def _fault_server(server: Server) -> dict[str, str]:
    html, _ = page_html()
    server.status("/f/404", 404)
    server.status("/f/410", 410)
    server.status("/f/500", 500)
    server.status("/f/429", 429, {"Retry-After": "120"})
    server.drip("/f/slow", interval=0.1, limit=100)
    server.route("/f/big", lambda h, q: h.send(200, b"<rss>" + b"x" * (2 * CAP) + b"</rss>", "application/rss+xml"))
    server.gzip_bomb("/f/bomb", inflated=20 * CAP)
    server.status("/f/metadata", 302, {"Location": "http://169.254.169.254/latest/meta-data/"})
    server.redirect_chain("/f/hop")
    server.route("/f/html", lambda h, q: h.send(200, html, "text/html; charset=utf-8"))
    server.route("/f/empty", lambda h, q: h.send(200, b"", "application/rss+xml"))
    server.route("/f/catalog", lambda h, q: h.send(
        200, (FEEDS / "feed-rs_fixture" / "xml" / "xml_sample_1.xml").read_bytes(), "application/xml"))
    return {
        "not found": ("/f/404", "HTTP 404"), "gone": ("/f/410", "HTTP 410"), "server error": ("/f/500", "HTTP 500"),
        "slow body": ("/f/slow", DEADLINE), "oversized": ("/f/big", "cap"), "gzip bomb": ("/f/bomb", "cap"),
        "to metadata": ("/f/metadata", "metadata"), "redirect loop": ("/f/hop/9", "redirects"),
        "html page": ("/f/html", "HTML"), "empty body": ("/f/empty", "empty"),
        "not a feed": ("/f/catalog", re.compile(r"not a (readable )?feed")),
    }


def test_each_fault_is_an_error_for_its_source_only(server, tmp_path):
    assert address_refused("169.254.169.254", allow_private=True), "metadata address no longer refused"
    faults = _fault_server(server)
    good = {"reuters": "react-native-rss-parser_samples/reuters.xml", "guardian": "rss-parser_test_input/guardian.rss",
            "malformed": "rss-parser_test_input/uolNoticias.rss"}
    sources = [feed_source(name, server.url(path)) for name, (path, _) in faults.items()]
    sources += [feed_source(name, server.url("/ext/feeds/" + path)) for name, path in good.items()]
    cfg = write_config(tmp_path, sources, fetch={"timeout": "1s", "max_bytes": CAP, "max_redirects": 3})
    db = tmp_path / "monitor.db"

    result = invoke("run", "-v", "--config", cfg)
    assert result.exit_code == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    for name, (path, reason) in faults.items():
        mine = [line for line in errors if line.startswith(f"error: {name}: ")]
        assert len(mine) == 1, (name, errors)
        assert (reason.search(mine[0]) if isinstance(reason, re.Pattern) else reason in mine[0]), (name, mine[0])
    # the good feeds are stored whole; the malformed one (declared UTF-8, really Windows-1252) with a warning,
    # less its four items that have a title and no text
    for name, path in good.items():
        entries = readable(feedparser.parse((FEEDS / path).read_bytes()).entries)
        stored = rows(db, "select count(*) from articles where origin = ?", [server.url("/ext/feeds/" + path)])
        assert stored == [(len(entries),)], name
    assert any(line.startswith("warning: ") and "uolNoticias.rss" in line and "malformed" in line
               for line in result.stderr.splitlines()), result.stderr
    state = dict(rows(db, "select name, last_result from sources"))
    # a 410 Gone disables its source at once; every other fault is an error that backs off
    assert all(state[name] == ("disabled" if name == "gone" else "error") for name in faults), state
    # the malformed one was read with a warning, and its status says so (issue 15, item 3)
    assert all(state[name].startswith("warning" if name == "malformed" else "ok") for name in good), state
    assert f"{len(good)} source(s) fetched, {len(faults)} failed" in result.stderr
    status = invoke("status", "--config", cfg)
    assert status.exit_code == 0
    for name in faults:
        expected = "disabled" if name == "gone" else "error"
        assert any(line.startswith(name + " ") and expected in line for line in status.stdout.splitlines()), name


@pytest.mark.parametrize("name", ["feed-rs_fixture/rss2/rss_2.0_invalid_1.xml",
                                  "react-native-rss-parser_samples/rssv2-invalid-format.xml"])
def test_a_malformed_feed_with_no_readable_item_fails_its_source(server, tmp_path, name):
    cfg = write_config(tmp_path, [feed_source("broken", server.url("/ext/feeds/" + name)),
                                  feed_source("reuters", server.url("/ext/feeds/react-native-rss-parser_samples/"
                                                                    "reuters.xml"))])
    result = invoke("run", "--config", cfg)
    assert rows(tmp_path / "monitor.db", "select count(*) from articles") == [(10,)]
    assert "error: " in result.stderr and name.split("/")[-1] in result.stderr
    assert result.exit_code == 1, result.stderr
    assert rows(tmp_path / "monitor.db", "select last_result from sources where name = 'broken'") == [("error",)]


def test_every_malformed_feed_is_a_warning_or_an_error_for_its_source_alone(server, tmp_path):
    """The index's not-well-formed feeds and feedparser's illformed cases, with a good feed beside them:
    each is either read (a warning, its items stored, the source ok) or an error for that source alone."""
    index = [line.split("\t") for line in (FEEDS / "FEEDS_INDEX.tsv").read_text(encoding="utf-8").split("\n")[1:]]
    broken = [r[0] for r in index if len(r) > 3 and r[3].startswith("NOT WELL-FORMED")]
    broken += sorted(str(p.relative_to(FEEDS)) for p in (FEEDS / "feedparser_tests" / "illformed").glob("*.xml"))
    assert len(broken) >= 20
    sources = [feed_source(f"bad{i}", server.url("/ext/feeds/" + name)) for i, name in enumerate(broken)]
    sources.append(feed_source("reuters", server.url("/ext/feeds/react-native-rss-parser_samples/reuters.xml")))
    cfg = write_config(tmp_path, sources)
    db = tmp_path / "monitor.db"
    result = invoke("run", "--config", cfg)
    lines = result.stderr.splitlines()
    assert rows(db, "select count(*) from articles where origin like '%reuters.xml'") == [(10,)]
    state = dict(rows(db, "select name, last_result from sources"))
    failed = 0
    for i, name in enumerate(broken):
        url = server.url("/ext/feeds/" + name)
        result_ = state[f"bad{i}"]
        if result_ in ("error", "error: nothing read"):      # unreadable, or no item with text
            failed += 1
            assert any(line.startswith(f"error: bad{i}: {url}") for line in lines), (name, lines)
        else:
            warned = any(line.startswith(f"warning: bad{i}: ") for line in lines)
            assert result_.startswith("warning" if warned else "ok"), (name, result_)   # status says what was said
            parsed = feedparser.parse((FEEDS / name).read_bytes())
            stored = rows(db, "select count(*) from articles where origin = ?", [url])[0][0]
            if readable(parsed.entries):
                assert stored > 0, (name, result_)
            if parsed.bozo:
                assert any(line.startswith("warning: ") and url in line and "malformed" in line for line in lines), \
                    (name, lines)
    assert result.exit_code == (1 if failed else 0), result.stderr
    assert state["reuters"] == "ok: 10 new"


def test_a_malformed_feed_that_feedparser_recovers_is_read_with_a_warning(server, tmp_path):
    name = "feed-rs_fixture/rss2/rss_2.0_dbengines.xml"          # an undefined entity
    cfg = write_config(tmp_path, [feed_source("dbengines", server.url("/ext/feeds/" + name))])
    result = invoke("run", "--config", cfg)
    assert result.exit_code == 0, result.stderr
    assert "warning: " in result.stderr and "malformed" in result.stderr
    assert rows(tmp_path / "monitor.db", "select count(*) from articles") == [(1,)]


@pytest.mark.parametrize("name", ["feed-rs_fixture/jsonfeed/jsonfeed_example_1.json",
                                  "feedparser_tests/json/example.json"])
def test_a_json_feed_is_read_then_not_modified(server, tmp_path, name):
    items = json.loads((FEEDS / name).read_text(encoding="utf-8"))["items"]
    cfg = write_config(tmp_path, [feed_source("json", server.url("/ext/feeds/" + name))])
    result = invoke("run", "--config", cfg)
    assert result.exit_code == 0, result.stderr
    stored = rows(tmp_path / "monitor.db", "select url from articles")
    assert sorted(canonical_url(u) for u, in stored) == sorted(canonical_url(i["url"]) for i in items)
    assert invoke("run", "--config", cfg).exit_code == 0
    assert server.requests[-1].status == 304


def test_items_without_links_are_separate_articles(server, tmp_path):
    name = "feed-rs_fixture/rss0/rss_0.92_spec_1.xml"
    entries = feedparser.parse((FEEDS / name).read_bytes()).entries
    assert len(entries) == 3 and not any(e.get("link") or e.get("id") for e in entries)
    cfg = write_config(tmp_path, [feed_source("dead", server.url("/ext/feeds/" + name))])
    assert invoke("run", "--config", cfg).exit_code == 0
    assert rows(tmp_path / "monitor.db", "select count(*), max(version) from articles") == [(3, 1)]


# --- identity across passes ----------------------------------------------------------------------

def _items(server, guid_prefix: str, link_suffix: str = "") -> list[dict]:
    return [{"title": f"Story {n}", "link": server.url(f"/news/story-{n}") + link_suffix, "guid": f"{guid_prefix}-{n}",
             "pubDate": f"Mon, 0{n} Jun 2024 10:00:00 GMT",
             "description": f"Officials in the port city said the ferry number {n} had been delayed by storms, "
                            f"and that inspectors would report within a week on what went wrong with it."}
            for n in range(1, 4)]


def test_changed_guids_for_the_same_items_store_nothing_twice(server, tmp_path):
    doc = server.document("/churn.xml", rss(_items(server, "urn:first")))
    cfg = write_config(tmp_path, [feed_source("churn", server.url("/churn.xml"))])
    db = tmp_path / "monitor.db"
    assert invoke("run", "--config", cfg).exit_code == 0
    assert rows(db, "select count(*) from articles") == [(3,)]
    doc.set(rss(_items(server, "urn:second", "?utm_source=rss&utm_medium=feed")))   # new GUIDs, tracked links
    result = invoke("run", "-v", "--config", cfg)
    assert result.exit_code == 0, result.stderr
    assert server.hits("/churn.xml")[-1].status == 200          # the feed did change
    assert rows(db, "select count(*), max(version) from articles") == [(3, 1)]
    assert "0 article(s) added" in result.stderr


def test_changed_text_at_the_same_url_is_a_new_version_with_a_revised_alert(server, tmp_path):
    item = {"title": "Strike on market", "link": server.url("/news/strike"), "guid": "strike-1",
            "pubDate": "Mon, 06 May 2024 10:00:00 GMT",
            "description": "The health ministry said 100 people were killed."}
    doc = server.document("/live.xml", rss([item]))
    cfg = write_config(tmp_path, [feed_source("live", server.url("/live.xml"))])
    db = tmp_path / "monitor.db"
    assert invoke("run", "--config", cfg).exit_code == 0
    assert rows(db, "select count(*) from alerts") == [(0,)]
    doc.set(rss([{**item, "description": "The health ministry said 150 people were killed."}]))
    result = invoke("run", "--config", cfg)
    assert result.exit_code == 0, result.stderr
    versions = rows(db, "select version, text from articles order by id")
    assert [v for v, _ in versions] == [1, 2]
    assert "150" in versions[1][1]
    alerts = rows(db, "select kind, change, value, previous_value from alerts")
    assert alerts == [("figure", "revised", 150.0, 100.0)]
    # and a third pass of the unchanged feed adds nothing
    assert invoke("run", "--config", cfg).exit_code == 0
    assert rows(db, "select count(*) from articles") == [(2,)]


def test_articles_told_apart_only_by_a_query_parameter_are_two_articles(server, tmp_path):
    items = [{"title": "Port reopens", "link": server.url("/news.php?cid=101"), "guid": "port",
              "description": "The harbour master said the port reopened on Tuesday after the storm passed."},
             {"title": "School budget", "link": server.url("/news.php?cid=102"), "guid": "school",
              "description": "The council approved the new school budget after a long debate on Monday."}]
    server.document("/cid.xml", rss(items))
    cfg = write_config(tmp_path, [feed_source("cid", server.url("/cid.xml"))])
    assert invoke("run", "--config", cfg).exit_code == 0
    assert rows(tmp_path / "monitor.db", "select count(*), max(version) from articles") == [(2, 1)]


# --- wordpress ----------------------------------------------------------------------------------

def test_wordpress_posts_are_read_page_by_page_and_stored(server, tmp_path):
    posts = json.loads((WORDPRESS / "headstartwp_fixtures" / "posts_posts.json").read_text(encoding="utf-8"))
    server.wordpress("/wp-json/wp/v2/posts", posts)
    cfg = write_config(tmp_path, [{"name": "10up", "kind": "wordpress", "url": server.url(""), "every": 0.01,
                                   "per_page": 4, "max_pages": 10}])
    db = tmp_path / "monitor.db"
    result = invoke("run", "--config", cfg)
    assert result.exit_code == 0, result.stderr
    hits = server.hits("/wp-json/wp/v2/posts")
    assert [r.query["page"] for r in hits] == ["1", "2", "3"]          # X-WP-TotalPages: 3, no page 4
    for request in hits:
        assert request.query["per_page"] == "4"
        assert request.query["orderby"] == "modified"
        assert "_embed" in request.query
        assert "application/json" in request.headers.get("accept", "")
    # three of the ten posts are an image and no text: nothing to store, an error line each
    texts = [p for p in posts if re.sub(r"<[^>]+>|\s", "", p["content"]["rendered"])]
    assert len(texts) == 7
    stored = rows(db, "select guid, url, format from articles order by id")
    assert sorted(g for g, _, _ in stored) == sorted(f"wp:js1.10up.com:{p['id']}" for p in texts)
    assert {u for _, u, _ in stored} == {p["link"] for p in texts}
    assert {f for _, _, f in stored} == {"wordpress"}

    second = invoke("run", "--config", cfg)
    assert second.exit_code == 0, second.stderr
    again = server.hits("/wp-json/wp/v2/posts")[len(hits):]
    newest = max(p["modified_gmt"] for p in posts)
    assert again and all(r.query.get("modified_after") == newest for r in again)
    assert rows(db, "select count(*) from articles") == [(len(texts),)]


def test_wordpress_400_past_the_last_page_ends_the_list(server, tmp_path):
    posts = json.loads((WORDPRESS / "wordpress-develop_qunit_fixture" / "PostsCollection.json")
                       .read_text(encoding="utf-8"))
    server.wordpress("/blog/wp-json/wp/v2/posts", posts, total_header=False)
    cfg = write_config(tmp_path, [{"name": "qunit", "kind": "wordpress", "url": server.url("/blog/wp-json/wp/v2/posts"),
                                   "every": 0.01, "per_page": 1, "max_pages": 5}])
    result = invoke("run", "--config", cfg)
    assert result.exit_code == 0, result.stderr
    assert [(r.query["page"], r.status) for r in server.hits("/blog/wp-json/wp/v2/posts")] == [("1", 200), ("2", 400)]
    assert rows(tmp_path / "monitor.db", "select guid, url from articles") == [("wp:example.org:4",
                                                                                 "http://example.org/?p=4")]


def test_a_wordpress_answer_that_is_not_a_list_of_posts_fails_its_source(server, tmp_path):
    server.route("/wp-json/wp/v2/posts", lambda h, q: h.send(200, b'{"code": "rest_no_route"}', "application/json"))
    cfg = write_config(tmp_path, [{"name": "odd", "kind": "wordpress", "url": server.url("/"), "every": 0.01}])
    result = invoke("run", "--config", cfg)
    assert result.exit_code == 1
    assert "error: odd: " in result.stderr and "expected a list of posts" in result.stderr


# --- linked pages -------------------------------------------------------------------------------

def _teaser_feed(server) -> tuple[str, str]:
    html, body = page_html()
    server.route("/articles/wework.html", lambda h, q: h.send(200, html, "text/html; charset=utf-8"))
    page = server.url("/articles/wework.html")
    server.document("/teasers.xml", rss([{"title": "New York attorney general investigating WeWork", "link": page,
                                          "guid": "teaser-1", "pubDate": "Mon, 18 Nov 2019 20:00:00 GMT",
                                          "description": "The state is looking into the company."}]))
    return page, body


def test_a_summary_only_item_gets_its_linked_page_fetched(server, tmp_path):
    page, body = _teaser_feed(server)
    cfg = write_config(tmp_path, [feed_source("teasers", server.url("/teasers.xml"), fetch_article=True)])
    result = invoke("run", "--config", cfg)
    assert result.exit_code == 0, result.stderr
    [hit] = server.hits("/articles/wework.html")
    assert "text/html" in hit.headers.get("accept", "")
    [(url, guid, text)] = rows(tmp_path / "monitor.db", "select url, guid, text from articles")
    # the page names its canonical URL, which the article keeps; the feed item's GUID comes along
    canonical = "https://venturebeat.com/2019/11/18/new-york-state-attorney-general-investigating-wework-and-former-ceo/"
    assert url in (page, canonical)
    assert guid == "teaser-1"
    assert len(text.split()) > 200, text[:300]
    words = body.split()
    assert " ".join(words[20:28]) in " ".join(text.split()), "the page's article text was not extracted"


def test_fetch_article_false_keeps_the_summary_and_fetches_no_page(server, tmp_path):
    _teaser_feed(server)
    cfg = write_config(tmp_path, [feed_source("teasers", server.url("/teasers.xml"), fetch_article=False)])
    assert invoke("run", "--config", cfg).exit_code == 0
    assert server.hits("/articles/wework.html") == []
    assert rows(tmp_path / "monitor.db", "select text from articles") == [("The state is looking into the company.",)]


def test_a_linked_page_that_fails_leaves_the_summary_and_a_warning_of_the_source(server, tmp_path):
    server.status("/articles/missing.html", 404)
    server.document("/teasers.xml", rss([{"title": "Teaser", "link": server.url("/articles/missing.html"),
                                          "guid": "t-2", "description": "Only a teaser about the vote count."}]))
    cfg = write_config(tmp_path, [feed_source("teasers", server.url("/teasers.xml"), fetch_article=True)])
    result = invoke("run", "--config", cfg)
    assert result.exit_code == 0, result.stderr
    # one warning of the source, its reason and host, no URL (issue 15, item 3; tests/test_linked_failures.py)
    assert "warning: teasers: 1 of 1 linked page not fetched (HTTP 404: 127.0.0.1); summaries stored" \
        in result.stderr and "missing.html" not in result.stderr
    assert rows(tmp_path / "monitor.db", "select text from articles") == [("Only a teaser about the vote count.",)]
    assert rows(tmp_path / "monitor.db", "select last_result from sources") == [("warning: 1 new",)]


def test_a_page_source_is_extracted_then_not_modified(server, tmp_path):
    html, body = page_html()
    server.document("/story.html", html, "text/html; charset=utf-8")
    cfg = write_config(tmp_path, [{"name": "story", "kind": "page", "url": server.url("/story.html"), "every": 0.01}])
    assert invoke("run", "--config", cfg).exit_code == 0
    [(text,)] = rows(tmp_path / "monitor.db", "select text from articles")
    assert " ".join(body.split()[20:28]) in " ".join(text.split())
    assert invoke("run", "--config", cfg).exit_code == 0
    last = server.hits("/story.html")[-1]
    assert last.status == 304 and last.headers.get("if-none-match")
    assert rows(tmp_path / "monitor.db", "select count(*) from articles") == [(1,)]


def test_run_sends_the_configured_user_agent(server, tmp_path):
    cfg = write_config(tmp_path, [feed_source("bbc", server.url(BBC))], fetch={"user_agent": "newsroom-bot/2"})
    assert invoke("run", "--config", cfg).exit_code == 0
    assert server.requests[0].headers["user-agent"] == "newsroom-bot/2"


# --- safety of the XML parse --------------------------------------------------------------------

def test_feed_xml_resolves_no_external_entity_and_fetches_no_dtd(server, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-CONTENT-42", encoding="utf-8")
    body = f"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY file SYSTEM "file://{secret}">
  <!ENTITY remote SYSTEM "{server.url('/xxe-entity')}">
  <!ENTITY % dtd SYSTEM "{server.url('/xxe.dtd')}">
  %dtd;
]>
<rss version="2.0"><channel><title>x</title><link>http://example.org/</link><description>d</description>
<item><title>Ferry</title><link>http://example.org/ferry</link><guid>ferry</guid>
<description>Officials said the ferry was delayed by storms. &file; &remote;</description></item>
</channel></rss>""".encode()
    server.document("/xxe.xml", body)
    cfg = write_config(tmp_path, [feed_source("xxe", server.url("/xxe.xml"))])
    result = invoke("run", "--config", cfg)
    assert [r.path for r in server.requests] == ["/xxe.xml"], "the parser fetched an external entity or DTD"
    texts = rows(tmp_path / "monitor.db", "select text from articles")
    assert all("TOPSECRET" not in t for t, in texts)
    assert "TOPSECRET" not in result.stderr + result.stdout


# --- files sources and the bundled example ------------------------------------------------------

def test_a_files_source_ingests_new_and_changed_files_only(tmp_path, seed_files):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for path in seed_files[:2]:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / ".hidden.txt").write_text("The ministry said 5 people were hurt.", encoding="utf-8")
    (folder / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    cfg = write_config(tmp_path, [{"name": "inbox", "kind": "files", "path": str(folder), "every": 0.01}])
    db = tmp_path / "monitor.db"
    assert invoke("run", "--config", cfg).exit_code == 0
    assert rows(db, "select count(*) from articles") == [(2,)]
    assert invoke("run", "--config", cfg).exit_code == 0
    assert rows(db, "select count(*) from articles") == [(2,)]
    (folder / seed_files[2].name).write_bytes(seed_files[2].read_bytes())
    result = invoke("run", "-v", "--config", cfg)
    assert result.exit_code == 0 and "1 article(s) added" in result.stderr
    assert rows(db, "select count(*) from articles") == [(3,)]


def test_the_bundled_example_config_runs_with_no_network(tmp_path):
    root = Path(__file__).resolve().parents[1]
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "monitor.toml").write_bytes((root / "config" / "monitor.toml").read_bytes())
    (tmp_path / "fixtures").symlink_to(root / "fixtures")
    config = config_module.load(tmp_path / "config" / "monitor.toml")
    assert not config.fetch.allow_private
    assert {s.kind for s in config.sources} == {"files"}, "the example must need no network"
    result = invoke("run", "--config", tmp_path / "config" / "monitor.toml")
    assert result.exit_code == 0, result.stderr
    assert rows(tmp_path / "monitor.db", "select count(*) from articles")[0][0] == 5
    status = invoke("status", "--config", tmp_path / "config" / "monitor.toml")
    assert status.exit_code == 0 and "files" in status.stdout
