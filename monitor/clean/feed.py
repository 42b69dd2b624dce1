"""RSS 0.9x/1.0/2.0, Atom, RDF and JSON Feed files: each item is one article."""
from __future__ import annotations

import feedparser

from ..errors import InputError
from ..records import Article, Document
from .dates import iso_date
from .fragment import blocks_from_html, plain
from .text import tidy


# Items read from one feed file: real feeds carry 10-100; a 50,000-item file is cut here.
MAX_ITEMS = 1000


def parse(document: Document, body: bytes) -> list[Article]:
    parsed = feedparser.parse(body, sanitize_html=True, resolve_relative_uris=False)
    if not parsed.entries:
        reason = parsed.get("bozo_exception") or "no items"
        raise InputError(document.origin, f"not a usable feed: {reason}")
    if len(parsed.entries) > MAX_ITEMS:
        parsed.entries = parsed.entries[:MAX_ITEMS]
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
        url=entry.get("link") or document.url,
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
