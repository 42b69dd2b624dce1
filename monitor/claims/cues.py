"""Stance cues found in a sentence: which words of stance.toml occur, on which scale and
stance, the longest winning where two overlap ('cannot confirm' over 'confirm')."""
from __future__ import annotations

import re
from functools import lru_cache

from .. import lexicon
from .numbers import FOLDS_TO_ASCII


@lru_cache(maxsize=1)
def _lex() -> dict:
    return lexicon.load("stance")


# A cue starts a word: no word character or hyphen before it.
CUE_START = r"(?<![\w-])"


@lru_cache(maxsize=1)
def _cues() -> list[tuple[str, str, re.Pattern, re.Pattern]]:
    """(scale, stance, fast, exact) per stance. `fast` is the cue pattern in lower case,
    without IGNORECASE, for the sentence in ASCII lower case: Python's regex engine is several
    times slower case-insensitively, and most sentences hold no cue. `exact` confirms each
    hit on the sentence itself, so the match (and the cue's words) are as written."""
    out = []
    for scale in ("truth", "action"):
        for stance, cues in _lex()[scale].items():
            source = rf"{CUE_START}(?:{lexicon.alternation_regex(cues)})(?![\w-])"
            out.append((scale, stance, lexicon.lowered_pattern(source), re.compile(source, re.I)))
    return out


@lru_cache(maxsize=1)
def _any_cue() -> re.Pattern:
    """Every fast cue pattern under one word-start check: it finds a match exactly where one
    of them would, and five sentences in six have none (the 181 benchmark pages), which it
    tells for 16 us against 33 us for the seven patterns one by one."""
    inner = [fast.pattern.removeprefix(CUE_START) for _, _, fast, _ in _cues()]
    return re.compile(rf"{CUE_START}(?:{'|'.join(inner)})")


# The start of a word, where a cue may begin.
WORD_START = re.compile(r"(?<![\w-])[a-z]")


@lru_cache(maxsize=1)
def _cue_buckets() -> dict[str, re.Pattern] | None:
    """Per first letter, the cues that can begin with it (lexicon.first_letters), or None when
    some cue's first letter cannot be told. Trying a word only against the cues of its first
    letter is 4 times faster than the whole alternation's search (1.85 -> 0.44 ms an article
    on the benchmark pages, the same sentences found), and five sentences in six hold no cue."""
    buckets: dict[str, list[str]] = {}
    for scale in ("truth", "action"):
        for cues in _lex()[scale].values():
            for cue in cues:
                letters = lexicon.first_letters(cue.lower())
                if letters is None:
                    return None
                for letter in letters:
                    buckets.setdefault(letter, []).append(cue)
    return {letter: lexicon.lowered_pattern(rf"(?:{lexicon.alternation_regex(cues)})(?![\w-])")
            for letter, cues in buckets.items()}


def _has_cue(lowered: str) -> bool:
    buckets = _cue_buckets()
    if buckets is None:
        return _any_cue().search(lowered) is not None
    for start in WORD_START.finditer(lowered):
        pattern = buckets.get(start.group())
        if pattern is not None and pattern.match(lowered, start.start()):
            return True
    return False


@lru_cache(maxsize=1)
def _stance_buckets() -> dict[str, list[tuple[int, re.Pattern]]] | None:
    """Per first letter, (index in _cues(), pattern) of each stance with cues that can begin
    with it: the stance's cues of that letter, in their order, so that its match at a word is
    the one its whole pattern gives there. None when _cue_buckets is."""
    if _cue_buckets() is None:
        return None
    out: dict[str, list] = {}
    for index, (scale, stance, _, _) in enumerate(_cues()):
        by_letter: dict[str, list[str]] = {}
        for cue in _lex()[scale][stance]:
            for letter in lexicon.first_letters(cue.lower()):
                by_letter.setdefault(letter, []).append(cue)
        for letter, cues in by_letter.items():
            out.setdefault(letter, []).append(
                (index, lexicon.lowered_pattern(rf"(?:{lexicon.alternation_regex(cues)})(?![\w-])")))
    return out


