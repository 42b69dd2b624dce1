"""Sentences of an article and the quoted spans inside them.

A rule-based splitter: news prose is regular enough, and a model would need data we
cannot download. Abbreviations that end in a period ("U.S.", "Rep.", "Oct.") do not end
a sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations common in news copy; a period after them is not a sentence end.
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "rep", "sen", "gov", "gen", "lt", "col", "maj", "capt", "sgt", "adm",
    "cmdr", "prof", "rev", "jr", "sr", "no", "vs", "etc", "inc", "ltd", "co", "corp", "dept", "est",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k",
    "u.n", "e.u", "d.c", "a.m", "p.m", "approx", "fig", "op", "al", "mt", "ft",
}
END = re.compile(r"""[.!?…]+["”’')\]]*(?=\s+["“‘(\[]?[A-Z0-9])""")
QUOTE = re.compile(r"[\"“”]")
WORD_END = re.compile(r"[\w.]+\Z")
# The longest word read as an abbreviation in the corpora (every article of the stories,
# seeds, validation sets, extraction benchmark pages and saved feeds) is "approx", 6
# characters; a longer run before a period is a word, not an abbreviation. Reading at most
# this many characters back keeps a 5 MB word before a period from costing its length.
MAX_ABBREVIATION = 32
# The longest sentence in the same corpora is 2,594 characters (a shell log in a feed item;
# prose tops out near 1,400: 99.9% are under 1,300). Longer "sentences" are cut into pieces
# of at most this size (the longest, with half again for margin), so that no later stage,
# several of which read a sentence once per number or mention in it, pays for a megabyte.
MAX_SENTENCE = 4_000


@dataclass(frozen=True)
class Sentence:
    text: str
    paragraph: int
    index: int          # position in the article, from 0

    def quote_spans(self) -> list[tuple[int, int]]:
        """(start, end) of each quoted passage, quotes included."""
        marks = [m.start() for m in QUOTE.finditer(self.text)]
        return [(marks[i], marks[i + 1] + 1) for i in range(0, len(marks) - 1, 2)]

    def in_quote(self, pos: int) -> tuple[int, int] | None:
        return next(((a, b) for a, b in self.quote_spans() if a <= pos < b), None)


def split(paragraphs: list[str]) -> list[Sentence]:
    out: list[Sentence] = []
    for p, para in enumerate(paragraphs):
        for sentence in _split_paragraph(para):
            for piece in _cut(sentence):
                out.append(Sentence(piece, p, len(out)))
    return out


def _split_paragraph(text: str) -> list[str]:
    """One pass over the paragraph: each sentence end is looked at once, with the word before
    it read backwards at most MAX_ABBREVIATION characters and the quotes counted as we go, so
    the cost is linear however long a word, a run of abbreviations or an open quote is."""
    pieces, start, quotes = [], 0, _Quotes(text)
    for match in END.finditer(text):
        if _is_abbreviation(_word_before(text, start, match.start())):
            continue
        if quotes.open_between(start, match.end()) and not match.group().rstrip(".!?…"):
            continue
        pieces.append(text[start:match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        pieces.append(tail)
    return [p for p in pieces if p]


def _word_before(text: str, start: int, period: int) -> str:
    """The run of word characters and dots before the period at `period` ("U.S", "Rep"), or
    "" when there is none or it is longer than any abbreviation."""
    if text[period] != ".":
        return ""
    window = text[max(start, period - MAX_ABBREVIATION - 1):period]
    word = WORD_END.search(window)
    if word is None or (word.start() == 0 and period - len(window) > start and _is_word(text[period - len(window) - 1])):
        return ""
    return word.group()


def _is_word(char: str) -> bool:
    return char == "." or char.isalnum() or char == "_"


class _Quotes:
    """Quote marks counted from the paragraph's start, so that any span's counts are a subtraction."""

    def __init__(self, text: str):
        self.text, self.upto, self.counts = text, 0, {"“": 0, "”": 0, '"': 0}
        self.at_start, self.start = dict(self.counts), 0

    def open_between(self, start: int, end: int) -> bool:
        """A sentence end inside a quotation that is still open does not end the sentence."""
        if start != self.start:
            self._advance(start)
            self.start, self.at_start = start, dict(self.counts)
        self._advance(end)
        n = {k: self.counts[k] - self.at_start[k] for k in self.counts}
        return n["“"] > n["”"] or n['"'] % 2 == 1

    def _advance(self, pos: int) -> None:
        chunk = self.text[self.upto:pos]
        for mark in self.counts:
            self.counts[mark] += chunk.count(mark)
        self.upto = max(self.upto, pos)


def _cut(sentence: str) -> list[str]:
    """A sentence longer than MAX_SENTENCE in pieces, each cut at its last space if it has one:
    the later stages look at each sentence as a whole, and a megabyte "sentence" is no prose."""
    if len(sentence) <= MAX_SENTENCE:
        return [sentence]
    pieces, start = [], 0
    while len(sentence) - start > MAX_SENTENCE:
        cut = sentence.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > 0 else start + MAX_SENTENCE
        pieces.append(sentence[start:cut].strip())
        start = cut
    pieces.append(sentence[start:].strip())
    return [p for p in pieces if p]


def _is_abbreviation(word: str) -> bool:
    low = word.lower()
    return low in ABBREVIATIONS or bool(re.fullmatch(r"([a-z]\.)+[a-z]?", low)) or len(low) == 1


