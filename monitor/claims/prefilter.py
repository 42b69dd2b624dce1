"""Searching word-list patterns fast: a pattern that starts with lookbehinds (or \\b) is
searched for by what its matches begin with, then tried whole only there (Prefiltered); a
sentence is lowered once for all the case-insensitive lists that ask for it, and their leads
are searched for in one pass per sentence (_Shared)."""
from __future__ import annotations

import bisect
import re

from .. import lexicon


class Prefiltered:
    """A pattern that starts with lookbehinds (or \\b), searched in two steps, with the
    matches the pattern itself gives. Lookbehinds first keep the regex engine from scanning
    for the alternation's first letters, so it tried them at every character of every
    sentence (the place pattern: 0.57 ms an article). Here `lead`, which matches wherever the
    whole pattern does (its alternation alone), is scanned for fast, and the whole pattern is
    tried only where `lead` matched, from the leftmost such place on, as the whole pattern's
    own search would have tried it (a lookbehind sees the text before `pos`, as there).

    `shifted`: `lead` starts one character before the whole pattern (the character its
    lookbehind allows), so a match at the very start of the text is tried directly.
    `lowered`: `lead` is in lower case and searched in the text lowered (an IGNORECASE
    alternation is tried branch by branch at every word; a lower-case one is skipped by its
    first letters); a text holding a character that lower-casing would lengthen or that
    IGNORECASE matches to an ASCII letter (numbers.FOLDS_TO_ASCII) is searched plainly."""

    def __init__(self, pattern: re.Pattern, lead: re.Pattern, shifted: bool = False, lowered: bool = False,
                 share: bool = True, required: re.Pattern | None = None):
        self.whole, self.lead, self.shifted, self.lowered = pattern, lead, shifted, lowered
        self.required = required              # (lowered only) one of these literals is in every match
        self.pattern, self.flags = pattern.pattern, pattern.flags
        self.shared = _SHARED if share and lowered and _SHARED.add(lead) else None

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match | None:
        return next(self.finditer(text, pos, endpos), None)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        endpos = len(text) if endpos is None else min(endpos, len(text))
        pos = max(pos, 0)
        target = text
        if self.lowered:
            target = _lowered(text)
            if target is None:
                yield from self.whole.finditer(text, pos, endpos)
                return
            if self.required is not None and self.required.search(target, pos, endpos) is None:
                return
        whole, shift = self.whole.match, int(self.shifted)
        if shift and pos == 0:                # no character before the start: tried as it is
            match = whole(text, 0, endpos)
            if match is not None:
                yield match
                pos = match.end() if match.end() > 0 else 1
        for at in self._leads(text, target, endpos, max(pos - shift, 0)):
            if at < pos - shift:
                continue                      # inside the last match
            start = at + shift
            match = whole(text, start, endpos)
            if match is None:
                continue
            yield match
            pos = match.end() if match.end() > start else start + 1   # (no phrase is empty)

    def _leads(self, text: str, target: str, endpos: int, pos: int):
        """The places from `pos` on where `lead` matches in `target`, in order, as the search
        from each place after the last match found them. Over a whole text, a shared pattern's
        are among the places _Shared found there, and only those are tried; a part of a text
        (`endpos` before its end) is searched as it is. (A generator: the loop above runs
        once per pattern and sentence, 14 times a sentence, and was a closure and a bisection
        per place.)"""
        if self.shared is None or endpos != len(text):
            search = self.lead.search
            while (hit := search(target, pos, endpos)) is not None:
                yield hit.start()
                pos = hit.start() + 1
            return
        places, match = self.shared.places(text, target), self.lead.match
        for i in range(bisect.bisect_left(places, pos), len(places)):
            if match(target, places[i]) is not None:
                yield places[i]

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match | None:
        return self.whole.match(text, pos, len(text) if endpos is None else endpos)


# What a word-list pattern of the claim stage opens with: no word character or hyphen before it.
WORD_START = r"(?<![\w-])"


