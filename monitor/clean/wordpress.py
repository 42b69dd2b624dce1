"""WordPress REST API posts (/wp-json/wp/v2/posts/ID, or a list of them)."""
from __future__ import annotations

from ..records import Article, Document
from .dates import iso_date
from .fragment import blocks_from_html, plain
from .text import tidy


def parse(document: Document, posts: list[dict]) -> list[Article]:
    return [_post(document, post) for post in posts]


def _post(document: Document, post: dict) -> Article:
    title = plain(_rendered(post.get("title")))
    blocks = blocks_from_html(_rendered(post.get("content")) or "")
    guid = _rendered(post.get("guid")) or (str(post["id"]) if "id" in post else None)
    return Article(
        origin=document.origin,
        text=tidy(blocks, title),
        title=title,
        url=post.get("link") or document.url,
        published=iso_date(post.get("date_gmt") or post.get("date")),
        format="wordpress",
        guid=f"wp:{post['id']}" if "id" in post else guid,
    )


def _rendered(value) -> str | None:
    if isinstance(value, dict):
        value = value.get("rendered")
    return value if isinstance(value, str) else None
