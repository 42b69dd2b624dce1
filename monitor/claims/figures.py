"""Figures: a quantity, the thing it counts, its scope and who states it.

"South Korea's spy agency said it had confirmed that North Korea sent 1,500 special
operation forces to Russia" gives troops (North Korea) = 1,500 from South Korea's
intelligence service. A number with no counted noun (a date, an age, a clock time, a
flight number) is not a figure; neither is a background count ("with 1.2 million
soldiers", "a 1999 quake killed 17,000").
"""
from __future__ import annotations

import itertools
import re
from functools import lru_cache

from .. import lexicon
from ..records import Figure
from . import counts, numbers, tallies
from .actors import Mention, _tables as actor_tables
from .background import BEFORE_WINDOW, is_past, not_a_figure
from .attribution import quote_speaker, quote_at as _quote_at, source_of
from .scope import NATIONAL, nationals, scope
from .sentences import Sentence

# How many modifier words may stand between a number and its noun:
# "10,000 North Korean infantry troops" has three.
MAX_MODIFIERS = 4
# How far around a number a casualty word or a toll phrase is looked for, in characters:
# "30 soldiers were reportedly killed" is 28; a whole clause is rarely over 60.
CASUALTY_WINDOW = 40
TOLL_WINDOW = 120
STOP = {"of", "in", "to", "from", "at", "for", "with", "by", "on", "and", "or", "were", "was", "are", "is", "have",
        "has", "had", "be", "been", "being", "that", "who", "which", "the", "a", "an", "as", "than", "into", "since",
        "after", "before", "during", "while", "but", "per", "each", "this", "these", "its", "their", "his", "her"}
RECOVERED = re.compile(r"\b(?:recovered|retrieved|pulled (?:out|from)|found|buried)\b", re.I)
IDENTIFIED = counts.IDENTIFIED
IDENTIFIED_BEFORE = re.compile(r"\b(?:identified|identifying)\s+(?:the\s+(?:remains|bodies)\s+of\s+)?(?:(?:at\s+least|more\s+than|about|some)\s+)?$", re.I)


@lru_cache(maxsize=1)
def _nouns() -> dict:
    return lexicon.load("nouns")


@lru_cache(maxsize=1)
def _class_patterns() -> list[tuple[str, re.Pattern]]:
    return [(name, re.compile(rf"(?:{lexicon.alternation_regex(spec['nouns'])})\b", re.I))
            for name, spec in _nouns()["classes"].items()]


@lru_cache(maxsize=1)
def _any_class() -> tuple[re.Pattern | None, dict[str, str]]:
    """The class patterns as one alternation, each in a group of its own, in their order: its
    match at a place is the first class pattern's that matches there, as trying them in turn
    found it (a match ends with the class's group: lastgroup names it). None if a pattern
    refers to a group by number or name, which the joining would break."""
    names = {f"c{i}": name for i, (name, _) in enumerate(_class_patterns())}
    sources = [pattern.pattern for _, pattern in _class_patterns()]
    if any(re.search(r"\\[1-9]|\(\?P=|\(\?\(", s) for s in sources):
        return None, names
    return re.compile("|".join(f"(?P<c{i}>{s})" for i, s in enumerate(sources)), re.I), names


@lru_cache(maxsize=1)
def _casualty_patterns() -> list[tuple[str, re.Pattern]]:
    return [(name, re.compile(rf"\b(?:{lexicon.alternation(words)})\b", re.I)) for name, words in _nouns()["casualty"].items()]


# The words a toll phrase's number follows: "the death toll rose to", "the toll stood at".
TOLL_WORDS = ("rose", "risen", "rising", "climbed", "climbing", "reached", "stood", "stands", "hit", "jumped", "increased",
              "passed", "surpassed", "topped", "exceeded", "is", "was", "now", "at", "to", "of")
TOLL_LEAD = rf"\b(?:{'|'.join(TOLL_WORDS)})(?:\s+(?:to|at))?\s*$"
# TOLL_LEAD can match only where the text's last word, white space apart, is one of its words
# (the last of them, "to" or "at", is one too): that word is read first, from a tail one
# character longer than the longest of them (a longer word is none of them).
_TOLL_SET = frozenset(TOLL_WORDS)
_TOLL_TAIL = max(map(len, TOLL_WORDS)) + 1
_LAST_WORD = re.compile(r"\w+\Z")