def words_pattern(source: str) -> Prefiltered:
    """`source`, a case-insensitive pattern that opens with WORD_START, searched by its lead:
    the rest in lower case after the character WORD_START allows, in the text lowered (the
    lookbehind, and IGNORECASE, made the engine try the whole alternation at every character).
    And before that, the literals one of which every match holds (lexicon.required_literals)
    are looked for, in one pass without word boundaries: a sentence that holds none is done
    with. The course nouns 0.39 -> 0.25 ms an article on the benchmark pages, the course
    predicates 0.22 -> 0.16. Its matches are those of the pattern itself; a text that cannot
    be lowered is searched plainly."""
    if not source.startswith(WORD_START):
        raise ValueError(f"not a word-list pattern: {source[:40]}")
    lead = lexicon.lowered_pattern(r"[^\w-]" + source[len(WORD_START):])
    literals = lexicon.required_literals(source)
    required = re.compile(lexicon.alternation(literals, space=" ")) if literals else None
    return Prefiltered(re.compile(source, re.I), lead, shifted=True, lowered=True, share=False, required=required)


# Texts whose lead places _Shared keeps at most: the claim stage forgets them at each article
# (forget()), whose sentences it holds anyway; this bounds other callers. Home_place reads every
# sentence before the walk reads them one by one, so an article's must all be kept: the longest
# of the benchmark pages has 512.
SHARED_TEXTS = 4096


class _Shared:
    """The leads of the lowered word lists (bodies, titles, generic bodies: names.py) searched
    for in one pass per text: each is "[^\\w.](?:<trie>)", and one pattern of the three tries
    finds every place where one of them matches (0.36 -> 0.18 ms an article on the benchmark
    pages, for the three searches each pattern made). The places are kept per text: one list
    reads a sentence for its titles before its bodies and generic bodies are asked for."""

    PREFIX = r"[^\w.]"

    def __init__(self):
        self.sources: list[str] = []
        self.union: re.Pattern | None = None
        self.found: dict[str, list[int]] = {}

    def add(self, lead: re.Pattern) -> bool:
        """Take `lead` in, if it starts as the others do; False if not."""
        if not lead.pattern.startswith(self.PREFIX) or lead.flags & ~re.UNICODE:
            return False
        self.sources.append(lead.pattern[len(self.PREFIX):])
        self.union, self.found = None, {}
        return True

    def places(self, text: str, target: str) -> list[int]:
        """Every place where one of the leads matches `target` (`text` lowered), in order."""
        found = self.found.get(text)
        if found is None:
            if self.union is None:
                self.union = re.compile(self.PREFIX + "(?:" + "|".join(f"(?:{s})" for s in self.sources) + ")")
            found, start, search = [], 0, self.union.search
            while (hit := search(target, start)) is not None:
                found.append(hit.start())
                start = hit.start() + 1
            if len(self.found) >= SHARED_TEXTS:
                self.found.clear()
            self.found[text] = found
        return found


_SHARED = _Shared()


def forget() -> None:
    """Drop the lead places kept for the texts read so far (a new article begins)."""
    _SHARED.found = {}


def _lower_lead(source: str) -> re.Pattern:
    """lexicon.lowered_pattern, for a pattern of literal phrases (an alternation's: no character
    classes but escaped ones), with each cased letter beyond ASCII made a dot."""
    parts = re.split(r"(\\.|\[\^\\w\.\])", source)        # escapes and the leading class stay as written
    return re.compile("".join(p if p.startswith(("\\", "[^")) else
                              "".join(c.lower() if c.isascii() else "." if c.lower() != c.upper() else c for c in p)
                              for p in parts))


# Characters beyond ASCII that IGNORECASE matches to an ASCII letter, or that str.lower()
# lengthens (U+0130): numbers.FOLDS_TO_ASCII.
_FOLDS = re.compile("[\u0130\u0131\u017f\u212a]")
_LOWERED: list = [("", "")]


def _lowered(text: str) -> str | None:
    """`text` in lower case, character for character (the last one asked for is kept: the
    patterns of a sentence ask for it in turn), or None when lower-casing would not do."""
    entry = _LOWERED[0]
    if entry[0] is not text:
        entry = (text, text.lower() if text.isascii() or not _FOLDS.search(text) else None)
        _LOWERED[0] = entry
    return entry[1]
