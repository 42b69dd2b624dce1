"""Clean stage: raw bytes of any supported format -> Articles with text and metadata.

Public entry point: `clean(document) -> list[Article]`. The format is detected from the
content, never from the file name. Bad input raises InputError naming the origin.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import replace

from ..errors import InputError
from ..records import Article, Document
from . import detect

# Characters no article field keeps: C0/C1 controls but tab and newline, lone surrogates
# (what a mis-decoded byte can become, and what SQLite cannot store as UTF-8), and the
# non-characters U+FFFE/U+FFFF. A NUL or a bell in a title is debris, never content.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# Longest article text kept, in characters. The longest real article in every corpus the
# project reads (the stories, the extraction benchmark's pages, 1,776 saved feed items) is
# 53,232 characters; ten times that bounds what one hostile item costs the claim stage, which
# is linear but not free (tens of microseconds a character on number-dense text), while the
# store lock is held. Text past it is cut at a paragraph break and the rest is read.
MAX_TEXT_CHARS = 500_000

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
    # Scrubbed before the emptiness test: a text of control bytes alone is empty, not an article.
    articles = [a for a in (_capped(_scrub(_hinted(a, document.hints))) for a in parser(kind)(document, payload))
                if a.text.strip()]
    if not articles and not document.hints.get("only_skipped"):
        raise InputError(document.origin, f"no article text found in this {kind} input")
    return articles           # none, without an error, for a feed whose items were all read before


def _scrub(article: Article) -> Article:
    """Every text field as valid, printable UTF-8 (newlines and tabs kept in the text)."""
    fields = {name: UNSAFE.sub(" " if name == "text" else "", value) for name in ("text", "title", "url", "guid")
              if isinstance(value := getattr(article, name), str) and UNSAFE.search(value)}
    if "title" in fields:
        fields["title"] = " ".join(fields["title"].split()) or None
    return replace(article, **fields) if fields else article


def _capped(article: Article) -> Article:
    """The article with its text cut to MAX_TEXT_CHARS, at the last paragraph break before it
    (or the last space, for one giant paragraph)."""
    if len(article.text) <= MAX_TEXT_CHARS:
        return article
    head = article.text[:MAX_TEXT_CHARS]
    cut = head.rfind("\n")
    if cut < MAX_TEXT_CHARS // 2:
        cut = head.rfind(" ")
    return replace(article, text=head[:cut if cut > 0 else MAX_TEXT_CHARS])


def _hinted(article: Article, hints: dict) -> Article:
    """A page fetched for a feed item keeps the item's GUID, and its title and date if the
    page itself does not say."""
    if not hints:
        return article
    return replace(article, guid=article.guid or hints.get("guid"), title=article.title or hints.get("title"),
                   published=article.published or hints.get("published"))


from .ahead import clean_each  # noqa: E402 - after clean, which it runs

__all__ = ["clean", "clean_each", "PARSERS"]
