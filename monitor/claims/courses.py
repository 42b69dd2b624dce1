"""Courses of action: "voted to abandon its hand count" (opposes the count), "will decide
whether to permit such imports" (considers imports), "grounded the fleet" (supports the
grounding), "retracted his concession" (opposes conceding).

Reporters write a course two ways: a governing verb over a course noun (begin / abandon /
weigh + count, imports, aid, sanctions ...) or a predicate that carries its course and its
polarity ("resigned", "asked the teams to leave"). Both live in monitor/lexicons/courses.toml;
this module finds them, reads negation before them and finds who holds the course.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .. import lexicon
from ..records import Actor, Position
from .actors import Mention
from .attribution import quote_at, quote_speaker, source_of, subject_before
from .sentences import Sentence

# The course noun follows its governing verb within this many words: "voted to abandon its
# hand count" (2), "appealed for urgent international help" (2), "permit such imports" (1).
GOVERN_REACH = 4
# Negation this many words before the verb: "would not do a full hand count", "not asking for".
NEGATION_REACH = 3
NEGATIONS = {"not", "never", "no", "n't", "cannot"}
FLIP = {"supports": "opposes", "opposes": "supports", "considers": "opposes"}
# Words back from a governing verb to look for the verb its subject governs: "the board voted
# Friday to begin" (3), "the ministry will decide whether to permit" (3).
# A course inside what reports or rumours say is the rumour's, not the named actor's:
# "prompting headlines that the government planned to seize aid".
HEARSAY = re.compile(r"\b(?:headlines?|reports?|rumou?rs?|speculation|suggestions?|allegations?)\s+(?:\w+\s+){0,2}that\s+[^,;]*$", re.I)
INFINITIVE_WORDS = 4
# A course ordered to stop: "ordered the hand count of the disputed ballots stopped".
STOPPED = re.compile(r"(?:\s+[\w’'-]+){0,5}?\s+(?:stopped|halted|suspended|ended|to (?:stop|end|halt))\b", re.I)


@lru_cache(maxsize=1)
def _lex() -> dict:
    return lexicon.load("courses")


@lru_cache(maxsize=1)
def _governors() -> list[tuple[str, re.Pattern]]:
    return [(stance, re.compile(rf"(?<![\w-])(?:{lexicon.alternation_regex(forms)})(?![\w-])", re.I))
            for stance, forms in _lex()["governors"].items()]


@lru_cache(maxsize=1)
def _nouns() -> re.Pattern:
    """Every course noun in one pattern, a named group per course (one match per governor)."""
    reach = rf"(?:\s+[\w’'-]+){{0,{GOVERN_REACH - 1}}}?\s+"
    groups = "|".join(f"(?P<{key}>{lexicon.alternation_regex(forms)})" for key, forms in _lex()["nouns"].items())
    return re.compile(rf"{reach}(?:{groups})(?![\w-])", re.I)


@lru_cache(maxsize=1)
def _any_noun() -> re.Pattern:
    """Any course noun: a governing verb matters only in a sentence that holds one."""
    forms = [f for fs in _lex()["nouns"].values() for f in fs]
    return re.compile(rf"(?<![\w-])(?:{lexicon.alternation_regex(forms)})(?![\w-])", re.I)


@lru_cache(maxsize=1)
def _predicates() -> re.Pattern:
    """Every predicate in one pattern, a named group per course and stance ("aid__opposes")."""
    groups = "|".join(f"(?P<{key}__{stance}>{lexicon.alternation_regex(forms)})"
                      for key, stances in _lex()["predicates"].items() for stance, forms in stances.items())
    return re.compile(rf"(?<![\w-])(?:{groups})(?![\w-])", re.I)


@lru_cache(maxsize=1)
def _quick() -> re.Pattern:
    """Any course noun or predicate word at all: most sentences hold none."""
    stems = ["count", "tall", "ground", "flight", "fleet", "flying", "aid", "assistance", "help", "relief", "rescue",
             "import", "sanction", "moratorium", "reschedul", "measure", "resign", "concession", "conced", "extradit",
             "hand", "handed", "turned over", "search", "inquiry", "investigation", "probe", "yield", "step", "offer",
             "teams", "keep", "kept"]
    return re.compile(r"\b(?:" + "|".join(stems) + ")", re.I)


def courses(sentence: Sentence, found: list[Mention], taken: set[str]) -> list[Position]:
    """Course-of-action positions of one sentence; actors in `taken` already hold one."""
    text = sentence.text
    if not _quick().search(text):
        return []
    hits: list[tuple[int, int, str, str, bool]] = []    # start, end, course, stance, a predicate
    for m in _predicates().finditer(text):
        key, stance = m.lastgroup.split("__")
        hits.append((m.start(), m.end(), key, stance, True))
    for stance, pattern in _governors() if _any_noun().search(text) else ():
        for m in pattern.finditer(text):
            obj = _nouns().match(text, m.end())
            if obj and not re.search(r"[;:.,“”\"]", text[m.end():obj.end()]):
                said = "opposes" if stance == "supports" and STOPPED.match(text, obj.end()) else stance
                hits.append((m.start(), obj.end(), obj.lastgroup, said, False))   # "ordered the count stopped": opposes
    out, seen = [], set()
    for start, end, key, stance, predicate in sorted(hits, key=lambda h: (h[0], -(h[1] - h[0]))):
        if any(a <= start < b for a, b, *_ in hits if (a, b) != (start, end) and b - a > end - start):
            continue                                     # inside a longer course phrase
        stance = _negated(text, start, stance)
        for actor in _holders(text, start, found, reported=predicate):
            if actor.key in taken or (actor.key, key, stance) in seen:
                continue
            seen.add((actor.key, key, stance))
            out.append(_position(text, start, end, key, stance, actor))
    return out


def _negated(text: str, start: int, stance: str) -> str:
    before = re.findall(r"[\w’']+", text[:start])[-NEGATION_REACH:]
    if any(w.lower() in NEGATIONS or w.lower().endswith(("n't", "n’t")) for w in before):
        return FLIP[stance]
    return stance


def _holders(text: str, start: int, found: list[Mention], reported: bool) -> list[Actor]:
    """The quote's speaker; the verb's subject ('the board voted to abandon'); else, for a
    predicate that carries its course, the speaker the clause is reported from ('X said it
    would not yield'). A governing verb without a subject of its own is too loose to credit
    to the sentence's speaker ('X said the court was asked to stop the count')."""
    quote = quote_at(text, start)
    if quote is not None:
        speaker = quote_speaker(text, quote, found)
        return [speaker] if speaker else []
    if HEARSAY.search(text[:start]):
        return []                                        # "reports that the board would halt the count"
    if re.match(r"\w+(?:ed|en)\b", text[start:]) and re.search(r"\b(?:is|are|was|were|been|being)\s+(?:\w+ly\s+)?$", text[:start]):
        return []                                        # passive: "the count was halted"
    subject = subject_before(text, start, found)
    base = max(0, start - 90)                            # "the board voted on Monday to begin": the verb's subject
    heads = list(re.finditer(r"[\w’'-]+", text[base:start]))[::-1][:INFINITIVE_WORDS]
    for head in heads if re.search(r"\b(?:to|will|would|could|may|might|shall|can|must)(?:\s+not)?\s+$", text[:start]) else ():
        if subject is not None or re.search(r"[,;:]", text[base + head.start():start]):
            break
        subject = subject_before(text, base + head.start(), found)
    conjoined = re.search(r"\band\s+(?:then\s+|later\s+)?$", text[:start])
    if conjoined and subject is not None and subject.end >= conjoined.start() - 2:
        subject = None                                   # "X telephoned his rival and conceded": the rival is the object
    if conjoined and subject is None:                    # the subject of the first of two joined verbs
        for word in list(re.finditer(r"[\w’'-]+", text[base:conjoined.start()]))[::-1][:8]:
            first = subject_before(text, base + word.start(), found)
            if first is not None and first.end < base + word.start():
                subject = first
                break
    if subject is not None:
        return [subject.actor]
    if not reported:
        return []
    speaker = source_of(text, start, found)
    return [speaker] if speaker else []


def _position(text: str, start: int, end: int, key: str, stance: str, actor: Actor) -> Position:
    words = text[start:].split()
    topic_text = " ".join(words[:12]).strip(" ,.“”\"")
    return Position(actor=actor, scale="action", stance=stance, cue=text[start:end], topic_terms=(key,),
                    topic_text=topic_text, anaphoric=False, prospect=False, action=key, sentence=text)
