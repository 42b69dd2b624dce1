"""Clean stage: raw bytes of any supported format -> Articles with text and metadata.

Public entry point: `clean(document) -> list[Article]`. The format is detected from the
content, never from the file name. Bad input raises InputError naming the origin.
"""
from __future__ import annotations

from ..errors import InputError
from ..records import Article, Document
import importlib
from dataclasses import replace

from . import detect

# kind string -> "module:function"; urlwatch-style registry so a new format is one entry.
# Parsers load on first use: feedparser, trafilatura and BeautifulSoup take a second to
# import, which a cron call that only reads text files should not pay.
PARSERS = {
    "wordpress": "wordpress:parse",
    "feed": "feed:parse",
    "html": "html:parse",
    "markdown": "text:parse_markdown",
    "text": "text:parse_text",
}


def parser(kind: str):
    module, function = PARSERS[kind].split(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), function)


def clean(document: Document) -> list[Article]:
    """The articles in `document`: one for a page or post, one per item for a feed."""
    kind, payload = detect.sniff(document)
    articles = [_hinted(a, document.hints) for a in parser(kind)(document, payload) if a.text.strip()]
    if not articles:
        raise InputError(document.origin, f"no article text found in this {kind} input")
    return articles


def _hinted(article: Article, hints: dict) -> Article:
    """A page fetched for a feed item keeps the item's GUID, and its title and date if the
    page itself does not say."""
    if not hints:
        return article
    return replace(article, guid=article.guid or hints.get("guid"), title=article.title or hints.get("title"),
                   published=article.published or hints.get("published"))


__all__ = ["clean", "PARSERS"]
