"""Whole HTML pages: trafilatura finds the article; our tidy pass removes what it leaves."""
from __future__ import annotations

import trafilatura

from ..records import Article, Document
from .dates import iso_date
from .fragment import blocks_from_html
from .text import Block, tidy


# The largest page read: real article pages are under 2 MB (the biggest of the 181 benchmark
# pages is 1.4 MB); trafilatura takes about 3 s on 5 MB and grows linearly. A larger page is
# cut here (lxml reads a cut document), after the fetcher's own cap ([fetch] max_bytes).
MAX_PAGE_BYTES = 5 * 1024 * 1024


def parse(document: Document, body: bytes) -> list[Article]:
    body = body[:MAX_PAGE_BYTES]
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
