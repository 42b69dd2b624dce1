"""`feed` sources: RSS 0.9x/1.0/2.0, Atom, RDF, JSON Feed.

The feed is read with feedparser (which never fetches DTDs or external entities: it is given
bytes, not a URL). An item that carries only a summary gets its linked page fetched and
extracted, unless the source says `fetch_article = false`. A feed feedparser recovers from
is read with a warning; an HTML page, an empty body or a non-feed is an error.
"""
from __future__ import annotations

import re

from ..clean.feed import read_feed
from ..records import Document
from . import Batch
from .http import Client, FetchError

ACCEPT_FEED = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5"
# An item whose longest text is under this many words is a teaser, not the article:
# real full-text items run to hundreds of words, teasers to one or two sentences.
SUMMARY_WORDS = 80
# Linked pages fetched per pass and feed: a feed of 50 teasers should not become 50
# requests to one site every 15 minutes; the rest wait for the next pass.
MAX_PAGES_PER_PASS = 20
# Linked pages remembered per feed, so a teaser's page is fetched once: a feed keeps its
# last 10-100 items, so 2,000 covers weeks of them.
REMEMBERED_PAGES = 2000


def fetch(source, state: dict, client: Client) -> Batch:
    response = client.get(source.url, state.get("etag"), state.get("last_modified"), ACCEPT_FEED)
    if response.not_modified:
        return Batch(state=state, not_modified=True)
    parsed = _parse(source.url, response.body)
    batch = Batch(state={"etag": response.etag, "last_modified": response.last_modified})
    if parsed.bozo:
        batch.warnings.append(f"{source.url}: malformed feed read anyway ({parsed.bozo_exception})")
    teasers = [e for e in parsed.entries if source.fetch_article and e.get("link") and _words(e) < SUMMARY_WORDS]
    done = set(state.get("pages", []))           # linked pages fetched on earlier passes: not again
    fresh = [e for e in teasers if e.get("link") not in done][:MAX_PAGES_PER_PASS]
    fetched = [entry.get("link") for entry in fresh if _page(entry, client, batch)]
    # A teaser whose page was fetched, now or before, is not stored as an article of its own.
    skip = fetched + [e.get("link") for e in teasers if e.get("link") in done]
    batch.state["pages"] = (state.get("pages", []) + fetched)[-REMEMBERED_PAGES:]
    if parsed.entries:                            # an empty feed is fine: nothing to store
        batch.documents.insert(0, Document(origin=response.url, body=response.body, url=response.url,
                                           media_type=response.content_type, hints={"skip": skip}))
    return batch


def _parse(url: str, body: bytes):
    if not body.strip():
        raise FetchError(f"{url}: empty body where a feed was expected")
    head = body[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        raise FetchError(f"{url}: an HTML page, not a feed")
    parsed = read_feed(body)
    if not parsed.entries and (parsed.bozo or not parsed.version):
        raise FetchError(f"{url}: not a readable feed ({parsed.bozo_exception or 'no feed elements'})")
    return parsed


def _words(entry) -> int:
    texts = [c.get("value", "") for c in entry.get("content", [])] + [entry.get("summary", "")]
    return max(len(re.sub(r"<[^>]+>", " ", t).split()) for t in texts)


def _page(entry, client: Client, batch: Batch) -> bool:
    """Fetch the page an item links to; an item whose page fails stays a teaser."""
    link = entry.get("link")
    try:
        response = client.get(link, accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
    except FetchError as exc:
        batch.errors.append(f"{link}: linked page not fetched: {exc}")
        return False
    hints = {"guid": entry.get("id"), "title": entry.get("title"), "published": entry.get("published")}
    batch.documents.append(Document(origin=response.url, body=response.body, url=response.url,
                                    media_type=response.content_type, hints=hints))
    return True
