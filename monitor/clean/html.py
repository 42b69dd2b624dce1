"""Whole HTML pages: trafilatura finds the article; our tidy pass removes what it leaves."""
from __future__ import annotations

import trafilatura

from ..records import Article, Document
from .dates import iso_date
from .fragment import blocks_from_html
from .text import Block, tidy


def parse(document: Document, body: bytes) -> list[Article]:
    extracted = trafilatura.bare_extraction(
        body, url=document.url, with_metadata=True, include_comments=False,
        include_tables=False, include_images=False, deduplicate=False)
    if extracted is None or not (extracted.text or "").strip():
        blocks = blocks_from_html(body.decode("utf-8", errors="replace"))
        title, date, url = None, None, document.url
    else:
        blocks = [Block(" ".join(line.split())) for line in extracted.text.split("\n") if line.strip()]
        title, date, url = extracted.title, extracted.date, extracted.url or document.url
    return [Article(origin=document.origin, text=tidy(blocks, title), title=title,
                    url=url, published=iso_date(date), format="html")]
