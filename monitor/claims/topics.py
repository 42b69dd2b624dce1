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
    return tuple(sorted(places | set(words(masked, names=True))))


# A capitalised word inside a phrase is a name (a person, a vessel, a firm: "Sergei Ostrov",
# "the Vela"): marked so that topic identity counts it as shared but never as what the
# proposition says: every statement of a story names its victim, and "the man is Ivan Ostrov"
# is not "Tashbal poisoned Ivan Ostrov".
NAME_MARK = "^"
NAME_WORD = re.compile(r"[A-Z][a-z][\w-]*")


def words(phrase: str, names: bool = False) -> list[str]:
    stop, folds = set(_lex()["words"]["stopwords"]), _folds()
    out = []
    for match in re.finditer(r"[A-Za-z][\w-]*", phrase):
        word = match.group()
        low = word.lower()
        if low in stop or len(low) < MIN_TERM_LENGTH:
            continue
        term = folds.get(low) or _stem(low)
        if names and match.start() > 0 and NAME_WORD.fullmatch(word) and phrase[:match.start()].strip(" “\"'‘"):
            term = NAME_MARK + term
        out.append(term)
    return out


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """'supplying', 'supplied' and 'supply' are one term (Snowball's English stemmer)."""
    return _stemmer().stemWord(word)


# The mark of a party accused in a statement on who was behind an event ("!zembia").
PARTY_MARK = "!"


def parties(terms, speaker_key: str | None = None) -> frozenset[str]:
    """The parties a statement on who was behind an event names, marked: the countries among
    its terms ('that the United States or its partners were responsible'), else, when given,
    the speaker's own party ('denied any involvement', 'has nothing to do with this story':
    a denial that names no one clears its speaker). A body of no known country names none."""
    named = {PARTY_MARK + t[1:] for t in terms if t.startswith("@")}
    if named or not speaker_key:
        return frozenset(named)
    kind, _, name = speaker_key.partition(":")
    country = name.partition("/")[0]
    known = kind in ("g", "b") and country and country != "unknown"
    return frozenset({PARTY_MARK + country}) if known else frozenset()


@lru_cache(maxsize=1)
def knowing() -> frozenset[str]:
    """Terms of knowing, proving, waiting and deciding (topics.toml `knowing`): a hedge made
    only of them names no proposition of its own."""
    return frozenset(words(" ".join(_lex()["words"].get("knowing", []))))


def cue_terms(cue: str) -> set[str]:
    """Terms a cue itself carries: 'conceded defeat' is about the victory, 'admitted' about nothing."""
    heads = set(_lex()["synonyms"])
    return {w for w in words(cue) if w in heads}


# The class of a phrase that names the open question but no answer ("the cause"): it yields
# to any event the phrase also names ("the cause was a bomb" is about a bomb).
FALLBACK = "question"


@lru_cache(maxsize=1)
def _predicates() -> list[tuple[str, re.Pattern]]:
    return [(name, re.compile(r"\b(?:" + "|".join(pats) + r")\b", re.I))
            for name, pats in _lex().get("predicates", {}).items()]


# The copula of a proposition "X was Y": what it says is Y, whatever event X names ("the blasts were
# deliberate" is about intent, "the explosion was caused by a missile" about a missile). Only the
# first copula, only when a subject stands before it, and never for the open question alone: "a
# shortage of police was | the cause" is about the shortage.
# Between the subject's class and the copula no other clause may start: in "we take the number as
# the official estimate, while noting that more work was needed" the copula is another clause's.
CLAUSE_BREAK = re.compile(r"[,;:()\u2014]|\b(?:that|and|but|while|which|who|said|says|when|because|if)\b", re.I)
# "the rocket was launched from an area held by the rebels" names the event and its author: it
# stays the event's, and the diff stage counts it on who was behind it too (_also_blames).
AUTHOR = "behind"
EXPLETIVE = re.compile(r"\bthere\s*$", re.I)   # "there was no other explanation": no subject
COPULA = re.compile(r"\b(?:was|were|is|are|had been|has been|have been)\b(?!\s+(?:no|not|never)\b)", re.I)


def predicate(phrase: str, avoid: tuple[str, ...] = ()) -> str | None:
    """The event-predicate class of a proposition ('a rocket brought the jet down' and 'the
    downing of the jet' are both `shootdown`), or None when it names no event of the lexicon.
    The class named first in the phrase wins ("denied any involvement in the poisoning" is
    about who was behind it; "the dead from the blast rose" about the dead), then the lexicon's
    order."""
    best = _first_class(phrase, avoid)
    copula = COPULA.search(phrase)
    if best is not None and copula and copula.start() and best[1] <= copula.start() \
            and not EXPLETIVE.search(phrase, 0, copula.start()) and not CLAUSE_BREAK.search(phrase, best[1], copula.start()):
        said = _first_class(phrase[copula.end():], avoid)
        if said is not None and said[2] not in (FALLBACK, AUTHOR):
            return said[2]                    # "the blasts were | deliberate": about the predicate
    return best[2] if best else None


def _first_class(phrase: str, avoid: tuple[str, ...]) -> tuple[int, int, str] | None:
    """(start, end, class) of the class named first in the phrase (the open question last)."""
    best = None
    for rank, (name, pattern) in enumerate(_predicates()):
        found = pattern.search(phrase)
        if found and name in avoid:
            found = None if best is not None or any(p.search(phrase) for n, p in _predicates() if n not in avoid) else found
        start = found.start() + (len(phrase) if name == FALLBACK else 0) if found else 0
        if found and (best is None or (start, rank) < best[:2]):
            best = (start, rank, found.end(), name)
    return (best[0], best[2], best[3]) if best else None


def names(phrase: str, cls: str) -> bool:
    """Whether the phrase names an event of class `cls`, first or not."""
    return any(name == cls and pattern.search(phrase) for name, pattern in _predicates())


def labels() -> dict[str, str]:
    """The reader's sentence for each predicate class whose proposition takes no argument."""
    return dict(_lex().get("labels", {}))


def course_labels() -> dict[str, str]:
    """The reader's words for each course of action a topic can be about."""
    return dict(_lex().get("course_labels", {}))

