"""What is no new figure of the story, though a number counts something: a date, a year, a
size ("an army with 1.2 million soldiers"), an adjective ("an eight-storey block"), an increment
("18 more bodies"), a sample, a total's make-up ("it includes the 30 deaths"), another year's
event, and counts quoted back as past ("up from 3,000", "had earlier given its own tally of 753").
Issue 14, classes 4 and 6. Read by figures.py for each number it has found a counted noun for.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .. import lexicon
from . import numbers
from .counts import GROUP_WORDS
from .scope import nationals, subgroups

# How far before a number the patterns that end at it are searched ("up from", "the original
# deployment of", "a population of", "the previous toll ... ", the clause the number is in),
# in characters. Searched over the whole text before the number, each cost the sentence's
# length per number: a 5 MB "sentence" of counts (cut into pieces of MAX_SENTENCE) took
# minutes. In the corpora (every number of every sentence of the stories, seeds, validation
# sets, extraction benchmark pages and saved feeds: 19,401 numbers) these patterns start at
# most 23 characters before the number ("original deployment of "), a word read before it
# ("fremdenfeindliche") is 18 long, and the clause reads the last 80 characters after a
# separator (",  while", ";"). 200 covers all with more than twice the margin; only a
# phrase padded past it (a 150-character word, a run of 100 spaces) reads differently.
BEFORE_WINDOW = 200

# A figure quoted back, not stated: "up from 2,041", "larger than the 800 troops officials
# had initially discussed", "the original deployment of 1,200".
PAST_BEFORE = re.compile(r"(?:\b(?:up|down)?\s*from|\b(?:larger|smaller|more|fewer|higher|lower|greater|less)\s+than"
                         r"(?:\s+the)?|\b(?:original|initial|previous|earlier|former)\s+(?:\w+\s+){0,2}of)\s*$", re.I)
PAST_AFTER = re.compile(r"^\s*(?:\w+\s+){0,2}(?:had\s+)?(?:initially|originally|previously|earlier)\b", re.I)
# A count given before the news, in the pluperfect: "had earlier given its own tally of 753".
HAD_EARLIER = re.compile(r"\bhad\s+(?:earlier|previously|initially|originally|first)\b[^.;:]{0,60}$", re.I)
# A count said not to have moved is the count held, restated: "has not updated its official count
# of 769 since September", "the count had not moved since Monday night: 11 dead".
UNMOVED = re.compile(r"\b(?:has|have|had)\s+not\s+(?:been\s+)?(?:updated|changed|moved|revised|risen|budged)\b|"
                     r"\b(?:has|have|had)n[’']t\s+(?:been\s+)?(?:updated|changed|moved|revised|risen|budged)\b", re.I)
# A statement dated before the news: "a month after police gave a final toll of 71".
# (Not "one week after the quake, police put the dead at 6,624": the news, dated by the event.)
LATER_THAN = re.compile(r"\b(?:a|an|one|two|three|four|five|six|several|\d+)\s+(?:days?|weeks?|months?|years?)\s+after\s+"
                        r"[^.;,]*?\b(?:gave|said|put|announced|reported|released|published)\b[^.;,]*$", re.I)


YEAR = re.compile(r"\b(19[0-9]{2}|20[0-9]{2})\b")
# An earlier year named after the count, in its clause, as the time of what it counts: "killed in
# the floods of 2010", "died in 2015", "the 1999 quake".
EARLIER_EVENT = re.compile(r"\b(?:of|in|during)\s+(?:the\s+)?(?:[a-z]+\s+){0,2}?((?:19|20)[0-9]{2})\b(?!\s*[-–]\s*\d)")


@lru_cache(maxsize=1)
def _background_patterns() -> tuple[re.Pattern, re.Pattern]:
    lex = lexicon.load("nouns")["background"]
    return (re.compile(rf"\b(?:{lexicon.alternation_regex(lex['before'])})\s*$", re.I),
            re.compile(rf"^\s*(?:{lexicon.alternation_regex(lex['after'])})\b", re.I))




# A number joined to a word by a hyphen is an adjective ("an eight-storey block", "a 10-year-old"),
# not a count (a margin's "300-vote lead" is read before).
COMPOUND_AFTER = re.compile(r"-[a-z]")
# A part of a total named as its make-up restates the total's parts, not a new count: "it includes
# the 30 deaths already confirmed", "made up of 790 bodies recovered and 13 who died in hospital".
# A group among the victims keeps its own subject ("including 26 foreigners").
PART_BEFORE = re.compile(r"\b(?:includes?|included|including|made\s+up\s+of|comprising|comprises|consisting\s+of)"
                         r"\s+(?:the\s+|all\s+)?(?:[\d,]+\s+[^,;.]{1,50}?\s+and\s+)?(?:(?:at\s+least|more\s+than|some|about)\s+)?$", re.I)


def population_named(counted) -> bool:
    """Whether the counted noun names a group among the victims ("26 foreigners", "12 Germans")."""
    return counted[1] in subgroups() or counted[1] in nationals() or counted[1] in GROUP_WORDS


# Deaths above what a period would have seen, an estimate of a toll, not an increment: "1,052 more
# people than usual died", "2,975 more deaths than expected".
EXCESS_AFTER = re.compile(r"\s+more\s+(?:people|deaths|dead)\s+than\s+(?:usual|normal|expected|average|would\s+have)", re.I)


# "the April 25 earthquake killed ...": a day of a month, not a count.
MONTH_BEFORE = re.compile(r"\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
                          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+$")
# "a sample of nearly 6,000 ballots": the size of a sample, not a count of what it samples.
SAMPLE_BEFORE = re.compile(r"\b(?:sample|survey|poll)\s+of\s+$", re.I)
# An increment is no total (issue 14, class 4): "a net gain of just six votes", "trimmed the
# lead by about 200", "18 more bodies were found"; the total it implies alerts only where stated.
INCREMENT_BEFORE = re.compile(r"\b(?:net\s+)?(?:gain|increase|rise|drop|fall|loss)\s+of\s+(?:just\s+|only\s+|about\s+|some\s+)?$|"
                              r"\b(?:gained|picked\s+up|trimmed|narrowed|widened|cut)\s+(?:[\w’'-]+\s+){0,3}?by\s+(?:just\s+|only\s+|about\s+|some\s+)?$", re.I)
INCREMENT_AFTER = re.compile(r"\s+(?:more|(?:most\s+)?recent|new|additional|further|other)\b", re.I)
# "added six deaths to the 10", "adding 45 deaths and 144 injuries": what a count grew by.
ADDED_BEFORE = re.compile(r"\b(?:added|adding|adds|add)\s+(?:another\s+|a\s+further\s+)?(?:[\d,]+\s+[a-z]+\s+and\s+)?$", re.I)
# The last day a month has.
MONTH_DAYS = 31


def _day_of_month(text: str, q: numbers.Quantity) -> bool:
    return not q.vague and q.qualifier is None and q.value <= MONTH_DAYS and \
        bool(MONTH_BEFORE.search(text, max(0, q.start - 12), q.start))




def _year_like(q: numbers.Quantity, counted) -> bool:
    """'in 1999 killed' is a year, not 1,999 deaths: news writes counts over 999 with commas."""
    if not re.fullmatch(r"(?:19|20)\d\d", q.text.strip()):
        return False
    return counted[0] in ("deaths", "injured", "missing", "displaced", "detained", "rescued") or not counted[1].endswith("s")


@lru_cache(maxsize=16)
def _historical(text: str) -> bool:
    """"the Black Death in the fourteenth century killed ...": read once per sentence."""
    return bool(re.search(r"\bcentur(?:y|ies)\b|\bin history\b|\bhistorically\b", text, re.I))


def _background(text: str, q: numbers.Quantity, year: int | None, cls: str) -> bool:
    """Counts that describe something else: a standing army, a past disaster, a count's progress."""
    # The text before the number, up to BEFORE_WINDOW characters: each pattern below ends at
    # the number (the search's end stands for the end of the text, and its start still sees
    # the character before it, so a word boundary there reads as in the whole text).
    lo = max(0, q.start - BEFORE_WINDOW)
    before = text[lo:q.start]
    pre, post = _background_patterns()
    if cls not in ("votes", "turnout") and pre.search(text, lo, q.start) or cls != "steps" and post.search(text[q.end:]):
        return True
    if cls not in CASUALTIES + ("votes", "turnout") and WITH_BEFORE.search(text, max(0, q.start - 12), q.start):
        return True                           # "an army with 1.2 million soldiers"; not "820 dead, with 672 injured"
    clause = re.split(r"[;:]|,\s*(?:while|but|whereas)\b", before)[-1][-80:]
    if _historical(text):
        return True
    later = re.split(r"[;:,]|\b(?:while|but|whereas|and|after|since)\b", text[q.end:q.end + 80])[0]
    if any(int(m.group(1)) < (year or 0) for m in EARLIER_EVENT.finditer(later)):
        return True                           # "1,700 people were killed in the floods of 2010"
    for match in YEAR.finditer(clause):
        since = re.search(r"\bsince\s+(?:\w+\s+)?$", clause[:match.start()], re.I)
        if int(match.group()) < (year or 10_000) and (not since or re.match(r"\s*,\s*when\b", clause[match.end():])):
            return True
    return bool(PREVIOUS_COUNT.search(text, lo, q.start))