def _lowered(text: str) -> str:
    """`text` in lower case for the fast patterns: str.lower() (15 times faster than the
    translation beyond ASCII, and the same for them: numbers.find says why) unless the text
    holds a character that lower-casing turns into an ASCII letter."""
    return text.lower() if text.isascii() or not FOLDS_TO_ASCII.search(text) else text.translate(lexicon.ASCII_LOWER)


def _fast_hits(lowered: str) -> list[list[re.Match]] | None:
    """Per stance of _cues(), the fast pattern's matches (what its finditer gives), found in one
    pass over the words: a word is tried against the stances only where the cues of its first
    letter match at all (five sentences in six: nowhere). None when the letters cannot be told."""
    buckets, stances = _cue_buckets(), _stance_buckets()
    if buckets is None or stances is None:
        return None
    found: list[list[re.Match]] = [[] for _ in _cues()]
    ends = [0] * len(found)
    for start in WORD_START.finditer(lowered):
        pos = start.start()
        pattern = buckets.get(start.group())
        if pattern is None or not pattern.match(lowered, pos):
            continue
        for index, stance in stances[start.group()]:
            if pos >= ends[index] and (match := stance.match(lowered, pos)) is not None:
                found[index].append(match)
                ends[index] = match.end()
    return found


def _matches(text: str) -> list[tuple[str, str, re.Match]]:
    """Cue matches, the longest winning where two overlap ('cannot confirm' over 'confirm')."""
    lowered = _lowered(text)
    per_stance = _fast_hits(lowered)
    if per_stance is None:
        if _any_cue().search(lowered) is None:
            return []
        per_stance = [list(fast.finditer(lowered)) for _, _, fast, _ in _cues()]
    hits = [(scale, stance, exact_match) for (scale, stance, _, exact), found in zip(_cues(), per_stance) for m in found
            if (exact_match := exact.match(text, m.start())) is not None]
    if not hits:
        return []
    hits.sort(key=lambda h: (-(h[2].end() - h[2].start()), h[2].start()))
    kept: list = []
    for hit in hits:
        if not any(h[2].start() < hit[2].end() and hit[2].start() < h[2].end() for h in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h[2].start())


# Modality inside a complement says how strongly it is held; the verb before it only says that it
# is held: "had concluded it was 'highly likely' that ...", "confirmed the ruptures were most
# probably ...", "agreed it is a fact that ...". An impersonal copula ("it was", "there is") or a
# modal adverb in the complement's first words is that modality.
IMPERSONAL_GAP = re.compile(r"\s*(?:that\s+)?(?:it|this|there)\s+(?:is|was|were|had been|has been|would be|seemed|seems|appeared|appears)\s*[“”\"‘’']?\s*$", re.I)
MODAL_ADVERB = re.compile(r"(?:(?:most|very|highly|quite|overwhelmingly)\s+)?(?:probabl[ey]|likely|possibly|apparently)", re.I)
# Words a modal adverb may stand after its frame: "concluded | the ruptures were most | probably" (4);
# a longer run is another clause's modality.
FRAME_REACH_WORDS = 6
GAP_BREAK = re.compile(r"[;:.!?]|\b(?:but|while|although|said|says|told|added)\b", re.I)
FRAMES = ("confirms", "likely")


def framed(text: str, hits: list[tuple[str, str, re.Match]]) -> dict[int, re.Match]:
    """Outer truth cues whose complement carries its own modality: {the inner hit's index: the
    outer cue}. The outer cue's holder holds the inner stance; the outer cue reads nothing of its own."""
    out = {}
    for i in range(len(hits) - 1):
        (scale, stance, outer), (inner_scale, _, inner) = hits[i], hits[i + 1]
        if scale != "truth" or inner_scale != "truth" or stance not in FRAMES:
            continue
        gap = text[outer.end():inner.start()]
        if GAP_BREAK.search(gap) or len(gap.split()) > FRAME_REACH_WORDS:
            continue
        if IMPERSONAL_GAP.fullmatch(gap) or MODAL_ADVERB.fullmatch(inner.group()):
            out[i + 1] = outer
    return out
