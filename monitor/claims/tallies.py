"""Who keeps a count that no actor the lexicons know is named for: a news agency's running tally
("at least 2,411, according to a new count by the Associated Press", "the AP tally, now at
1,112"), a body the lexicons do not list ("196 bags, according to Basarnas"). Issue 14, class 5:
such a count is its keeper's, and the keeper's next count revises it; credited to the outlet,
two agencies' tallies would read as one source's.

Read by figures.py only where no speaker was found (attribution.source_of gave none): names
of agencies are left out of the actor lexicons on purpose, as they are page furniture ("Photo:
AFP") far more often than speakers.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .. import lexicon
from ..records import Actor
from .names import body_actor, not_names_lower

# A name: capitalised words (with "of", "for", "and" between), at most five.
NAME = r"(?P<name>[A-Z][\w.&’'-]*(?:\s+(?:of|for|and|[A-Z][\w.&’'-]*)){0,4})"
COUNT = r"(?:count|tally|toll|figures?|data|estimates?|records?|list)"
# Where the keeper is named: "according to a (new) count by X", "by a count kept by X",
# "according to X", "X's (running) count", "the X tally", ", X reported".
KEEPER = [
    re.compile(rf"\b(?i:according\s+to|by|in|under)\s+(?:a|an|the)?\s*(?:[\w-]+\s+){{0,2}}?{COUNT}\s+"
               rf"(?:(?:kept|compiled|maintained|published|released|issued)\s+)?(?:by|from|of)\s+(?:the\s+)?{NAME}\b"),
    re.compile(rf"\baccording\s+to\s+(?:the\s+)?{NAME}(?=\s*[,.;]|\s*$|\s+(?:on|in|at|late|early|which|figures|data)\b)"),
    re.compile(rf"(?:^|\bthe\s+|\bThe\s+){NAME}(?:['’]s?)?\s+(?:(?:own|running|new|latest|updated|official)\s+)?{COUNT}\b"),
    re.compile(rf"[,—–-]\s*(?:the\s+)?{NAME}\s+(?:said|reported|says|reports|counted|tallied)\b"),
]
# "The AP tally, now at 1,112": a count named by its keeper leads to its number, within this many
# characters (24 in that example; the longest in the stories is under 40).
OWNED, OWNED_REACH = 2, 40
# Words that start no keeper's name: pronouns, a sentence's opening words, officials unnamed.
NOT_KEEPERS = {"it", "he", "she", "they", "we", "i", "this", "that", "these", "those", "officials", "authorities",
               "police", "rescuers", "witnesses", "residents", "sources", "experts", "analysts", "a", "an", "the"}


@lru_cache(maxsize=1)
def _agencies() -> frozenset[str]:
    return frozenset(lexicon.load("actors")["words"].get("agencies", []))


def _usable(name: str) -> bool:
    words = name.split()
    if words[0].lower() in NOT_KEEPERS:
        return False
    if name in _agencies() or re.fullmatch(r"[A-Z]{2,7}", name):
        return True                           # a news agency, an acronym ("NDMA", "IRNA")
    return not any(word.lower() in not_names_lower() for word in words)


def keeper(text: str, pos: int) -> Actor | None:
    """The keeper of the count stated at `pos`, named in the same sentence, or None."""
    for index, end, name in _keepers(text):
        if index == OWNED and not 0 <= pos - end <= OWNED_REACH:
            continue                          # "the X estimate holds ... whose toll was 1,833": another count
        return body_actor(name, None, True)
    return None


@lru_cache(maxsize=16)
def _keepers(text: str) -> tuple[tuple[int, int, str], ...]:
    """(pattern index, match end, name) of each usable keeper named in a sentence, in the order
    keeper() tries them: read once per sentence, not once per number (a giant sentence of counts
    made that quadratic: tests/test_linear.py)."""
    out = []
    for index, pattern in enumerate(KEEPER):
        for match in pattern.finditer(text):
            name = match.group("name").rstrip(".’'")
            if _usable(name):
                out.append((index, match.end(), name))
    return tuple(out)