# "with N": a size ("an army with 1.2 million soldiers") except where N counts casualties.
WITH_BEFORE = re.compile(r"\bwith\s+$", re.I)
CASUALTIES = ("deaths", "injured", "missing", "displaced", "rescued", "recovered", "identified", "accounted", "homes")
PREVIOUS_COUNT = re.compile(r"\b(previous|prior|earlier|last year's|former)\s+(toll|tally|count|estimate|figure)\b[^.]{0,20}$", re.I)


def not_a_figure(text: str, q: numbers.Quantity, end: int, counted, year: int | None) -> bool:
    """Whether the number at `q` (ending at `end`, counting `counted`: class, unit, noun end,
    modifiers) describes something else than a figure of the story."""
    cls = counted[0]
    return _background(text, q, year, cls) or _year_like(q, counted) or _day_of_month(text, q) \
        or bool(SAMPLE_BEFORE.search(text, max(0, q.start - 20), q.start)) \
        or bool(INCREMENT_BEFORE.search(text, max(0, q.start - 40), q.start)) \
        or bool(INCREMENT_AFTER.match(text, end) and cls != "margin" and not EXCESS_AFTER.match(text, end)) \
        or bool(ADDED_BEFORE.search(text, max(0, q.start - 40), q.start)) \
        or bool(COMPOUND_AFTER.match(text, end) and cls != "margin") \
        or bool(PART_BEFORE.search(text, max(0, q.start - 90), q.start) and not population_named(counted))


def is_past(text: str, q: numbers.Quantity, noun_end: int) -> bool:
    """Whether the figure is a value quoted back, not stated now ("up from 2,041")."""
    return bool(PAST_BEFORE.search(text, max(0, q.start - BEFORE_WINDOW), q.start) or PAST_AFTER.match(text[noun_end:])
                or HAD_EARLIER.search(text, max(0, q.start - 80), q.start)
                or UNMOVED.search(text) or LATER_THAN.search(text, max(0, q.start - BEFORE_WINDOW), q.start))