@lru_cache(maxsize=1)
def _toll_pattern() -> re.Pattern:
    phrases = [(name, p) for name, group in _nouns()["toll_phrases"].items() for p in group]
    body = "|".join(f"(?P<{name}_{i}>\\b(?:{p}))" for i, (name, p) in enumerate(phrases))
    return re.compile(rf"(?:{body})\b[^;]{{0,90}}?{TOLL_LEAD}", re.I)


@lru_cache(maxsize=1)
def _toll_lead() -> re.Pattern:
    """The end of the toll pattern alone: searched first, as most numbers follow none of its
    words (92% of the numbers in the benchmark pages), and it costs a fifth of the whole pattern,
    which tries every toll phrase at every position (5 us against 26 us a number)."""
    return re.compile(TOLL_LEAD, re.I)


def alerting(cls: str) -> bool:
    """Whether figures of this class raise alerts (some are only context: a population, an
    amount of money whose purpose is not read)."""
    return cls != "money" and _nouns()["classes"].get(cls, {}).get("alert", True)


def figures(sentence: Sentence, found: list[Mention], year: int | None) -> list[Figure]:
    """The figures stated in one sentence."""
    text, out = sentence.text, []
    quantities = numbers.find(text)
    skip_until = -1
    for q in quantities:
        if q.start < skip_until:
            continue
        figure, skip_until = _figure(text, q, found, year)
        if figure is not None:
            out.append(figure)
    return out


def _figure(text: str, q: numbers.Quantity, found: list[Mention], year: int | None):
    multiplied = numbers.multiplied(text[q.number_start:]) if q.number_start >= 0 else None
    value, end = (multiplied[0], q.number_start + multiplied[1]) if multiplied else (q.value, q.end)
    named = None if q.currency or q.percent else counts.step(text, end)
    counted = (named.cls, named.unit, named.end, "") if named else _counted(text, q, end, multiplied is not None)
    if named is None and counted is None and not q.currency and not q.percent:
        named = _named(text, q, end, found)
    if named is not None:
        counted = (named.cls, named.unit, named.end, "")
    lead = counts.margin(text, q.start, end) if counted is None or counted[0] in MARGIN_CLASSES else None
    if lead is not None:
        named, counted = lead, (lead.cls, lead.unit, lead.end, "")
    if counted is None or not_a_figure(text, q, end, counted, year):
        return None, end
    cls, unit, noun_end, modifiers = counted
    low, high = (q.low, q.high) if not multiplied else (None, None)
    quoted = _quote_at(text, q.start)
    source = (quote_speaker(text, quoted, found) if quoted else None) or source_of(text, q.start, found) \
        or tallies.keeper(text, q.start)
    who = _who(cls, text, q, found, source)
    if cls in GIVER_CLASSES:                  # each donor's aid, each campaign's sums: never one pool
        who = source.levels[-1][1] if source else None
    cls, who = _casualty(text, q, noun_end, cls, who)
    place, population = (named.place, named.population) if named is not None else \
        scope(text, q, noun_end, modifiers, found, cls, unit)
    if population == counts.OWN:              # "its count of dead nationals": the source's country's
        population = next((name for key, name in source.levels if key.startswith("g:")), None) if source else None
        if population is None:
            return None, end                  # whose people, unknown: no subject it could be kept under
    past = is_past(text, q, noun_end)
    quote = text[q.start:noun_end].strip()
    return Figure(cls, who, place, value, low, high, q.qualifier, q.vague, unit, source,
                  text, quote, past, population), end


# Money a giver states for itself: aid pledged, sums raised. Keyed by the giver.
GIVER_CLASSES = ("aid", "raised")
# Classes a margin's number is otherwise read as: "a lead of 930 votes" is no count of votes.
MARGIN_CLASSES = ("votes", "delegates", "people")
# Qualifiers that are the verb of a count named before the number: "the number killed has passed 100".
VERB_QUALIFIERS = ("passed", "topped", "surpassed", "exceeded", "exceeding")


