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
        for piece in _split_paragraph(para):
            out.append(Sentence(piece, p, len(out)))
    return out


def _split_paragraph(text: str) -> list[str]:
    pieces, start = [], 0
    for match in END.finditer(text):
        word = re.search(r"([\w.]+)\.$", text[start:match.start() + 1])
        if word and _is_abbreviation(word.group(1)):
            continue
        if _inside_open_quote(text[start:match.end()]) and not match.group().rstrip(".!?…"):
            continue
        pieces.append(text[start:match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        pieces.append(tail)
    return [p for p in pieces if p]


def _is_abbreviation(word: str) -> bool:
    low = word.lower()
    return low in ABBREVIATIONS or bool(re.fullmatch(r"([a-z]\.)+[a-z]?", low)) or len(low) == 1


def _inside_open_quote(text: str) -> bool:
    """A sentence end inside a quotation that is still open does not end the sentence."""
    return text.count("“") > text.count("”") or text.count('"') % 2 == 1
