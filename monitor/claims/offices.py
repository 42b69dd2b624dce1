"""Offices named by their portfolio in plain words, which the lexicon need not list: "the
secretary of public safety", "the finance ministry", "Fisheries Minister Ana Ruiz". Each is a
generic body of its country; actors.py takes them as units of a sentence.
"""
from __future__ import annotations

import re

from .names import _tables


# "the secretary of public safety", "minister of tourism and aviation": an office named by its
# portfolio in plain words, which the lexicon need not list.
PORTFOLIO = re.compile(r"\b(?:[Ss]ecretary|[Mm]inister|[Dd]irector|[Cc]ommissioner)\s+(?:for|of)\s+(?:the\s+)?"
                       r"((?!the\b|state\b|staff\b)[a-z]+(?:\s+(?:and\s+)?[a-z]+){0,2}?)"
                       r"(?=\s*[,.;:)]|\s+(?:said|says|told|who|whose|has|had|was|is)\b)")


# "the finance ministry", "the ministry of education", "Fisheries Minister Ana Ruiz": a ministry
# named by its portfolio in one word, which the lexicon need not list either. (A word the lexicon
# pairs with "minister" as a title of its own, "prime minister", is left to the lexicon.)
MINISTRY = re.compile(r"(?<![\w'’-])(?:(?P<word>[a-z]+|[A-Z][a-z]+)\s+(?:[Mm]inistry|[Mm]inister)|"
                      r"[Mm]inistry\s+of\s+(?:the\s+)?(?P<words>[a-z]+(?:\s+and\s+[a-z]+)?))\b(?!\s+of\b)")
# Words before "ministry" or "minister" that name no portfolio.
NO_PORTFOLIO = frozenset("""the a an former deputy senior junior cabinet chief first acting state new then his her its
their our this that any one another each every no other same said whose which top key prime vice assistant
government foreign defence defense interior health transport transportation minister ministry""".split())

# Every PORTFOLIO or MINISTRY match holds one of these.
PORTFOLIO_WORDS = ("ecretary", "inister", "irector", "ommissioner", "inistry")


def portfolios(text: str):
    """(start, end, generic body) of each office named by its portfolio. A portfolio the lexicon
    knows keeps its name ("minister of health": the health ministry); another is a department of
    its words ("secretary of public safety": the public safety department)."""
    if not any(word in text for word in PORTFOLIO_WORDS):
        return                                # (a cheap test first: most sentences name no office)
    generic = _tables()["generic"]
    for m in PORTFOLIO.finditer(text):
        words = m.group(1)
        known = generic.get(f"ministry of {words}") or generic.get(f"{words} ministry")
        office = "ministry" if m.group().lower().startswith("minister") else "department"
        yield m.start(), m.end(), known or f"{words} {office}"
    titles = _tables()["titles"]
    for m in MINISTRY.finditer(text):
        words = (m.group("word") or m.group("words")).lower()
        if words in NO_PORTFOLIO or f"{words} minister" in titles or f"{words} ministry" in generic:
            continue                          # the lexicon's own office, or no portfolio at all
        yield m.start("word") if m.group("word") else m.start(), m.end(), f"{words} ministry"
