"""Statements with no stance word: flat denials ("the operator insisted the reactor had not
been damaged", "said the jet was airworthy") and requests for help reported as made by
another ("said his counterpart had telephoned to ask for assistance"). Read by
positions.positions where a sentence holds no truth cue of its own."""
from __future__ import annotations

import re
from dataclasses import replace

from ..records import Position
from .actors import Mention
from .attribution import holder_of, quote_at, quote_speaker, subject_before
from .courses import main_subject
from .numbers import FOLDS_TO_ASCII
from .positions import CLAUSE_END, NEGATED_COMPLEMENT, SHORTFALL, _counterpart, _counterpart_in, _position
from .sentences import Sentence
from .topics import predicate


# A flat denial has no stance word: the speaker states the event did not happen ("the operator
# insisted the reactor had not been damaged", "'There was no outside impact on the plane,' he
# said"). Read only where the complement names an event a story asks about: "said there were
# no plans" or "said nobody had called" is no position on anything.
ASSERTING = re.compile(r"(?:\b(?:said|says|saying|insisted|insists|insisting|stressed|maintained|maintains|maintaining|added|adding|"
                       r"repeated|wrote|went on|told)(?:\s+[\w’'.-]+){0,5}?\s+that|\b(?:said|says|saying|insisted|insists|insisting|stressed|"
                       r"maintained|maintains|maintaining|added|adding|wrote|went on)|\btold\s+[\w’'.-]+(?:\s+[\w’'.-]+)?|"
                       r",\s+and\s+that)\s+[“\"]?", re.I)
# "This is not the official number": what something is called, not whether an event happened.
IDENTITY = re.compile(r"(?:that\s+)?(?:this|that|these|those|it)\s+(?:is|was|are|were)\s+not\b", re.I)
# An adverbial clause fronted in the complement: the negation comes after it.
FRONTED = re.compile(r"(?:despite|although|though|even though|while|after|before|since|as)\b[^,;“”\"]{3,120},\s*[“\"]?", re.I)
# "maintained it was not possible to determine the cause": no denial, a refusal to judge.
NOT_JUDGED = re.compile(r"\bnot\s+(?:yet\s+)?(?:possible|able|clear|known|certain|sure|in a position)\b", re.I)
NEGATION_WORD = re.compile(r"\b(?:no|not|never|neither|none|nobody|nothing)\b|n[’']t\b", re.I)
# A sentence may hold a flat denial only with a negation or the positive counterpart of a fault
# (stance.toml's counterparts, by a word each holds); searched in the text lowered with a space
# before it, without IGNORECASE and opening with a class (see courses.quick): 0.11 against 0.14
# ms an article on the benchmark pages for the same words with \b and IGNORECASE.
FLAT_GATE = re.compile(r"[^\w](?:no\b|not\b|never\b|neither\b|none\b|nobody\b|nothing\b|airworthy|seaworthy|accordance|compl[iy]|conform|to fly|to sail|in line with)|n[’']t\b")
NEGATION_IN = re.compile(r"\b(?:not|never|no)\b|n[’']t\b", re.I)
# A reporting participle takes the subject of the clause it hangs on: "X went further, saying ...".
PARTICIPLE = re.compile(r"saying\b", re.I)
# Characters back from the participle to look for that clause's verb (as courses.py's joined verbs).
PARTICIPLE_REACH = 90
DENIABLE = ("shootdown", "explosion", "poison", "behind", "cause", "survivors", "failure", "malfunction", "undercount", "supplier",
            "unlawful", "unfit", "hack", "warned", "coverup")


def _flat_denials(sentence: Sentence, found: list[Mention]) -> list[Position]:
    text, out = sentence.text, []
    if not FLAT_GATE.search(" " + text.lower()):
        return out                            # most sentences: no negation, no flat denial
    starts = [(m.end(), m.start()) for m in ASSERTING.finditer(text)]
    if text[:1] in "“\"":
        starts.append((1, None))              # '"There was no ...," he said': the quote first
    for start, verb in starts:
        fronted = FRONTED.match(text, start)     # "that, despite reports of X, no one has come forward"
        negation = NEGATED_COMPLEMENT.match(text, fronted.end() if fronted else start)
        complement = CLAUSE_END.split(text[start:])[0]
        if negation is None:                  # "said the jet was airworthy": the fault denied in its positive form
            negation = _counterpart_in(text, start, start + len(complement))
            if negation is not None and NEGATION_IN.search(negation.group()):
                continue                      # "it was not an accident": the counterpart negated, no denial
        elif _counterpart(complement):
            continue                          # "said it was not airworthy": the fault affirmed, no denial
        if negation is None or SHORTFALL.search(complement) or NOT_JUDGED.search(complement) or \
                IDENTITY.match(negation.group()) or predicate(complement) not in DENIABLE:
            continue
        if verb is None:
            quote = quote_at(text, 0)
            actor = quote_speaker(text, quote, found) if quote else None
        else:
            actor = holder_of(text, start, found)     # "X said on Friday that ..., and that ...": X
            if actor is None:
                subject = subject_before(text, verb, found)
                actor = subject.actor if subject else None
            if actor is None and PARTICIPLE.match(text, verb):    # "X went further, saying neither ...": X
                subject = main_subject(text, max(0, verb - PARTICIPLE_REACH), verb, found)
                actor = subject.actor if subject else None
        if actor is not None:
            p = _position(sentence, negation, "truth", "denies", None, actor, found)
            out.append(replace(p, topic_text=complement.strip(" ,“”\"")) if fronted else p)   # the fronted clause names the event
    return out


# A request for help reported as done by someone other than the speaker: "the minister said
# his counterpart had telephoned him to ask formally for assistance" — the speaker confirms
# that help was requested (the requester's own course is read by courses.py).
REQUEST_MADE = re.compile(r"\b(?:(?:had|has|have)\s+)?(?:formally\s+|officially\s+)?(?:asked|requested|appealed)\b|"
                          r"\b(?:telephoned|called|wrote to|contacted)\b[^.;]{0,40}?\bto\s+(?:formally\s+)?ask\b", re.I)

# A word every REQUEST_MADE match holds, searched in the sentence lowered: a case-insensitive
# pattern opening with \b is tried at every character (0.3 ms an article on the benchmark pages).
REQUEST_WORD = re.compile(r"asked|requested|appealed|telephoned|called|wrote\s+to|contacted")


def _reported_requests(sentence: Sentence, found: list[Mention]) -> list[Position]:
    text = sentence.text
    if (text.isascii() or not FOLDS_TO_ASCII.search(text)) and not REQUEST_WORD.search(text.lower()):
        return []                             # most sentences: no word a request is made with
    made = REQUEST_MADE.search(text)
    if made is None or NEGATION_WORD.search(text[max(0, made.start() - 40):made.end()]) or \
            predicate(text[made.start():]) != "request":
        return []
    said = [m for m in ASSERTING.finditer(text, 0, made.start())]
    if not said:
        return []
    holder = holder_of(text, said[-1].end(), found)
    asker = subject_before(text, made.start(), found)
    if holder is None or (asker is not None and asker.actor.key == holder.key):
        return []                             # "X said it had asked for help": X's own course
    # The "had" of "said his counterpart had asked" dates the request, not the statement.
    return [replace(_position(sentence, made, "truth", "confirms", None, holder, found), past=False)]
