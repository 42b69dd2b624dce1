"""Clean stage: raw bytes of any supported format -> Articles with text and metadata.

Public entry point: `clean(document) -> list[Article]`. The format is detected from the
content, never from the file name. Bad input raises InputError naming the origin.
"""
from __future__ import annotations

from ..errors import InputError
from ..records import Article, Document
from . import detect, feed, html, text, wordpress

# kind string -> parser; urlwatch-style registry so a new format is one entry.
PARSERS = {
    "wordpress": wordpress.parse,
    "feed": feed.parse,
    "html": html.parse,
    "markdown": text.parse_markdown,
    "text": text.parse_text,
}


def clean(document: Document) -> list[Article]:
    """The articles in `document`: one for a page or post, one per item for a feed."""
    kind, payload = detect.sniff(document)
    articles = [a for a in PARSERS[kind](document, payload) if a.text.strip()]
    if not articles:
        raise InputError(document.origin, f"no article text found in this {kind} input")
    return articles


__all__ = ["clean", "PARSERS"]