def _named(text: str, q: numbers.Quantity, end: int, found: list[Mention]):
    """What a number with no counted noun after it counts, from the words around it (counts.py)."""
    verb = q.qualifier in VERB_QUALIFIERS
    named = counts.count_before(text, q.start, verb, found, end) or counts.part_of_dead(text, end) \
        or counts.breakdown(text, q.start, end, actor_tables()["places"])
    if named is not None:
        return named
    toll = None if q.vague else _toll_before(text[max(0, q.start - TOLL_WINDOW):q.start])
    if toll:
        return counts.Named(toll, toll, end)  # "the death toll rose to 17,134"
    return counts.elided_after(text, end) or counts.open_noun(text, q.start, end)


def _counted(text: str, q: numbers.Quantity, end: int, multiplied: bool):
    """(class, unit, end of noun, modifier words) of what the number counts, or None."""
    if q.currency:
        return (counts.money_purpose(text, q.start, end) or "money"), q.currency, end, ""
    if q.percent:
        return _percent(text, q)
    after = text[end:]
    if q.vague:
        of = re.match(r"\s*of\s+(?:the\s+)?", after)
        if not of:
            return None
        after, end = after[of.end():], end + of.end()
    found = _noun_after(after)
    if found is not None:
        cls, unit, length, modifiers = found
        return cls, unit, end + length, modifiers
    national = NATIONAL.match(after)
    if national and national.group(1) in nationals():
        return "people", national.group(1), end + national.end(), ""   # "five Iranians among the dead"
    if multiplied:
        return "troops", "people", end, ""
    return None                               # what the words around it count: _named


WORD = re.compile(r"[\w’'-]+")


def _noun_after(after: str):
    lead = re.match(r"[\s\"“”’'*]*", after)
    pos = lead.end()
    # Only the first few words can lead to the noun: finding every word of the rest of the
    # sentence for each number made a sentence of numbers quadratic.
    words = list(itertools.islice(WORD.finditer(after, pos), MAX_MODIFIERS + 1))
    joined, names = _any_class()
    for i in range(min(MAX_MODIFIERS, len(words)) + 1):
        start = words[i].start() if i < len(words) else len(after)
        if i and re.search(r"[,;:.)]", after[pos:start]):
            return None                       # "the eight-storey block fell, bodies ...": another clause's noun
        if joined is not None:
            match = joined.match(after, start)
            if match:
                return names[match.lastgroup], match.group().lower(), match.end(), after[pos:start]
        else:
            for name, pattern in _class_patterns():
                match = pattern.match(after, start)
                if match:
                    return name, match.group().lower(), match.end(), after[pos:start]
        if i < len(words) and (words[i].group().lower() in STOP or re.search(r"[,;:.)]", after[pos:start])):
            return None
    return None


def _may_end_a_toll(before: str) -> bool:
    """False where TOLL_LEAD cannot match `before` (which opens with \\b, so a search tried the
    whole alternation at every character: the toll check 0.18 -> 0.09 ms an article on the
    benchmark pages)."""
    last = _LAST_WORD.search(before.rstrip()[-_TOLL_TAIL:])
    if last is None or len(last.group()) >= _TOLL_TAIL:
        return False
    return last.group().lower() in _TOLL_SET or not last.group().isascii()   # (a word beyond ASCII: the pattern decides)


def _toll_before(before: str) -> str | None:
    if not _may_end_a_toll(before[-TOLL_WINDOW:]) or not _toll_lead().search(before[-TOLL_WINDOW:]):
        return None                           # what every toll phrase ends with is not there
    match = _toll_pattern().search(before[-TOLL_WINDOW:])
    if not match:
        return None
    name = next(k for k, v in match.groupdict().items() if v)
    return name.rsplit("_", 1)[0]


# A share "of the vote" needs a holder: "Mendoza had 52.8%", "41.9% for Arrieta",
# "put Arrieta at 41.8%", "gave Mendoza 53.0%".
HOLDER_BEFORE = re.compile(r"(?:\bhad|\bwon|\bwinning|\bgot|\breceived|\btook|\bsecured|\bgarnered|\bat|\bon|"
                           r"\bwith|\bgave\s+[\w\s.’'-]{2,40}?|\bput\s+[\w\s.’'-]{2,40}?\s+at)?\s*$", re.I)


