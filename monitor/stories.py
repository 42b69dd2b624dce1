"""Stories: which event an article is about, so that one story's figures never alert on another's.

An article joins the stored story whose salient terms (places, people, other proper names)
it shares most, or starts a new one. The names of its title and lead count more than the
ones its body mentions in passing (when the reading of the whole article names them too:
the lead read alone takes a title-case headline's words for names). A story it shares enough
with joins it if the story had news in the last month; a story quiet for longer (an
investigation's report a year on, a review months later) only if the match is strong and
rests on names few stories hold (the flight, the place, the victim), or if its title or lead
names one of the story's own main names that almost no other story holds. Of several stories it
fits, it joins the one whose own main names it holds. Part of the diff stage: the subject
and topic keys start with the story's id. `python -m bench.stories` measures splits and
merges.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

from . import lexicon
from .records import Article, Claims

# Weighted share of an article's names a story must hold for the article to join it, when
# the story had news within STORY_GAP_DAYS of the article. Measured with python -m
# bench.stories on the development stories, the seeds and tests/stories: articles of one
# story share 0.3-0.9 with it; articles of other stories 0.0-0.2.
JOIN_SHARE = 0.25
# News comes in bursts: a story with news within this many days of an article is open to it
# on a plain match.
STORY_GAP_DAYS = 30
# A story quiet for longer is joined across any gap only on a strong match: this share, and
# a name of the article's title or lead that no more than RARE_STORIES stories hold.
STRONG_SHARE = 0.45
RARE_STORIES = 8
# An old story's own names: its this many most frequent, and held by no more than this many
# stories. Measured with python -m bench.stories: a story's place or site is among its three
# most frequent names in every development and held-out story.
MAIN_NAMES = 3
CENTRAL_RARE = 2
# Stories an article could join whose main names are compared with its own (see _central).
CENTRAL = 4
# An article is judged by its most frequent names: a long report names many people and
# places in passing, and those should not dilute the ones it is about.
ARTICLE_TERMS = 15
# A name in the title or the lead paragraph weighs this many times one of the body.
LEAD_WEIGHT = 3.0
# A story keeps this many of its most frequent terms: enough for its entities and nouns,
# few enough that a long-running story does not swallow every new one.
STORY_TERMS = 80


def assign(claims: Claims, store) -> int:
    """The id of the story `claims` belongs to, creating or updating it in the store."""
    weights = article_terms(claims)
    published = claims.article.published if _day(claims.article.published) else None
    # The stories of the last month that hold one of its names (news is local in time), and
    # any story, however old, that holds one of its rare names: both through the store's
    # index of story terms, never a scan of every story.
    # (Stores written before terms were normalised hold the claim stage's own: looked up too.)
    raw = [t for t in claims.terms[:ARTICLE_TERMS] if t not in weights]
    spread, held, recent = store.story_matches(list(weights) + raw, published, STORY_GAP_DAYS, RARE_STORIES)
    if raw:
        spread, held = _normalised(spread, held)
    # A story with recent news first; an older one only when none of those will do.
    best, best_share, shares = None, 0.0, {}
    # (A recent story is also judged on the body's names alone, as an article whose lead
    # names a charity or an agency in passing still belongs with the story its body tells.)
    body = {normal(t): 1.0 for t in claims.terms[:ARTICLE_TERMS]}
    for story_id in sorted(recent):
        share = shares[story_id] = max(_share(weights, held[story_id], spread), _share(body, held[story_id], spread))
        if share > best_share:
            best, best_share = story_id, share
    if best_share < JOIN_SHARE:
        for story_id in sorted(set(held) - recent):
            share = shares[story_id] = _share(weights, held[story_id], spread)
            if share > best_share and (_strong(share, weights, held[story_id], spread)
                                       or _on_its_name(share, weights, store.story(story_id), spread)):
                best, best_share = story_id, share
    story_counts = Counter({t: w for t, w in weights.items()})
    if best is not None and best_share >= JOIN_SHARE:
        best = _central(weights, held, spread, shares, recent if best in recent else set(held) - recent, store)
        merged = Counter(_normal_counts(best["terms"])) + story_counts
        label = claims.article.title if claims.article.title and not best.get("titled") else None
        store.update_story(best["id"], _kept(merged), label, claims.article.published)
        return best["id"]
    return store.add_story(_label(claims.article), _kept(story_counts), titled=bool(claims.article.title),
                           published=claims.article.published)


def article_terms(claims: Claims) -> dict[str, float]:
    """The article's names with their weights: its ARTICLE_TERMS most frequent ones weigh 1,
    those of its title and lead paragraph LEAD_WEIGHT (these are what it is about; the claim
    stage reads them as it reads the text: Claims.lead_terms).

    A name of the title or lead weighs LEAD_WEIGHT only when the claim stage's reading of the
    whole article (Claims.terms) names it too. The lead is read alone, without the article's
    context, and it also takes words that are no names there: the capitalised words of a
    title-case headline ('... As Waters Rise, Minister Says'), a given name apart from its
    surname ('Anselm' of 'Anselm Roderick'). Such a term still counts, as one name of the
    body: a flight number only the title gives is still the article's. A generic body of no
    country ('the government', 'the military') never weighs as a lead name (see _nameless)."""
    weights: dict[str, float] = {}
    for term in claims.terms[:ARTICLE_TERMS]:
        weights.setdefault(normal(term), 1.0)
    named = {normal(t) for t in claims.terms}
    for term in claims.lead_terms:
        name = normal(term)
        if not name or _nameless(name):
            continue
        if name in named:
            weights[name] = LEAD_WEIGHT
        else:
            weights.setdefault(name, 1.0)
    return weights


@lru_cache(maxsize=1)
def _generic_bodies() -> frozenset[str]:
    return frozenset(normal(name) for name in lexicon.load("actors")["generic_bodies"])


def _nameless(term: str) -> bool:
    """A generic body of no known country ('unknown/government' for "the government", "the
    military"): a common noun, not a name, so it tells no event from another. It weighs 1
    when it is among the article's ARTICLE_TERMS most frequent names, never LEAD_WEIGHT."""
    country, _, body = term.partition("/")
    return country == "unknown" and body in _generic_bodies()


_DOUBLE = re.compile(r"(\w)\1+")


@lru_cache(maxsize=65536)
def normal(term: str) -> str:
    """A term without its kind, accents and doubled letters: the claim stage reads one name as
    a person in one sentence and a place or plain word in the next ('p:lena', 'w:lena'),
    and spells people without doubled letters ('p:guteres')."""
    name = term.split(":", 1)[1] if ":" in term[:3] else term
    name = unicodedata.normalize("NFKD", name.lower())
    name = "".join(c for c in name if not unicodedata.combining(c))
    return _DOUBLE.sub(r"\1", name).strip()


def _normal_counts(terms: dict) -> Counter:
    """A stored story's terms, those of stores written before terms were normalised included."""
    out = Counter()
    for term, n in terms.items():
        out[normal(term)] += n
    return out


def _normalised(spread: dict, held: dict) -> tuple[dict, dict]:
    merged = {}
    for term, n in spread.items():
        merged[normal(term)] = max(merged.get(normal(term), 0), n)
    return merged, {story: {normal(t) for t in terms} for story, terms in held.items()}


def _kept(counts: Counter) -> dict[str, float]:
    return {t: round(n, 2) for t, n in counts.most_common(STORY_TERMS)}


def _day(published: str | None) -> int | None:
    """Days since year 1 of an ISO date, or None."""
    try:
        return dt.date.fromisoformat((published or "")[:10]).toordinal()
    except ValueError:
        return None


def _on_its_name(share: float, weights: dict, story: dict, spread: dict) -> bool:
    """A later article that leads with the name an old story is about ('a review of the Korvel
    Tower fire', months on) joins it on a plain share: the name must be one of the story's
    MAIN_NAMES most frequent and held by no more than CENTRAL_RARE stories. A follow-up names
    the people of its own day (a reviewer, a new minister), and so rarely reaches STRONG_SHARE."""
    if share < JOIN_SHARE:
        return False
    counts = _normal_counts(story["terms"])
    main = [t for t, _ in counts.most_common(MAIN_NAMES + 2) if not _nameless(t)][:MAIN_NAMES]
    return any(weights.get(t, 0) >= LEAD_WEIGHT and spread.get(t, 0) <= CENTRAL_RARE and t not in _countries()
               for t in main)


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    """Country names: a story's main name may be its country ('Russia'), and many stories share
    it; a follow-up joins on its site, its flight or its victim, never on a country alone."""
    return frozenset(normal(name) for name in lexicon.load("actors")["places"])


def _weight(term: str, weights: dict, spread: dict) -> float:
    """A term's weight, down by how many stories use it: 'United States' tells two stories
    apart less than 'Korvash' does."""
    return weights[term] / max(1.0, math.log2(1 + spread.get(term, 0)))


def _share(weights: dict[str, float], story_terms, spread: dict) -> float:
    """Weighted share of the article's names the story holds."""
    total = sum(_weight(t, weights, spread) for t in weights)
    if not total:
        return 0.0
    return sum(_weight(t, weights, spread) for t in weights if t in story_terms) / total


def _central(weights: dict, held: dict, spread: dict, shares: dict, among: set, store) -> dict:
    """Of the stories among `among` that the article could join, the one whose own main names
    it shares: a long story holds many names in passing (every country that sent aid), and
    those should not draw an article away from the story it is about. Both ways: the article's
    names weighed by how much the story rests on them, times the part of the story's main
    names the article holds. Reads the CENTRAL best by plain share."""
    ranked = sorted((s for s in among if s in shares), key=lambda s: (-shares[s], s))
    fit = [s for s in ranked if shares[s] >= JOIN_SHARE][:CENTRAL]
    best, best_score = None, -1.0
    for story_id in fit:
        story = store.story(story_id)
        counts = _normal_counts(story["terms"])
        top = max(counts.values(), default=1) or 1
        score = sum(_weight(t, weights, spread) * math.sqrt(min(1.0, counts.get(t, 0) / top)) for t in weights
                    if t in held[story_id])
        # ... and how much of the story's own main names the article holds: a story that
        # holds the article's names only in passing (a country one of its articles mentioned,
        # an outlet's name in one byline) is not the one it is about. As many of the story's
        # names as an article brings (ARTICLE_TERMS), so that like is compared with like.
        main = counts.most_common(ARTICLE_TERMS)
        score *= sum(n for t, n in main if t in weights) / (sum(n for _, n in main) or 1)
        if score > best_score:
            best, best_score = story, score
    return best


def _strong(share: float, weights: dict, story_terms, spread: dict) -> bool:
    """A match strong enough to join a story across any gap: a high share, resting on a name
    of the title or lead that few stories hold."""
    return share >= STRONG_SHARE and any(weights[t] >= LEAD_WEIGHT and spread.get(t, 0) <= RARE_STORIES
                                         for t in weights if t in story_terms)


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
