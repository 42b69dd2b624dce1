"""`feed` sources: RSS 0.9x/1.0/2.0, Atom, RDF, JSON Feed.

The fetch phase only needs to know that the body is a feed and which items are teasers
(their linked page is fetched, unless the source says `fetch_article = false`); the clean
stage reads the items with feedparser. So an XML feed is first scanned with lxml, in C:
feedparser's full parse in this phase made a first pass over 1,000 feeds no faster than
reading them one by one (`python -m bench`: 19.7 s against 24.5 s; 90% of it in feedparser).
A feed lxml cannot scan (JSON Feed, broken beyond its recovery, an odd encoding) takes the
old path through feedparser. Neither fetches a DTD or resolves an external entity. A feed
read despite errors is read with a warning; an HTML page, an empty body or a non-feed is an
error for its source. Stray NUL bytes are dropped first, as the clean stage drops them. A
feed that answers 200 with no item saves no validators at all (neither this answer's nor
the last pass's: the scheduler drops them, schedule._no_article), with a warning: the next
pass fetches it in full rather than trusting an empty answer. Linked pages that fail are one
warning of their feed, counted by reason and host (`_not_fetched`), not an error per page:
their items' summaries are stored instead, so the source was read.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from ..clean.detect import without_stray_nuls
from ..clean.feed import read_feed
from ..records import Document
from . import Batch
from .http import BudgetSpent, Client, FetchError, PagesBudgetSpent, reason_of

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
    body = without_stray_nuls(response.body)
    parsed = _parse(source.url, body, detail=source.fetch_article)
    if not parsed.entries:
        return _no_item(source, state)
    batch = Batch(state={"etag": response.etag, "last_modified": response.last_modified})
    if parsed.bozo:
        batch.warnings.append(f"{source.url}: malformed feed read anyway ({parsed.bozo_exception})")
    teasers = [e for e in parsed.entries if source.fetch_article and e.get("link") and _words(e) < SUMMARY_WORDS]
    done = set(state.get("pages", []))           # linked pages fetched on earlier passes: not again
    fresh = [e for e in teasers if e.get("link") not in done][:MAX_PAGES_PER_PASS]
    fetched = _pages(source, fresh, client, batch)
    # A teaser whose page was fetched, now or before, is not stored as an article of its own.
    skip = fetched + [e.get("link") for e in teasers if e.get("link") in done]
    batch.state["pages"] = (state.get("pages", []) + fetched)[-REMEMBERED_PAGES:]
    # Every item a teaser whose page is stored: the feed itself holds nothing new, and the
    # scheduler must not take the clean stage's "no article" for it as a failure.
    skipped = set(skip)
    only_skipped = all(e.get("link") in skipped for e in parsed.entries)
    batch.documents.insert(0, Document(origin=response.url, body=body, url=response.url,
                                       media_type=response.content_type,
                                       hints={"skip": skip, "only_skipped": only_skipped}))
    return batch


def _no_item(source, state: dict) -> Batch:
    """A 200 feed without an item (a feed that cannot be read at all is a FetchError in
    _parse): nothing to store. The batch carries the state of the last pass (its list of
    pages read), not this answer's validators; the scheduler then saves it without any
    validators (schedule._no_article, for every feed or page that gave no document), so
    the next pass asks for the feed unconditionally instead of being told "not modified"
    about an answer that held nothing."""
    return Batch(state=dict(state), warnings=[
        f"{source.name}: {source.url}: a well-formed feed with no item; its validators are not kept, "
        f"so the next pass fetches it in full"])


@dataclass
class Scan:
    """What the fetch phase needs of a feed: its items' links, ids, titles, dates and lengths."""

    entries: list[dict] = field(default_factory=list)
    bozo: bool = False
    bozo_exception: object = None


FEED_ROOTS = {"rss", "feed", "rdf"}
ITEMS = {"item", "entry"}
TEXTS = {"description", "summary", "content", "encoded"}


