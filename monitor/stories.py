"""Stories: which event an article is about, so that one story's figures never alert on another's.

An article joins the stored story whose salient terms (places, people, key nouns of the
title and lead) it shares most, or starts a new one. Part of the diff stage: the subject
and topic keys start with the story's id.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

from .records import Article, Claims

# Weighted share of an article's proper names a story must hold for the article to join it.
# Measured on the seed story and tests/stories (python -m bench.stories): articles of one
# story share 0.3-0.8 with it; articles of other stories 0.0-0.15.
JOIN_SHARE = 0.25
# Two articles more than this many days apart (by their published dates) are not one story,
# however many names they share: a war or an election runs for months, but its news comes
# in bursts, and a story left for a month is picked up by articles that recap it.
STORY_GAP_DAYS = 30
# An article is judged by its most frequent names: a long report names many people and
# places in passing, and those should not dilute the ones it is about.
ARTICLE_TERMS = 15
# A story keeps this many of its most frequent terms: enough for its entities and nouns,
# few enough that a long-running story does not swallow every new one.
STORY_TERMS = 80


def assign(claims: Claims, store) -> int:
    """The id of the story `claims` belongs to, creating or updating it in the store."""
    terms = list(claims.terms)
    best, best_share = None, 0.0
    published = claims.article.published if _day(claims.article.published) else None
    # Only the stories of the last month that hold one of its names (news is local in
    # time), found through the store's index of story terms.
    spread, held = store.story_matches(terms[:ARTICLE_TERMS], published, STORY_GAP_DAYS)
    for story_id in sorted(held):
        share = _share(terms, held[story_id], spread)
        if share > best_share:
            best, best_share = story_id, share
    if best is not None and best_share >= JOIN_SHARE:
        best = store.story(best)
        merged = Counter(best["terms"]) + Counter(terms)
        label = claims.article.title if claims.article.title and not best.get("titled") else None
        store.update_story(best["id"], dict(merged.most_common(STORY_TERMS)), label, claims.article.published)
        return best["id"]
    return store.add_story(_label(claims.article), dict(Counter(terms).most_common(STORY_TERMS)),
                           titled=bool(claims.article.title), published=claims.article.published)


def _day(published: str | None) -> int | None:
    """Days since year 1 of an ISO date, or None."""
    try:
        return dt.date.fromisoformat((published or "")[:10]).toordinal()
    except ValueError:
        return None


def _share(terms: list[str], story_terms, spread: dict) -> float:
    """Share of the article's names the story holds, each weighted down by how many stories
    use it: 'United States' tells two stories apart less than 'Korvash' does."""
    terms = terms[:ARTICLE_TERMS]
    if not terms:
        return 0.0
    weight = {t: 1 / max(1.0, math.log2(1 + spread.get(t, 0))) for t in terms}
    return sum(weight[t] for t in terms if t in story_terms) / sum(weight.values())


def _label(article: Article) -> str:
    if article.title:
        return article.title
    first = article.paragraphs[0] if article.paragraphs else article.origin
    return " ".join(first.split()[:12])


def outlet(article: Article) -> str:
    """Who publishes an unattributed figure: the site, else the file it came in."""
    if article.url:
        host = urlparse(article.url).hostname or article.url
        return host.removeprefix("www.")
    return Path(article.origin).name
