"""Claim stage: an Article -> its figures and positions (Claims).

Public entry point: `extract(article, people) -> Claims`. `people` maps person keys to
the actors the store already knows, so that "Austin" in a later article is still the
Pentagon's Lloyd Austin. Rule-based and explainable: every claim keeps its sentence.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from itertools import accumulate

from ..records import Actor, Article, Claims, Directory
from . import actors, prefilter, sentences
from .figures import figures
from .positions import positions
from .titles import OPENERS

# "\b[A-Z]" written "[A-Z](?<!\w[A-Z])" (a capital not after a word character: the same
# matches), so that the regex engine scans for capitals instead of trying every position.
PROPER = re.compile(r"[A-Z](?<!\w[A-Z])[\w’'-]*[A-Za-z0-9]")

# Proper names kept per article for story assignment: a long report names 20-40.
STORY_TERMS = 40
# The lead paragraph's names are those of its first LEAD_CHARS characters (a long first
# paragraph is often the whole article, flattened).
LEAD_CHARS = 600


def extract(article: Article, people: dict[str, Actor] | None = None) -> Claims:
    prefilter.forget()
    book = actors.Book(known=people if isinstance(people, Directory) else Directory(people or {}))
    year = _year(article.published)
    found_figures, found_positions, places = [], [], Counter()
    split = sentences.split(article.paragraphs)
    book.home = actors.home_place([s.text for s in split], book, article.title, article.url or article.origin)
    for sentence in split:
        found = actors.mentions(sentence.text, book)
        places.update(level for m in found if m.kind != "pronoun" for level, _ in m.actor.levels)
        places.update(proper_words(sentence.text, found))
        found_figures += figures(sentence, found, year)
        found_positions += positions(sentence, found)
    return Claims(article=article, figures=tuple(found_figures), positions=tuple(found_positions),
                  terms=_story_terms(article, places), directory=tuple(book.learned.items()),
                  lead_terms=_lead_terms(article, book.known))


def _year(published: str | None) -> int | None:
    match = re.match(r"(\d{4})", published or "")
    return int(match.group(1)) if match else None


def proper_words(text: str, found) -> list[str]:
    """Capitalised words inside a sentence that no actor took: places, events, flight numbers
    ('Korvash', 'VA417', 'Ferghel'). A story is told apart by its proper names."""
    # A word inside a mention is one at or after a mention's start and before the furthest end
    # of the mentions that start at or before it (the spans, sorted; no look through them all).
    taken = sorted((m.start, m.end) for m in found)
    starts, reach = [a for a, _ in taken], list(accumulate((b for _, b in taken), max))
    out, common = [], actors.not_names_lower()
    for match in PROPER.finditer(text):
        start = match.start()
        i = bisect.bisect_right(starts, start)
        if not text[:start].strip(OPENERS) or i and start < reach[i - 1]:
            continue
        word = match.group().rstrip("’'s").lower()
        if len(word) > 2 and word not in common:
            out.append("w:" + word)
    return out


def _lead_terms(article: Article, known: Directory) -> tuple[str, ...]:
    """The names of the title and the lead paragraph, for story assignment: the actors written
    there (their keys; not the bodies and countries they were learned to stand for) and the
    other proper words. Both read whole, by a book of their own that knows only the store's
    directory: the walk's book gives a generic body the article's home country ('lebanon/
    military' for 'the military') and reads a sentence's first word apart, and those terms
    put other story ids on 15 of the 418 articles of python -m bench.stories."""
    book = actors.Book(known=known)
    out = set()
    lead = article.paragraphs[0] if article.paragraphs else ""
    for text in (article.title or "", lead[:LEAD_CHARS]):
        if text:
            found = actors.mentions(text, book)
            out.update(m.actor.key for m in found if m.kind != "pronoun")
            out.update(proper_words(text, found))
    return tuple(sorted(out))


def _story_terms(article: Article, seen: Counter) -> tuple[str, ...]:
    """The article's proper names (people, bodies, places, other names), most frequent first."""
    return tuple(term for term, _ in seen.most_common(STORY_TERMS))