def _scan(body: bytes, detail: bool = True) -> Scan | None:
    """The feed's items by lxml (recovering from errors, no DTD, no entity, no network), or
    None when this is not an XML feed with items that lxml can read. Without `detail` (no
    teaser will be fetched) the items are counted, not read."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, load_dtd=False,
                             remove_comments=True, remove_pis=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root is None or not isinstance(root.tag, str) or _local(root.tag).lower() not in FEED_ROOTS:
        return None
    items = (el for el in root.iter() if isinstance(el.tag, str) and _local(el.tag) in ITEMS)
    entries = [_item(el) for el in items] if detail else [{} for _ in items]
    if not entries:
        return None
    errors = [e for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR]
    return Scan(entries, bool(errors), errors[0].message if errors else None)


def _local(tag: str) -> str:
    """'{http://www.w3.org/2005/Atom}entry' or 'content:encoded' -> 'entry', 'encoded' (a
    recovered document can hold prefixes it never declared)."""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _item(element) -> dict:
    out, words = {}, 0
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = _local(child.tag)
        text = " ".join(child.itertext()).strip()
        if name == "link" and "link" not in out and child.get("rel", "alternate") == "alternate":
            out["link"] = (child.get("href") or text).strip() or None
        elif name in ("guid", "id"):
            out["id"] = text or None
            if name == "guid" and child.get("isPermaLink", "true") != "false" and text.startswith("http"):
                out.setdefault("permalink", text)
        elif name == "title":
            out["title"] = text
        elif name in ("pubDate", "published", "updated", "date") and "published" not in out:
            out["published"] = text
        elif name in TEXTS:
            words = max(words, len(re.sub(r"<[^>]+>", " ", text).split()))
    out.setdefault("link", out.pop("permalink", None))
    out.pop("permalink", None)
    out["words"] = words
    return out


def _parse(url: str, body: bytes, detail: bool = True):
    if not body.strip():
        raise FetchError(f"{url}: empty body where a feed was expected")
    head = body[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        raise FetchError(f"{url}: an HTML page, not a feed")
    scanned = _scan(body, detail)
    if scanned is not None:
        return scanned
    parsed = read_feed(body)
    if not parsed.entries and (parsed.bozo or not parsed.version):
        raise FetchError(f"{url}: not a readable feed ({parsed.bozo_exception or 'no feed elements'})")
    return parsed


def _words(entry) -> int:
    if "words" in entry:                        # scanned by lxml
        return entry["words"]
    texts = [c.get("value", "") for c in entry.get("content", [])] + [entry.get("summary", "")]
    return max(len(re.sub(r"<[^>]+>", " ", t).split()) for t in texts)


def _pages(source, entries: list, client: Client, batch: Batch) -> list[str]:
    """Fetch the pages the teasers link to, until a budget (schedule's Gate) refuses one: the
    rest are not asked for, and one warning stands for them all. The pages that fail are one
    warning of the source too (`_not_fetched`), not an error per page: their items' summaries
    are stored in their place (the feed's items not in `skip`), so the source was read. The
    links fetched."""
    fetched, failed = [], []
    for n, entry in enumerate(entries):
        try:
            _page(entry, client, batch)
        except (BudgetSpent, PagesBudgetSpent) as exc:
            batch.warnings.append(f"{source.name}: {len(entries) - n} linked page(s) not fetched: {exc.reason}; "
                                  f"their summaries are kept, the pages are asked for when the feed next changes")
            break
        except FetchError as exc:
            failed.append((entry.get("link"), exc))
        else:
            fetched.append(entry.get("link"))
    if failed:
        batch.warnings.append(_not_fetched(source.name, failed, len(fetched) + len(failed)))
    return fetched


# Reasons, and hosts per reason, that a linked-page warning names: one line for `status`
# (which shows its first 60 characters) and one digest bullet; the rest are counted.
SHOWN = 3


def _not_fetched(name: str, failed: list, asked: int) -> str:
    """One line for the linked pages of a feed that failed in a pass, counted by reason and
    host, each URL left out: "reuters: 20 of 30 linked pages not fetched (cannot resolve
    host: news.example.org); summaries stored"."""
    hosts: dict[str, Counter] = defaultdict(Counter)          # reason -> host -> pages
    for link, exc in failed:
        hosts[reason_of(exc)][_host(exc.url or link)] += 1      # where it failed, after redirects
    ranked = sorted(hosts.items(), key=lambda item: -item[1].total())
    counted = len(ranked) > 1                                   # one reason: the line's count is its own
    parts = [f"{f'{counts.total()} ' if counted else ''}{reason}: {_listed(list(counts))}"
             for reason, counts in ranked[:SHOWN]]
    if len(ranked) > SHOWN:
        parts.append(f"{sum(c.total() for _, c in ranked[SHOWN:])} for {len(ranked) - SHOWN} other reason(s)")
    return (f"{name}: {len(failed)} of {asked} linked page{'s' * (asked != 1)} not fetched "
            f"({'; '.join(parts)}); summaries stored")


def _listed(hosts: list[str]) -> str:
    more = f" and {len(hosts) - SHOWN} other host(s)" if len(hosts) > SHOWN else ""
    return ", ".join(hosts[:SHOWN]) + more


def _host(link: str) -> str:
    try:
        return urlsplit(link).hostname or link
    except ValueError:                      # "http://[::1/p": an unclosed IPv6 bracket
        return link


def _page(entry, client: Client, batch: Batch) -> None:
    """Fetch the page an item links to, as a document of the batch; a FetchError (a budget's
    refusal too) goes up to `_pages`: the item then stays a teaser."""
    link = entry.get("link")
    response = client.get(link, accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
    hints = {"guid": entry.get("id"), "title": entry.get("title"), "published": entry.get("published")}
    batch.documents.append(Document(origin=response.url, body=response.body, url=response.url,
                                    media_type=response.content_type, hints=hints))
