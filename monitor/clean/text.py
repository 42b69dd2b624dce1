"""Plain text and Markdown: strip scraping debris, keep paragraphs, find title and date.

The same `tidy` pass finishes the text of every other format too, so a rule for page
furniture is written once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .. import lexicon
from ..records import Article, Document
from .dates import find_date, iso_date

# A header zone line this short that is not a sentence is page furniture (author name,
# "Updated:", section label). Four words covers "By Jane Q. Doe" style names.
SHORT_LINE_WORDS = 4
# The header zone ends at the first real paragraph: 25 words is longer than any title,
# caption or standfirst line seen in the seed and extraction-benchmark pages.
BODY_PARAGRAPH_WORDS = 25
# Trailing furniture is only cut in the last part of the text, so that a heading
# "Related" in the middle of a long report never truncates it.
TRAILING_ZONE = 0.5
TERMINAL = ('.', '!', '?', '"', '”', '’', "'", ':', ')', '…')


@dataclass
class Block:
    text: str
    heading: bool = False


def parse_text(document: Document, text: str) -> list[Article]:
    return [_article(document, text, "text")]


def parse_markdown(document: Document, text: str) -> list[Article]:
    return [_article(document, text, "markdown")]


def _article(document: Document, raw: str, fmt: str) -> Article:
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    meta, raw = _front_matter(raw)
    date, raw = _date_header(raw)
    if fmt == "markdown":
        raw = _strip_markdown_furniture(raw)
    blocks = _blocks(raw, markdown=(fmt == "markdown"))
    title = meta.get("title") or (_first_heading(raw) if fmt == "markdown" else None) or _title(blocks)
    date = date or iso_date(meta.get("date")) or _byline_date(blocks)
    text = tidy(blocks, title)
    return Article(origin=document.origin, text=text, title=title, url=document.url or meta.get("url"),
                   published=date, format=fmt)


# Header lines that scrapers and readers put above the text: "Title: ...", "URL Source: ...",
# "Published Time: ...", and YAML front matter between --- lines.
FRONT_LINE = re.compile(r"^\s*([A-Za-z ]{3,16}):(.+)$")
# `(?<!\s)`: a match starts at the first space of a run, or a long run of spaces is
# scanned again from each of its spaces.
SITE_NAME = re.compile(r"(?<!\s)\s+[|–—]\s+")
FRONT_KEYS = {"title": "title", "url source": "url", "url": "url", "source": "url", "published time": "date",
              "published": "date", "date": "date"}


def _front_matter(raw: str) -> tuple[dict, str]:
    meta: dict[str, str] = {}
    yaml = re.match(r"\A---\n(.*?)\n---\n", raw, re.S)
    body = raw[yaml.end():] if yaml else raw
    lines = (yaml.group(1).split("\n") if yaml else []) + body.split("\n")[:12]
    consumed = 0
    for i, line in enumerate(lines):
        match = FRONT_LINE.match(line)
        key = FRONT_KEYS.get(match.group(1).strip().lower()) if match else None
        if key and key not in meta:
            meta[key] = match.group(2).strip().strip('"')     # strip here: `\s*(.+?)\s*$` was quadratic
            consumed = i + 1
        elif line.strip() and not yaml and not re.match(r"^\s*markdown content:\s*$", line, re.I):
            break
    if not yaml and consumed:
        body = re.sub(r"\A(?:.*\n){%d}" % consumed, "", body + "\n", count=1)
        body = re.sub(r"\A\s*markdown content:\s*\n", "", body, flags=re.I)
    if meta.get("title"):
        meta["title"] = SITE_NAME.split(meta["title"])[0]      # "Headline | Site name"
    return meta, body


def _first_heading(raw: str) -> str | None:
    match = re.search(r"^#{1,2}\s+(.+)$", raw, re.M)
    return strip_markdown(match.group(1)) if match else None


# Scraped-page furniture in Markdown: image lines, lines made only of links (navigation,
# "Read more" and "Most read" lists, breadcrumbs), italic-only lines (captions, credits).
LINK = r"!?\[[^\]]*\]\([^)]*\)"
# The separator is `(?:\s*SEP)?\s*`, never `\s*SEP?\s*`: with two optional runs of spaces in a
# row, a line of links that does not match tried every way of sharing the spaces out, and
# twenty links took hours.
LINKS_ONLY = re.compile(rf"^\s*(?:[-*+]|\d+\.)?\s*(?:{LINK}(?:\s*[|·•/›»>,–—-])?\s*)+$")
ITALIC_ONLY = re.compile(r"^\s*(?:\*(?!\*)[^*]+\*|_(?!_)[^_]+_)\s*$")


def _strip_markdown_furniture(raw: str) -> str:
    kept = [line for line in raw.split("\n") if not (LINKS_ONLY.match(line) or ITALIC_ONLY.match(line))]
    return "\n".join(kept)


def _date_header(raw: str) -> tuple[str | None, str]:
    match = re.match(lexicon.load("debris")["date_header"], raw, re.I)
    if not match:
        return None, raw
    return iso_date(match.group("date")), raw[match.end():]


def _blocks(raw: str, markdown: bool) -> list[Block]:
    blocks = []
    for chunk in re.split(r"\n\s*\n", raw):
        for line in (chunk.split("\n") if _is_list_or_lines(chunk) else [chunk]):
            block = _block(line, markdown)
            if block is not None:
                blocks.append(block)
    return blocks


def _is_list_or_lines(chunk: str) -> bool:
    """A chunk of short lines (header zone, list) is split into lines; prose is joined."""
    lines = [l for l in chunk.split("\n") if l.strip()]
    return len(lines) > 1 and (any(len(l.split()) <= SHORT_LINE_WORDS for l in lines)
                               or all(re.match(r"\s*([-*+]|\d+\.)\s", l) for l in lines))


def _block(line: str, markdown: bool) -> Block | None:
    text = " ".join(line.split())
    if not text or re.fullmatch(r"[-*_=]{3,}", text):
        return None
    heading = bool(re.match(r"#{1,6}\s", text)) or bool(markdown and re.fullmatch(r"\*\*[^*]+\*\*", text))
    if markdown or heading:
        text = strip_markdown(text)
    return Block(text, heading) if text else None


def strip_markdown(text: str) -> str:
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)               # images
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)            # links keep their words
    text = re.sub(r"<https?://[^>]*>", "", text)                    # bare autolinks
    text = re.sub(r"^#{1,6}\s+|^>\s?|^[-*+]\s+", "", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<!\w)[*_](\S[^*_]*?)[*_](?!\w)", r"\1", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|])", r"\1", text)       # escapes
    return " ".join(text.split())


def _title(blocks: list[Block]) -> str | None:
    for block in blocks[:3]:
        words = len(block.text.split())
        if 3 <= words <= 30 and not block.text.endswith((".", "?\"")) and not _is_debris(block.text):
            if not _byline(block.text):
                return block.text
    return None


def _byline(text: str):
    for pattern in lexicon.patterns("debris", "byline"):
        match = pattern.match(text)
        if match:
            return match
    return None


def _byline_date(blocks: list[Block]) -> str | None:
    for block in blocks[:12]:
        match = _byline(block.text)
        if match and match.groupdict().get("date"):
            found = find_date(match.group("date")) or iso_date(match.group("date"))
            if found:
                return found
    return None


def _is_debris(text: str) -> bool:
    return any(p.search(text) for p in lexicon.patterns("debris", "drop_lines"))


def _is_trailing_heading(text: str) -> bool:
    return len(text.split()) <= 8 and any(p.search(text) for p in lexicon.patterns("debris", "trailing_headings"))


def tidy(blocks: list[Block], title: str | None) -> str:
    """Paragraphs of article text from blocks: furniture dropped, page breaks re-joined."""
    blocks = _cut_trailing(blocks)
    blocks = _drop_tweets(blocks)
    kept = [b for b in _drop_header_furniture(blocks, title) if not _is_debris(b.text) and not _byline(b.text)]
    # The dateline ("SEOUL, South Korea (AP) — ") stays: it is part of the article, and the
    # claim stage reads the country from it.
    return "\n\n".join(_rejoin(kept))


def _cut_trailing(blocks: list[Block]) -> list[Block]:
    start = int(len(blocks) * TRAILING_ZONE)
    for i in range(max(start, 1), len(blocks)):
        if _is_trailing_heading(blocks[i].text):
            return blocks[:i]
    return blocks


def _drop_tweets(blocks: list[Block]) -> list[Block]:
    """An embedded post is its text followed by '— Name (@handle) date': drop both."""
    out: list[Block] = []
    for block in blocks:
        if re.match(r"^—\s.*\(@\w+\)", block.text):
            if out and not out[-1].heading:
                out.pop()
            continue
        out.append(block)
    return out


def _drop_header_furniture(blocks: list[Block], title: str | None) -> list[Block]:
    body_at = next((i for i, b in enumerate(blocks)
                    if len(b.text.split()) >= BODY_PARAGRAPH_WORDS and not _is_debris(b.text)), 0)
    out = []
    for i, block in enumerate(blocks):
        if title and block.text.strip(" *#") == title:
            continue
        if i < body_at and len(block.text.split()) <= SHORT_LINE_WORDS and not block.heading:
            continue
        out.append(block)
    return out


def _rejoin(blocks: list[Block]) -> list[str]:
    """A paragraph cut by a page break (no closing punctuation) continues in the next one."""
    out: list[str] = []
    open_end = False
    for block in blocks:
        if open_end and not block.heading and out:
            out[-1] = f"{out[-1]} {block.text}"
        else:
            out.append(block.text)
        open_end = not block.heading and not block.text.rstrip().endswith(TERMINAL) and len(block.text.split()) > SHORT_LINE_WORDS
    return out
