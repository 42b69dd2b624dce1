"""OPML, the feed readers' exchange format: `monitor sources import-opml` and `export-opml`.

Read with lxml with entities, DTDs and the network off: an OPML file from anywhere cannot
read local files through an external entity, fetch a URL or expand an entity bomb. Every
<outline> with an xmlUrl is a feed, however deep in folders it sits; its name is its
title, else its text, else the URL's host (names are made unique, as the config requires).
Writing emits OPML 2.0 with one outline per feed source.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from . import Config, ConfigError

# An OPML file larger than this is not a subscription list: Feedly's and Inoreader's
# exports of a thousand feeds are about 200 KB.
OPML_MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Feed:
    name: str
    url: str


def read(path: str | Path) -> list[Feed]:
    file = Path(path)
    try:
        raw = file.read_bytes() if file.stat().st_size <= OPML_MAX_BYTES else None
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read: {(exc.strerror or str(exc)).lower()}") from exc
    if raw is None:
        raise ConfigError(f"{file}: over {OPML_MAX_BYTES:,} bytes, too large for an OPML file")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        raise ConfigError(f"{file}: not valid OPML (XML): {exc}") from exc
    if root.tag != "opml":
        raise ConfigError(f"{file}: not OPML: its root element is <{root.tag}>, not <opml>")
    feeds = []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or "").strip()
        if url:
            name = (outline.get("title") or outline.get("text") or "").strip() or urlsplit(url).hostname or url
            feeds.append(Feed(" ".join(name.split()), url))
    return feeds


def write(config: Config, title: str = "monitor sources") -> tuple[str, int]:
    """OPML 2.0 of the config's feed sources, and how many other sources were left out."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = format_datetime(dt.datetime.now(dt.timezone.utc))
    body = etree.SubElement(root, "body")
    feeds = [s for s in config.sources if s.kind == "feed"]
    for source in feeds:
        etree.SubElement(body, "outline", type="rss", text=source.name, title=source.name, xmlUrl=source.url)
    text = etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8").decode("utf-8")
    return text, len(config.sources) - len(feeds)
