"""HTML fragments (a WordPress post body, a feed item's content) to text blocks.

A fragment is already the article body, so boilerplate detection would only lose text:
we walk its block elements with BeautifulSoup instead of running an extractor on it.
"""
from __future__ import annotations

import html as htmllib
import warnings

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

from .text import Block

# Feed items whose content is XHTML (or XML wrongly labelled HTML) are still read as HTML on
# purpose: their text is what we want, and the warning would only reach a cron mailbox.
warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)

BLOCK_TAGS = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "dd", "dt"]
DROP_TAGS = ["script", "style", "noscript", "iframe", "figure", "figcaption", "form", "button", "svg", "nav", "aside"]


def blocks_from_html(fragment: str) -> list[Block]:
    soup = BeautifulSoup(fragment or "", "html.parser")
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    blocks = []
    for tag in soup.find_all(BLOCK_TAGS):
        if tag.find_parent(BLOCK_TAGS):
            continue                      # nested block: its parent already holds the words
        text = " ".join(tag.get_text(" ").split())
        if text:
            blocks.append(Block(text, heading=tag.name.startswith("h") and len(tag.name) == 2))
    if not blocks:
        for line in soup.get_text("\n").split("\n"):
            if line.strip():
                blocks.append(Block(" ".join(line.split())))
    return blocks


def plain(fragment: str | None) -> str | None:
    """Text of a short HTML string such as a title: tags gone, entities decoded."""
    if not fragment:
        return None
    text = BeautifulSoup(htmllib.unescape(fragment), "html.parser").get_text(" ")
    return " ".join(text.split()) or None
