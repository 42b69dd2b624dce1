"""WordPress REST API posts (/wp-json/wp/v2/posts/ID, or a list of them)."""
from __future__ import annotations

from urllib.parse import urlparse

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
        guid=_post_id(post) or guid,
    )


def _post_id(post: dict) -> str | None:
    """'wp:site.example:9325': a post id is unique within its site only."""
    if "id" not in post:
        return None
    host = urlparse(post.get("link") or "").hostname or "?"
    return f"wp:{host}:{post['id']}"


def _rendered(value) -> str | None:
    if isinstance(value, dict):
        value = value.get("rendered")
    return value if isinstance(value, str) else None
