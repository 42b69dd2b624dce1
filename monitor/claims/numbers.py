"""Numbers as news writes them: "1,500", "1.2 million", "two brigades of 6,000 each",
"at least 3,000", "close to 11,000", "18,000-20,000", "hundreds", "52.3%".

`find(text)` yields every quantity with its span, value, bounds and qualifier; `parse`
reads one number phrase; `format_number` writes a value the way `parse` reads it back.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicon


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    value: float
    low: float | None
    high: float | None
    qualifier: str | None
    vague: bool
    percent: bool
    currency: str | None
    text: str
    number_start: int = -1      # where the number itself begins, after any qualifier


DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# Quotes and emphasis may stand between a qualifier and its number: '"at least" 3,000'.
QUOTES = r"[\"“”‘’'*_]*"


@lru_cache(maxsize=1)
def _lex() -> dict:
    return lexicon.load("numbers")


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    lex = _lex()
    words = lexicon.alternation(lex["units"])
    scales = lexicon.alternation(lex["scales"])
    vague = lexicon.alternation(lex["vague"])
    currency = lexicon.alternation(lexicon.load("nouns")["currency"])
    number = (rf"(?:(?:{DIGITS})(?:\s*(?:{scales})\b)?|(?:\b(?:{words})(?:[\s-]+(?:{words}))*)(?:\s+(?:{scales})\b)*)")
    quals = lexicon.alternation(w for group in lex["qualifiers"].values() for w in group)
    quantity = (rf"(?:(?P<qual>\b(?:{quals}))\b{QUOTES}\s*{QUOTES})?(?P<cur>{currency})?\s?"
                rf"(?:(?P<vague>\b(?:{vague})\b)|(?P<num>{number}))(?P<pct>\s?(?:%|per\s?cent\b))?")
    # What every quantity holds: a digit, a number word or a vague quantity. Searching for
    # it first spares the full pattern (optional qualifier and currency before the number,
    # tried at every position) the two thirds of news sentences that hold none.
    trigger = rf"\d|\b(?:{words}|{vague})\b"
    # What a quantity's match begins with (or, where it begins with the white space `\s?` takes
    # before the number, what follows that): a qualifier, a currency, a vague quantity, a digit
    # or a number word, as one trie without word boundaries (a pattern that starts with \b or
    # an optional group is tried whole at every character; see _leftmost).
    starts = [w for group in lex["qualifiers"].values() for w in group] + list(lex["units"]) + list(lex["vague"]) + \
        list(lexicon.load("nouns")["currency"])
    return {
        "number": re.compile(number, re.I),
        "quantity": re.compile(quantity, re.I),
        "range": re.compile(rf"\s*(?P<conn>-|–|to|and)\s*(?P<num2>{number})(?P<pct>\s?(?:%|per\s?cent\b))?", re.I),
        "scale": re.compile(rf"\b({scales})\b", re.I),
        "trigger": re.compile(trigger, re.I),
        # The quantity pattern for a text in lower case (see find).
        "quantity_lower": lexicon.lowered_pattern(quantity),
        # `trigger` on the lowered text: a digit, else the words without word boundaries (a
        # superset, so no quantity is missed), 0.15 -> 0.1 ms an article on the benchmark pages:
        # a trie of letters alone lets the engine skip to its first letters, \b or \d before it
        # made it try every character.
        "digit": re.compile(r"\d"),
        "words_lower": lexicon.lowered_pattern(lexicon.alternation(list(lex["units"]) + list(lex["vague"]))),
        "lead_lower": lexicon.lowered_pattern(rf"{lexicon.alternation(starts)}|\d"),
        "multiply": re.compile(
            rf"^(?P<n>{number})\s+(?P<unit>{lexicon.alternation_regex(lexicon.load('nouns')['multipliers']['units'])})\s+of\s+"
            rf"{QUOTES}(?P<m>{DIGITS}|{words})(?:\s+\w+){{0,2}}?\s+each\b", re.I),
    }


def parse(phrase: str) -> float | None:
    """The value of one number phrase: '1,500' -> 1500, 'two thousand' -> 2000, '1.2 million'."""
    phrase = phrase.strip().lower().replace("-", " ")
    match = re.fullmatch(rf"({DIGITS})\s*(.*)", phrase)
    if match:
        value = float(match.group(1).replace(",", ""))
        return _apply_scales(value, match.group(2))
    return _parse_words(phrase)


def _apply_scales(value: float, rest: str) -> float | None:
    scales = _lex()["scales"]
    for word in rest.split():
        if word not in scales:
            return None
        value *= scales[word]
    return round(value, 6)      # 4.1 * 1e6 is 4099999.9999999995 in binary floating point


def _parse_words(phrase: str) -> float | None:
    units, scales = _lex()["units"], _lex()["scales"]
    total, current, seen = 0.0, 0.0, False
    for phrase_word in _word_tokens(phrase, units):
        if phrase_word in units:
            current += units[phrase_word]
        elif phrase_word in scales:
            current = (current or 1) * scales[phrase_word]
            if scales[phrase_word] >= 1000:
                total, current = total + current, 0.0
        else:
            return None
        seen = True
    return total + current if seen else None


def _next(pattern: re.Pattern, lower: re.Pattern, text: str, lowered: str | None, pos: int) -> re.Match | None:
    """The next match of `pattern` in `text` from `pos`, found on the lowered text when there is one."""
    if lowered is None:
        return pattern.search(text, pos)
    hit = _leftmost(lower, _patterns()["lead_lower"], lowered, pos)
    return None if hit is None else pattern.match(text, hit.start())


def _leftmost(lower: re.Pattern, lead: re.Pattern, lowered: str, pos: int) -> re.Match | None:
    """lower.search(lowered, pos), tried only where a match can begin. The quantity pattern
    opens with optional groups, so the regex engine tried it whole at every character (0.8 ms
    an article on the benchmark pages). A match begins where `lead` matches (its qualifier,
    currency, vague quantity or number), or one character before, at the white space taken
    before the number: both are tried, in order of position, the leftmost match winning."""
    start = pos
    while (hit := lead.search(lowered, start)) is not None:
        at = hit.start()
        if at > start and (match := lower.match(lowered, at - 1)) is not None:
            return match
        if (match := lower.match(lowered, at)) is not None:
            return match
        start = at + 1
    return None


def _word_tokens(phrase: str, units: dict) -> list[str]:
    """Words of a number phrase, keeping multi-word units ('a couple') together."""
    multi = sorted((u for u in units if " " in u), key=len, reverse=True)
    for unit in multi:
        phrase = phrase.replace(unit, unit.replace(" ", "_"))
    return [w.replace("_", " ") for w in phrase.split() if w != "and"]


# The characters beyond ASCII that a case-insensitive pattern matches to an ASCII letter
# (every code point tried against (?i)[a-z]; tests/test_speedups.py checks the list). A text
# holding one is read with the case-insensitive patterns, so the lower-case path finds the same.
FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


def find(text: str) -> list[Quantity]:
    """Every quantity in `text`, left to right, without overlaps. The text is searched in
    lower case without IGNORECASE (a third faster: the patterns are long alternations
    of number words), and each hit matched again on the text as written for its groups."""
    found, pos = [], 0
    # str.lower(), 15 times faster than ASCII_LOWER's translation on a text beyond ASCII, reads
    # the same for these patterns: it lowers only cased letters beyond ASCII besides, each to one
    # cased letter beyond ASCII of the same classes (\w, \d, \s), which no literal of a lowered
    # pattern is; the two that lower to ASCII are FOLDS_TO_ASCII (tests/test_speedups.py).
    lowered = text.lower() if text.isascii() or not FOLDS_TO_ASCII.search(text) else None
    patterns = _patterns()
    if not (patterns["trigger"].search(text) if lowered is None else
            patterns["digit"].search(lowered) or patterns["words_lower"].search(lowered)):
        return found                          # no digit and no number word: nothing to read
    pattern = patterns["quantity"]
    while (match := _next(pattern, patterns["quantity_lower"], text, lowered, pos)) is not None:
        quantity = _quantity(text, match) if match.group(0).strip() else None
        pos = max(match.end(), pos + 1)
        if quantity is not None and not _clock_or_code(text, quantity):
            found.append(quantity)
            pos = max(pos, quantity.end)
    return found


def _clock_or_code(text: str, q: Quantity) -> bool:
    """'0:00', '10:30', 'A320', 'MH17': digits glued to a colon or letters are not counts."""
    before, after = text[max(0, q.start - 1):q.start], text[q.end:q.end + 2]
    return before in (":", "/") or after.startswith((":", "/")) or (before.isalpha() and not q.vague)


def _quantity(text: str, match: re.Match) -> Quantity | None:
    qual = (match.group("qual") or "").lower() or None
    start = match.start("qual") if qual else match.start("cur") if match.group("cur") else \
        match.start("vague") if match.group("vague") else match.start("num")
    currency = _currency(match.group("cur"))
    if match.group("vague"):
        low, high = _lex()["vague"][" ".join(match.group("vague").lower().split())]
        return Quantity(start, match.end(), float(low), float(low), float(high), qual or match.group("vague").lower(),
                        True, bool(match.group("pct")), currency, text[start:match.end()])
    value = parse(match.group("num"))
    if value is None:
        return None
    span = _range(text, match, value)
    if span is not None:
        high, end, pct = span
        return Quantity(start, end, (value + high) / 2, value, high, qual or "range", False,
                        pct or bool(match.group("pct")), currency, text[start:end])
    low, high = _bounds(value, qual)
    return Quantity(start, match.end(), value, low, high, qual, False, bool(match.group("pct")), currency,
                    text[start:match.end()], match.start("num"))


def _currency(mark: str | None) -> str | None:
    if not mark:
        return None
    table = lexicon.load("nouns")["currency"]
    return table.get(mark.strip().lower()) or table.get(mark.strip())


def _range(text: str, match: re.Match, value: float) -> tuple[float, int, bool] | None:
    """'18,000-20,000' and 'between 5 and 9' are ranges; 'from 1,500 to 2,000' is a change."""
    follow = _patterns()["range"].match(text, match.end())
    if not follow:
        return None
    second = parse(follow.group("num2"))
    if second is None or second <= value:
        return None
    before = text[:match.start()].rstrip().lower()
    if follow.group("conn") == "and" and not before.endswith("between"):
        return None
    if before.endswith("from"):
        return None
    return second, follow.end(), bool(follow.group("pct"))


def _bounds(value: float, qual: str | None) -> tuple[float | None, float | None]:
    if qual is None:
        return None, None
    groups = _lex()["qualifiers"]
    if qual in groups["low"]:
        return value, None
    if qual in groups["high"]:
        return None, value
    return None, None


def multiplied(text: str) -> tuple[float, int] | None:
    """'two brigades of 6,000 people each' at the start of `text` -> (12000, length)."""
    match = _patterns()["multiply"].match(text)
    if not match:
        return None
    n, m = parse(match.group("n")), parse(match.group("m"))
    if n is None or m is None:
        return None
    return n * m, match.end()


def format_number(value: float) -> str:
    """'1,500', '12.5', '3 million': the forms `parse` reads back to the same value."""
    if 1_000_000 <= value < 1_000_000_000_000 and value % 100_000 == 0:
        return f"{value / 1_000_000:.1f}".removesuffix(".0") + " million"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
