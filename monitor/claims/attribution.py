"""Attribution: who says what a sentence reports.

"X said ...", "..., X said", "said X", "according to X", and the speaker of a quotation.
A subject is accepted only when nothing but auxiliaries, adverbs, time phrases or an
appositive stands between it and its verb, so "a charge both countries have denied"
is not attributed to the last country named before it.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .. import lexicon
from ..records import Actor
from .actors import Mention

# Words that may stand between a subject and its verb: "the Pentagon has not been able
# to verify", "Kirby, national security spokesman at the White House, confirmed on Oct. 23".
GAP_WORDS = (r"has|have|had|is|are|was|were|not|never|also|again|repeatedly|publicly|previously|flatly|strongly|firmly|"
             r"categorically|swiftly|quickly|already|still|now|only|yet|both|all|itself|themselves|then|later|"
             r"earlier|reportedly|officially|finally|initially|first|last|this|week|month|year|today|tonight|"
             r"yesterday|on|in|a|an|the|statement|separately|similarly|meanwhile|however|\w+day|\w+days|\w+ly|"
             r"jan\.?|feb\.?|mar\.?|apr\.?|may|jun\.?|jul\.?|aug\.?|sept?\.?|oct\.?|nov\.?|dec\.?|\d{1,2}(?:st|nd|rd|th)?")
GAP = re.compile(rf"^(?:\s|,|\)|\((?:[^)]{{0,30}})\)|\b(?:{GAP_WORDS})\b\.?)*$", re.I)
APPOSITIVE = re.compile(r"^\s*,[^,;“”\"]{1,90},\s*")
APPOSITIVE_GAP = re.compile(r"\s*(?:\([^)]{0,30}\))?\s*,(?:[^,;“”\"]|,\d){1,140},\s*(?:(?:has|have|had|also|on \w+)\s+)*")
# Verbs that may come before their speaker: '"...", said Carl Schuster'.
INVERTED = re.compile(r"said|says|added|adds|noted|notes|wrote|writes|explained|continued|warned|insisted", re.I)
# Clause boundaries: an attribution does not reach across them.
BOUNDARY = re.compile(r";|,\s*(?:while|whereas|but)\b|\bwhile\b")


@lru_cache(maxsize=1)
def _verbs() -> re.Pattern:
    lex = lexicon.load("reporting")
    return re.compile(rf"\b(?:{lexicon.alternation_regex(lex['verbs'])})\b", re.I)


@lru_cache(maxsize=1)
def _according() -> re.Pattern:
    return re.compile(rf"\b(?:{lexicon.alternation(lexicon.load('reporting')['according'])})\s+", re.I)


def gap_ok(gap: str) -> bool:
    """True when `gap` may separate a subject from its verb."""
    gap = re.sub(r"^\s*\([^)]{0,30}\)", " ", gap, count=1)
    gap = APPOSITIVE.sub(" ", gap, count=1)
    return bool(GAP.match(gap))


def subject_before(text: str, pos: int, found: list[Mention], usable=lambda m: True) -> Mention | None:
    """The actor that is the grammatical subject of the word at `pos`. A name inside an
    appositive ("the OCE, a group that deployed observers across Valcera, said") is not it."""
    before = [m for m in reversed(found) if m.end <= pos and usable(m)]
    if not before or not gap_ok(text[before[0].end:pos]):
        return None
    for earlier in before[1:]:
        if APPOSITIVE_GAP.fullmatch(text[earlier.end:pos]) and earlier.start < before[0].start:
            return earlier
    return before[0]


def speakers(text: str, found: list[Mention]) -> list[tuple[int, int, Mention]]:
    """(verb start, verb end, speaker) for each reporting verb with a speaker. Every figure and
    position of a sentence asks again with the same mentions: the last answer is kept, or a
    sentence with many figures and many speakers cost figures x verbs x mentions."""
    key, last = (text, tuple(found)), _LAST_SPEAKERS[0]
    if last[0] != key:
        last = _LAST_SPEAKERS[0] = (key, _speakers(text, found))
    return list(last[1])


_LAST_SPEAKERS: list = [(None, [])]     # one (key, answer) pair, replaced whole


def _speakers(text: str, found: list[Mention]) -> list[tuple[int, int, Mention]]:
    out = []
    for verb in _verbs().finditer(text):
        speaker = subject_before(text, verb.start(), found)
        if speaker is None and INVERTED.fullmatch(verb.group()):
            after = [m for m in found if m.start >= verb.end() and m.kind != "place"
                     and re.fullmatch(r"\s*(?:the\s+|a\s+)?", text[verb.end():m.start])]
            speaker = after[0] if after else None
        if speaker is not None:
            out.append((verb.start(), verb.end(), speaker))
    for match in _according().finditer(text):
        after = [m for m in found if m.start >= match.end() and
                 re.fullmatch(r"\s*(?:(?:the|a|an)\s+)?(?:(?:[\w-]+\s+){0,4}(?:by|from|of)\s+(?:the\s+)?)?", text[match.end():m.start])]
        if after:
            out.append((match.start(), match.end(), after[0]))
    return sorted(out, key=lambda s: s[0])


def source_of(text: str, pos: int, found: list[Mention]) -> Actor | None:
    """Who states what stands at `pos`: the outermost speaker before it in the same
    clause, else a speaker after it ('..., the ministry said'), else None (the outlet)."""
    said = speakers(text, found) + _possessive_counts(text, found)
    said.sort(key=lambda s: s[0])
    # The first speaker will do: looking for a clause boundary after every one of them,
    # for every figure, made a long sentence cubic.
    before = next((s for s in said if s[1] <= pos and not BOUNDARY.search(text, s[1], pos)), None)
    if before:
        return before[2].actor
    after = [s for s in said if s[0] >= pos]
    if after:
        return after[0][2].actor
    return None


POSSESSIVE_COUNT = re.compile(r"['’]s?\s+(?:[\w-]+\s+){0,2}(?:count|toll|tally|figures?|estimates?|data|numbers|death toll|report)\b", re.I)


def _possessive_counts(text: str, found: list[Mention]) -> list[tuple[int, int, Mention]]:
    """'The agency's count stood at 3,412': the count is the agency's."""
    out = []
    for mention in found:
        if mention.kind == "place":
            continue                          # "Valcera's vote count" is the country's, not a source
        match = POSSESSIVE_COUNT.match(text, mention.end)      # at the mention's end, without copying the rest
        if match:
            out.append((mention.end, match.end(), mention))
    return out


def quote_speaker(text: str, span: tuple[int, int], found: list[Mention]) -> Actor | None:
    """The speaker of the quotation at `span`: 'X said “...”' or '“...,” X said'."""
    said = speakers(text, found)
    outside = [s for s in said if s[1] <= span[0] or s[0] >= span[1]]
    if not outside:
        return None
    nearest = min(outside, key=lambda s: min(abs(s[0] - span[1]), abs(span[0] - s[1])))
    return nearest[2].actor


def quote_at(text: str, pos: int) -> tuple[int, int] | None:
    """The quotation (quote marks included) that `pos` falls in, if any."""
    marks = [m.start() for m in re.finditer(r"[\"“”]", text)]
    for a, b in zip(marks[::2], marks[1::2]):
        if a <= pos < b:
            return a, b + 1
    return None
