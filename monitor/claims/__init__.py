"""Claim stage: an Article -> its figures and positions (Claims).

Public entry point: `extract(article, people) -> Claims`. `people` maps person keys to
the actors the store already knows, so that "Austin" in a later article is still the
Pentagon's Lloyd Austin. Rule-based and explainable: every claim keeps its sentence.
"""
from __future__ import annotations

import re
from collections import Counter

from ..records import Actor, Article, Claims
from . import actors, sentences
from .figures import figures
from .positions import positions
from .topics import words

# The story an article belongs to is told by its opening: title and first paragraphs.
LEAD_PARAGRAPHS = 3
# Salient terms kept per article for story assignment; 40 covers a lead's entities and nouns.
STORY_TERMS = 40


def extract(article: Article, people: dict[str, Actor] | None = None) -> Claims:
    book = actors.Book(known=dict(people or {}))
    year = _year(article.published)
    found_figures, found_positions, places = [], [], Counter()
    split = sentences.split(article.paragraphs)
    book.home = actors.home_place([s.text for s in split], book)
    for sentence in split:
        found = actors.mentions(sentence.text, book)
        places.update(m.actor.key for m in found if m.kind != "pronoun")
        found_figures += figures(sentence, found, year)
        found_positions += positions(sentence, found)
    return Claims(article=article, figures=tuple(found_figures), positions=tuple(found_positions),
                  terms=_story_terms(article, places), directory=tuple(book.learned.items()))


def _year(published: str | None) -> int | None:
    match = re.match(r"(\d{4})", published or "")
    return int(match.group(1)) if match else None


def _story_terms(article: Article, actors_seen: Counter) -> tuple[str, ...]:
    """Terms weighted by where they stand: the title and lead count double."""
    lead = " ".join([article.title or ""] * 2 + article.paragraphs[:LEAD_PARAGRAPHS])
    counts = Counter(words(lead))
    for key, n in actors_seen.items():
        counts["@" + key] += n
    return tuple(term for term, _ in counts.most_common(STORY_TERMS))
