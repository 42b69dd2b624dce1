"""RSS 0.9x/1.0/2.0, Atom, RDF and JSON Feed files: each item is one article.

XML feeds are read by feedparser, from bytes (it resolves no external entity and fetches
no DTD). JSON Feed (jsonfeed.org), which feedparser does not read, is mapped here onto the
same entry fields: it is a plain JSON document with a documented item shape.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

import feedparser

from ..errors import InputError
from ..records import Article, Document
from .dates import iso_date
from .fragment import blocks_from_html, plain
from .text import tidy


# Items read from one feed file: real feeds carry 10-100; a 50,000-item file is cut here,
# before feedparser reads it (it takes about 16 s on 50,000 small items; 0.3 s on 1,000).
MAX_ITEMS = 1000
ITEM_START = re.compile(rb"<(?:\w+:)?(?:item|entry)[\s>/]")


@dataclass
class Feed:
    version: str
    entries: list
    bozo: bool = False
    bozo_exception: object = None


def read_feed(body: bytes) -> Feed:
    """The feed's entries, from XML (feedparser) or JSON Feed."""
    if body.lstrip()[:1] == b"{":
        return _json_feed(body)
    parsed = feedparser.parse(_first_items(body), sanitize_html=True, resolve_relative_uris=False)
    return Feed(parsed.get("version", ""), list(parsed.entries[:MAX_ITEMS]), bool(parsed.bozo),
                parsed.get("bozo_exception"))


def _first_items(body: bytes) -> bytes:
    """The feed cut just before its (MAX_ITEMS + 1)th item; feedparser reads the cut document
    as malformed but keeps every item before the cut."""
    for n, match in enumerate(ITEM_START.finditer(body)):
        if n == MAX_ITEMS:
            return body[:match.start()]
    return body


def _json_feed(body: bytes) -> Feed:
    try:
        data = json.loads(body.decode("utf-8-sig", errors="replace"))
    except ValueError as exc:
        return Feed("", [], True, exc)
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith("https://jsonfeed.org"):
        return Feed("", [], True, "JSON that is not a JSON Feed")
    items = [i for i in data.get("items", []) if isinstance(i, dict)][:MAX_ITEMS]
    return Feed("json", [_json_item(i) for i in items])


def _json_item(item: dict) -> dict:
    html = item.get("content_html") or ""
    text = item.get("content_text") or ""
    return {"id": str(item.get("id") or item.get("url") or ""), "link": item.get("url") or item.get("external_url"),
            "title": item.get("title"), "summary": item.get("summary") or "",
            "content": [{"value": html or text.replace("\n\n", "</p><p>")}] if html or text else [],
            "published": item.get("date_published") or item.get("date_modified")}


def parse(document: Document, body: bytes) -> list[Article]:
    parsed = read_feed(body)
    if not parsed.entries:
        reason = parsed.bozo_exception or "no items"
        raise InputError(document.origin, f"not a usable feed: {reason}")
    skip = set(document.hints.get("skip", ()))
    return [_entry(document, entry) for entry in parsed.entries
            if not skip & {entry.get("link"), entry.get("id")}]


def _entry(document: Document, entry) -> Article:
    title = plain(entry.get("title"))
    html = _longest_content(entry)
    return Article(
        origin=document.origin,
        text=tidy(blocks_from_html(html), title),
        title=title,
        url=entry.get("link"),          # never the feed's own URL: items would merge
        published=iso_date(entry.get("published_parsed") or entry.get("updated_parsed")
                           or entry.get("published") or entry.get("updated")),
        format="feed",
        guid=entry.get("id") or entry.get("link"),
    )


def _longest_content(entry) -> str:
    """Full content when the item carries it, else the summary."""
    candidates = [c.get("value", "") for c in entry.get("content", [])]
    candidates.append(entry.get("summary", ""))
    return max(candidates, key=len) or ""