@lru_cache(maxsize=16)
def _about_votes(text: str) -> bool:
    """Whether a sentence speaks of a vote: read once per sentence, not once per share in it."""
    return bool(re.search(r"\b(vote|votes|ballots|count|election|poll|polls|runoff|candidate)\b", text, re.I))


def _percent(text: str, q: numbers.Quantity):
    after, before = text[q.end:q.end + 60].lower(), text[max(0, q.start - 40):q.start].lower()
    if re.match(r"\s*of\s+(the\s+)?(ballots|votes|precincts|polling|stations|districts)\s+(?:had\s+|have\s+|has\s+)?"
                r"(?:been\s+|now\s+|so\s+far\s+)?(counted|tallied|reported|processed|reporting|in)\b", after):
        return None             # counting progress, not a result
    if re.match(r"\s*of\s+(the\s+)?(popular\s+|valid\s+)?(vote|votes|ballots)\b", after):
        return "votes", "%", q.end, ""
    if "turnout" in before[-30:] or after.lstrip().startswith("turnout"):
        return "turnout", "%", q.end, ""
    if re.match(r"\s*for\s+[A-Z]", text[q.end:]) or \
            re.search(r"\b(?:had|won|received|secured|garnered|at|to|against|versus|vs\.?)\s*$", before):
        if _about_votes(text):
            return "votes", "%", q.end, ""
    return None


def _who(cls: str, text: str, q: numbers.Quantity, found: list[Mention], source=None) -> str | None:
    """For votes and seats, whose they are: 'N% for X' after the number, else the candidates
    in the order the sentence names them: its first share is the first candidate's ("Quispe
    led Salas with 50.9% to 49.1%"), its second share the second's. The speaker is no candidate."""
    if cls not in ("votes", "seats", "delegates"):
        return None
    after = re.match(r"\s*(?:of the (?:valid |popular )?votes?\s+)?for\s+", text[q.end:])
    if after:
        holder = next((m for m in found if m.start == q.end + after.end() and m.kind in ("person", "body")), None)
        if holder is not None:
            return holder.actor.name
    speaker = source.key if source is not None else None
    people = _distinct(m.actor.name for m in found if m.kind == "person" and m.actor.key != speaker)
    parties = _distinct(m.actor.name for m in found if m.kind == "body" and HEAD.search(m.actor.name))
    holders = people or parties
    earlier = [x for x in numbers.find(text[:q.start]) if x.percent and _percent(text, x) is not None]
    return holders[min(len(earlier), len(holders) - 1)] if holders else None


def _distinct(names) -> list[str]:
    out: list[str] = []
    for name in names:
        if name not in out:
            out.append(name)
    return out


HEAD = re.compile(r"\b(?:Party|Front|Alliance|Movement|Coalition|Union|Bloc|Alianza|Partido|Frente)\b")


WORD_BEFORE = re.compile(r"\b(\w+)\s+(?:(?:all|the|some|another|an estimated)\s+)?$")


def _casualty(text: str, q: numbers.Quantity, noun_end: int, cls: str, who: str | None):
    """'30 soldiers were killed' counts deaths (of troops); 'killing 12 people' counts deaths."""
    window = text[noun_end:noun_end + CASUALTY_WINDOW + 30]
    window = re.sub(r"^,[^,;.]{0,40},", "", window)            # "183 people on board, 167 passengers and 16 crew, were killed"
    after = re.split(r"[,;]|\band\b", window)[0][:CASUALTY_WINDOW]
    if cls in ("deaths", "recovered", "people", "passengers") and IDENTIFIED.search(after) or \
            cls in ("deaths", "recovered", "passengers") and IDENTIFIED_BEFORE.search(text, max(0, q.start - 30), q.start):
        return "identified", who             # "14 victims had been positively identified": a count of its own
    if cls == "deaths" and RECOVERED.search(after):
        return "recovered", who              # "147 bodies had been recovered": a count of its own
    if cls not in ("people", "troops", "aboard"):
        return cls, who
    before = WORD_BEFORE.search(text, max(0, q.start - BEFORE_WINDOW), q.start)
    before = before.group(1) if before else ""
    for name, pattern in _casualty_patterns():
        if pattern.search(after) or pattern.fullmatch(before):
            return name, ("troops" if cls == "troops" else who)
    return cls, who
