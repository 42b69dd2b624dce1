"""Tell what a document is from its bytes: WordPress JSON, feed, HTML, Markdown or text."""
from __future__ import annotations

import json
import re
from dataclasses import replace

from ..errors import InputError
from ..records import Document

# Share of control bytes above which an input is binary, not text. Text files in the
# wild carry a few stray control characters (form feeds, NULs from bad exports); 5%
# never occurs in the 2,000+ text fixtures we read, while images and archives exceed it.
BINARY_CONTROL_SHARE = 0.05
SNIFF_BYTES = 4096
FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF|RDF)[\s>]", re.I)
HTML_ROOT = re.compile(rb"<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.I)
HTML_BLOCKS = re.compile(rb"<(p|div|article|h[1-6]|br)[\s/>]", re.I)
# JSON opens with an object or an array of values; Markdown may open with "[a link](#)".
JSON_START = re.compile(rb'^(?:\{\s*(?:"|\})|\[\s*(?:[\[{"\]\d-]|true|false|null))')
MARKDOWN_MARKS = re.compile(r"^(#{1,6}\s|---\s*$|[-*]\s|>\s)|\]\([^)]*\)", re.M)


# UTF-32 and UTF-16 told by their byte order mark, or by how "<" or "<?" is written when
# there is none (XML 1.0, appendix F). Longest first: a UTF-32-LE mark starts like UTF-16-LE's.
WIDE = [(b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\xfe\xff", "utf-16-be"),
        (b"\xff\xfe", "utf-16-le"), (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
        (b"\x00<\x00?", "utf-16-be"), (b"<\x00?\x00", "utf-16-le")]
XML_ENCODING = re.compile(r"""^(<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")


def sniff(document: Document) -> tuple[str, object]:
    """(kind, payload): payload is parsed JSON for JSON kinds, decoded text otherwise."""
    document = _narrow(document)
    if b"\x00" in document.body:
        document = replace(document, body=without_stray_nuls(document.body))
    body = document.body
    if not body.strip():
        raise InputError(document.origin, "empty input")
    _refuse_binary(document)
    head = body[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    if JSON_START.match(head):
        return _json_kind(document)
    if FEED_ROOT.search(head) and not HTML_ROOT.search(head[:512]):
        return "feed", body
    if HTML_ROOT.search(head) or len(HTML_BLOCKS.findall(body[:SNIFF_BYTES * 4])) >= 3:
        return "html", body
    text = decode(body)
    return ("markdown" if len(MARKDOWN_MARKS.findall(text)) >= 3 else "text"), text


def _narrow(document: Document) -> Document:
    """A UTF-16 or UTF-32 document as UTF-8, its XML declaration saying so: every later step
    (sniffing, feedparser, trafilatura) then reads one encoding."""
    codec = next((name for mark, name in WIDE if document.body.startswith(mark)), None)
    if codec is None:
        return document
    try:
        text = document.body.decode(codec).lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise InputError(document.origin, f"broken {codec.upper()}: {exc.reason}") from exc
    text = XML_ENCODING.sub(lambda m: f"{m.group(1)}{m.group(2)}utf-8{m.group(2)}", text, count=1)
    return replace(document, body=text.encode("utf-8"))


def without_stray_nuls(body: bytes) -> bytes:
    """The body without its NUL bytes when they are stray: a few in a text, left by a bad
    export or a broken CMS (XML parsers and the binary check below would drop the whole
    document for one). Many NULs (binary, or UTF-16/32 without a mark) are left as they are."""
    if b"\x00" not in body or any(body.startswith(mark) for mark, _ in WIDE):
        return body
    sample = body[:SNIFF_BYTES]
    if sample.count(0) > BINARY_CONTROL_SHARE * len(sample):
        return body
    return body.replace(b"\x00", b"")


def decode(body: bytes) -> str:
    """Text from bytes: UTF-8 (with or without BOM), else Windows-1252, which accepts any byte."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


def _refuse_binary(document: Document) -> None:
    sample = document.body[:SNIFF_BYTES]
    if b"\x00" in sample[:1024] and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(document.origin, "binary input (NUL bytes), not an article")
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if controls > BINARY_CONTROL_SHARE * len(sample):
        raise InputError(document.origin, "binary input (control bytes), not an article")


def _json_kind(document: Document) -> tuple[str, object]:
    try:
        data = json.loads(decode(document.body))
    except json.JSONDecodeError as exc:
        raise InputError(document.origin, f"broken JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    except RecursionError as exc:
        raise InputError(document.origin, "JSON nested too deeply to be an article") from exc
    if isinstance(data, dict) and str(data.get("version", "")).startswith("https://jsonfeed.org"):
        return "feed", document.body
    posts = data if isinstance(data, list) else [data]
    if posts and all(isinstance(p, dict) and _is_wp_post(p) for p in posts):
        return "wordpress", posts
    raise InputError(document.origin, "not an article: JSON that is neither a WordPress post nor a JSON Feed")


def _is_wp_post(post: dict) -> bool:
    content = post.get("content")
    return isinstance(content, dict) and "rendered" in content
