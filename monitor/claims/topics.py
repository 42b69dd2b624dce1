"""Terms of a proposition or an article: the words two statements must share to be about
the same thing. Places fold to their country, synonyms to one word, plurals to singular."""
from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

from .. import lexicon
from .actors import Mention

# Words shorter than this carry no topic once stopwords are gone ("war" is kept: 3).
MIN_TERM_LENGTH = 3


@lru_cache(maxsize=1)
def _lex() -> dict:
    return lexicon.load("topics")


@lru_cache(maxsize=1)
def _folds() -> dict[str, str]:
    return {w: head for head, words in _lex()["synonyms"].items() for w in words}


def terms(phrase: str, found: list[Mention] | None = None, offset: int = 0, text: str = "") -> tuple[str, ...]:
    """Sorted distinct terms of `phrase`; places named in it become their country."""
    places = set()
    masked = phrase
    for mention in found or []:
        if mention.kind == "place" and text:
            name = text[mention.start:mention.end]
            if name in phrase:
                places.add("@" + mention.actor.name.lower())
                masked = masked.replace(name, " ")
    return tuple(sorted(places | set(words(masked))))


def words(phrase: str) -> list[str]:
    stop, folds = set(_lex()["words"]["stopwords"]), _folds()
    out = []
    for word in re.findall(r"[A-Za-z][\w-]*", phrase):
        low = word.lower()
        if low in stop or len(low) < MIN_TERM_LENGTH:
            continue
        out.append(folds.get(low) or _stem(low))
    return out


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """'supplying', 'supplied' and 'supply' are one term (Snowball's English stemmer)."""
    return _stemmer().stemWord(word)


def cue_terms(cue: str) -> set[str]:
    """Terms a cue itself carries: 'conceded defeat' is about the victory, 'admitted' about nothing."""
    heads = set(_lex()["synonyms"])
    return {w for w in words(cue) if w in heads}
