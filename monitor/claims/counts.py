"""Counts named around a bare number, as reporters write them when no counted noun follows it:

- the count named before the number: "the number of people confirmed killed in the collapse has
  climbed to 705", "put the number of Spanish victims at 51", "the official tally of storm deaths
  has crept up to 55", "the list of people unaccounted for fell to 22";
- the count elided after it: "120 people died and 100 were hurt", "291 were unaccounted for";
- a person noun no lexicon lists, counted by a casualty word: "the crush killed 2,411 pilgrims",
  "22 foreigners had been killed".

Issue 14, class 3 (measures) and 7. Read by figures.py where no counted noun follows a number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import lexicon
from .actors import Mention
from .scope import nationals, subgroups

# How far before a number "the number of ... rose to" is looked for, in characters: the longest
# such phrase in the development and held-out stories ("The number of people killed by Tuesday's
# explosion at the port of Beirut has passed") is 85 long.
COUNT_WINDOW = 160
# The nouns a count is kept in ("the number of", "its tally of") and the verbs that lead from the
# count to its value; a phrase with neither a verb nor "to/at/as" before the number ("the number
# of dead 12") is no statement of the count.
COUNT_NOUNS = r"number|count|tally|toll|total|list|figure"
COUNT_VERBS = (r"rose|risen|rising|climbed|climbing|reached|reaching|stood|stands|stand|hit|jumped|increased|passed|"
               r"surpassed|topped|exceeded|crossed|is|was|were|are|fell|fallen|dropped|declined|grew|grown|went|gone|"
               r"crept|edged|totalled|totaled|numbered|remains|remained")
# Between the count's words and the verb an aside may stand ("the count of pilgrims killed, first put
# at 2,121 on Monday, was raised to"); after the verb a few words and where it came from ("went from
# 59 on Thursday to").
COUNT_OF = re.compile(
    rf"\b(?:{COUNT_NOUNS})\s+of\s+(?P<np>[^,;:.!?()“”\"\d]{{1,100}}?)(?:\s*,(?:[^,;:]|,\d){{1,60}},)?"
    r"(?P<lead>(?:\s+(?:has|have|had|now|already|officially|further|again|been|then|finally|since))*"
    rf"(?:\s+(?:{COUNT_VERBS}|raised|lowered|revised|put|brought|updated|cut)(?:\s+(?:up|down|back))?"
    r"(?:\s+[a-z]+){0,3}?)?(?:\s+from\s+(?:[^,;:]|,\d){1,30}?)?(?:\s+(?:to|at|as))?)\s*$", re.I)
# A count named by its keeper alone, its measure left to the sentence: "the AP tally, now at 1,112, adds
# up the deaths announced by 16 governments".
BARE_COUNT = re.compile(r"\b(?:tally|count)\s*,?\s+(?:now\s+|which\s+stood\s+|standing\s+)?(?:at|stood\s+at|stands\s+at|reached|rose\s+to)\s*$", re.I)
DEATH_WORDS = re.compile(r"\b(?:deaths|dead|killed|died|toll|fatalities)\b", re.I)
# A count elided after its number, its verb kept: "100 were hurt", "287 were still unaccounted for".
ELIDED = re.compile(r"\s+(?:people\s+|others\s+)?(?:(?:were|was|had|have|has|are|remain|remained|been|still|now|"
                    r"reportedly|confirmed|later|since|among\s+(?:the|those))\s+){0,4}(?P<word>[a-z]+(?:\s+(?:for|alive|dead))?)\b")
# Victims identified are a count of their own (figures.py reads it after a counted noun too).
IDENTIFIED = re.compile(r"\bidentified\b", re.I)
# A plural noun no class lists, after up to two modifiers: "2,411 pilgrims", "22 foreigners".
OPEN_NOUN = re.compile(r"\s+(?:[a-z][a-z-]+\s+){0,2}?(?P<noun>[a-z]{3,}(?:s|men|women|children|people))\b")
# A casualty word right before an open noun's number: "killed 2,411 pilgrims".
CASUALTY_BEFORE = re.compile(r"\b(?:killed|killing|kills|kill|injured|injuring|wounded|wounding|rescued|evacuated|"
                             r"claimed)\s+(?:(?:at\s+least|more\s+than|over|about|nearly|some|around|almost|up\s+to)\s+)?$",
                             re.I)


# Plural nouns after a casualty verb that count no people: "rescued 30 dogs", "killed 12 hours".
NOT_PEOPLE = frozenset({"animals", "dogs", "cats", "horses", "birds", "vehicles", "cars", "trucks", "homes", "houses",
                        "times", "hours", "days", "weeks", "months", "years", "minutes", "seconds", "percent"})


# A count of a country's own people, the country being whoever states it: "raised the number of its
# pilgrims killed", "its count of dead nationals". figures.py resolves OWN to the source's country.
OWN = "its own"
OWN_PEOPLE = re.compile(r"\b(?:its|their)\s+(?:own\s+)?(?:\w+\s+)?(?:nationals|citizens|pilgrims|people|dead|nationals)\b|"
                        r"\b(?:dead|killed)\s+(?:nationals|citizens)\b", re.I)


@dataclass(frozen=True)
class Named:
    """What a bare number counts, read from the words around it."""

    cls: str
    unit: str
    end: int                  # where the counted noun ends (the number's end where none follows)
    place: str | None = None
    population: str | None = None


@lru_cache(maxsize=1)
def _measures() -> list[tuple[str, re.Pattern]]:
    """The measures a phrase names by its verb or adjective, in the order they are tried: the
    identified and the recovered are counts of their own before they are deaths ("victims
    identified", "bodies recovered"); then the lexicon's casualty words."""
    out = [("identified", IDENTIFIED),
           ("accounted", re.compile(r"(?<!un)\baccounted\s+for\b", re.I))]
    out += [(name, re.compile(rf"\b(?:{lexicon.alternation(words)})\b", re.I)) for name, words in lexicon.load("nouns")["casualty"].items()]
    return out


@lru_cache(maxsize=1)
def _nouns() -> list[tuple[str, re.Pattern]]:
    return [(name, re.compile(rf"\b(?:{lexicon.alternation_regex(spec['nouns'])})\b", re.I))
            for name, spec in lexicon.load("nouns")["classes"].items()]


def _measure(phrase: str) -> str | None:
    """The one measure a phrase names, or None where it names none or two ("killed and injured")."""
    named = {name for name, pattern in _measures() if pattern.search(phrase)}
    if "identified" in named:
        return "identified"
    if len(named) == 1:
        return named.pop()
    if named:
        return None
    for name, pattern in _nouns():
        if pattern.search(phrase):
            return name
    return None


def _np_scope(np: str, np_start: int, found: list[Mention]) -> tuple[str | None, str | None]:
    """(place, population) named inside a count's phrase: "Egyptians killed" counts Egypt's dead
    among all; "people killed in Nepal" counts Nepal's."""
    for word in re.findall(r"[A-Z][a-z]+s\b", np):
        if word in nationals():
            return None, nationals()[word]
    for mention in found:
        if mention.kind == "place" and np_start <= mention.start < np_start + len(np):
            ahead, after = np[:mention.start - np_start], np[mention.end - np_start:]
            if re.fullmatch(r"\s*(?:[\w-]+\s+){0,2}(?:in|inside|across)\s+(?:the\s+)?", ahead):
                return mention.actor.name, None          # "people killed in Nepal" (not "killed in floods in X":
                                                         # the event's place, as scope.py reads a noun's)
            if not re.search(r"\b(?:of|at|from|by|to|near|on)\s+(?:the\s+)?$", ahead) and re.match(r"\s+[a-z]", after):
                return None, mention.actor.name          # "Spanish victims", "German passengers"
            return None, None
    for word in re.findall(r"[a-z]+", np):
        if word in subgroups():
            return None, word
    if OWN_PEOPLE.search(np):
        return None, OWN                      # "its count of dead nationals": the speaker's country's
    return None, None


def count_before(text: str, start: int, qualified: bool, found: list[Mention], end: int) -> Named | None:
    """The count a number is the value of, named before it: "the number of people killed in the
    collapse has climbed to" 705. `qualified`: the number's qualifier took the verb ("has passed 100")."""
    lo = max(0, start - COUNT_WINDOW)
    match = COUNT_OF.search(text, lo, start)
    if match is None and BARE_COUNT.search(text, max(0, start - 40), start) and DEATH_WORDS.search(text):
        return Named("deaths", "tally", end)
    if match is None or not (match.group("lead").strip() or qualified):
        return None
    np = match.group("np")
    cls = _measure(np)
    if cls is None:
        return None
    place, population = _np_scope(np, match.start("np"), found)
    return Named(cls, np.strip().lower(), end, place, population)


def elided_after(text: str, end: int) -> Named | None:
    """'291 were unaccounted for', '100 were hurt': the count's noun left out, its verb kept."""
    match = ELIDED.match(text, end)
    if match is None:
        return None
    cls = _measure(match.group("word"))
    if cls is None or cls not in ("deaths", "injured", "missing", "rescued", "identified", "accounted", "displaced"):
        return None
    return Named(cls, match.group("word"), end)


def open_noun(text: str, start: int, end: int) -> Named | None:
    """A person noun no class lists, counted by a casualty word before it or its verb after it:
    'killed 2,411 pilgrims', '22 foreigners had been killed'. A group among the victims
    ('students', 'children') is their population, never the toll."""
    match = OPEN_NOUN.match(text, end)
    if match is None:
        return None
    noun = match.group("noun").lower()
    if noun in NOT_PEOPLE:
        return None
    before = bool(CASUALTY_BEFORE.search(text, max(0, start - 40), start))
    after = elided_after(text, match.end())
    cls = after.cls if after is not None else ("deaths" if before else None)
    if cls is None:
        return None
    if before and after is None:
        verb = CASUALTY_BEFORE.search(text, max(0, start - 40), start).group().split()[0].lower()
        cls = _measure(verb) or ("deaths" if verb == "claimed" else None)
        if cls is None:
            return None
    return Named(cls, noun, match.end(), None, noun if noun in subgroups() else None)


# A margin between candidates is a measure of its own, never votes for the leader (issue 14,
# class 3): "a lead of 930 votes", "a difference of 1,784", "led by 0.933", "a 300-vote lead".
MARGIN_BEFORE = re.compile(r"\b(?:(?:lead|margin|difference|gap|advantage)\s+(?:\w+\s+){0,2}?(?:of|at|to|was|is|stood\s+at|stands\s+at)"
                           r"|(?:lead|leads|led|leading|ahead|won|wins|winning|trailing|trails|trailed|behind)\s+by)"
                           r"\s+(?:(?:just|only|about|roughly|some|around|nearly|fewer\s+than|less\s+than|more\s+than)\s+)?$", re.I)
MARGIN_AFTER = re.compile(r"-?\s*(?:vote|point|ballot)s?[\s-]+(?:lead|margin|edge|advantage|gap)\b|"
                          r"\s+more\s+(?:votes|ballots|(?:state\s+)?delegate\s+equivalents|delegates|SDEs)\s+than\b", re.I)
# What a margin counts, named after its number: "930 votes", "0.08 state delegate equivalents".
MARGIN_UNIT = re.compile(r"\s+(?:more\s+)?(votes|ballots|points|percentage\s+points|(?:state\s+)?delegate\s+equivalents|delegates|SDEs)\b", re.I)


def margin(text: str, start: int, end: int) -> Named | None:
    """The lead between two candidates stated by the number at start..end, or None."""
    after = MARGIN_AFTER.match(text, end)
    if after is not None:
        return Named("margin", "votes", after.end())
    if MARGIN_BEFORE.search(text, max(0, start - 60), start) is None:
        return None
    unit = MARGIN_UNIT.match(text, end)
    return Named("margin", unit.group(1).lower() if unit else "votes", unit.end() if unit else end)


# A part of the dead named by who they were: "19 of the dead were foreign nationals", "Twenty-six of
# the victims were foreign nationals from 14 countries", "12 of those killed were Germans".
PART_OF_DEAD = re.compile(r"\s+of\s+(?:the|those)\s+(?:dead|victims|killed|people\s+killed|who\s+died)\s+(?:were|are)\s+"
                          r"(?:(?:all|also)\s+)?(?P<group>foreign\s+nationals|foreigners|[A-Z][a-z]+s|[a-z]+)\b", re.I)
# A breakdown of the dead by country after a count of them: "...foreign nationals: five from Iran, four
# from China", "22 foreigners had been killed: four from Iran".
FROM_PLACE = re.compile(r"\s+(?:were\s+)?from\s+(?:the\s+)?(?P<place>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2})")
BREAKDOWN_BEFORE = re.compile(r"\b(?:dead|victims|killed|died|foreign\s+nationals|foreigners)\b[^.;]*[:,]\s+(?:[^.;]*,\s+)?(?:and\s+)?$", re.I)
# "foreign nationals" and "foreigners" are one group.
GROUP_WORDS = {"foreign nationals": "foreigners"}


def part_of_dead(text: str, end: int) -> Named | None:
    """'19 of the dead were foreign nationals': the dead of that group."""
    match = PART_OF_DEAD.match(text, end)
    if match is None:
        return None
    group = " ".join(match.group("group").split())
    group = GROUP_WORDS.get(group.lower(), group)
    if group in nationals():
        return Named("deaths", group, match.end(), None, nationals()[group])
    if group.lower() in subgroups():
        return Named("deaths", group.lower(), match.end(), None, group.lower())
    return None


def breakdown(text: str, start: int, end: int, places: dict[str, str]) -> Named | None:
    """'four from China' in a list of the dead by country: the dead of that country."""
    match = FROM_PLACE.match(text, end)
    if match is None or not BREAKDOWN_BEFORE.search(text, max(0, start - 200), start):
        return None
    name = match.group("place")
    country = next((places[alias] for alias in (name, name.split()[0]) if alias in places), None)
    return Named("deaths", "dead", match.end(), None, country) if country else None


# Countries, governments or airlines taking a step are a measure of their own (issue 14, class 3):
# "33 countries have grounded or banned the jet", "more than 50 nations that had banned it",
# "nearly 30 airlines that had stopped flying it". The verb must follow within a few words: "troops
# from 14 countries" and "polling stations in 40 countries" take no step.
STEP = re.compile(r"\s+(?P<who>countries|nations|governments|states|airlines|carriers)\b(?:\s+(?!and\b)[\w-]+){0,3}?"
                  r"\s+(?:that\s+|which\s+|who\s+)?(?:(?:have|had|has|now|already|also|all)\s+)*"
                  r"(?:grounded|banned|barred|suspended|closed|halted|stopped|expelled|joined|imposed|recalled|evacuated|"
                  r"sent|pledged|offered|recognised|recognized|sanctioned|restricted|cancelled|canceled)\b", re.I)


def step(text: str, end: int) -> Named | None:
    """'33 countries have grounded the jet': how many countries (or airlines) took the step."""
    match = STEP.match(text, end)
    return Named("steps", match.group("who").lower(), end + len(match.group("who")) + 1) if match else None


# Money alerts only where what it pays for is read (issue 14, class 3: "its own measure per currency
# and purpose"): a cost ("the recount could cost as much as $1 million", "set the fee at $3.5
# million"), a sum raised ("has raised $5.7 million"), an appeal ("a flash appeal for $816
# million"), damage or losses ("losses of around $30 billion"), aid pledged. Looked for in the
# number's clause: before it, within MONEY_BEFORE characters, or right after it.
MONEY_BEFORE, MONEY_AFTER = 80, 50
PURPOSES = [
    ("appeal", re.compile(r"\b(?:appeal|appeals|appealed|appealing)\b", re.I)),
    ("raised", re.compile(r"\b(?:raised|raising|raise|collected|donations?|fundrais\w*|crowdfund\w*)\b", re.I)),
    ("cost", re.compile(r"\b(?:cost|costs|costing|fee|fees|price|bill|expenses?|charge)\b", re.I)),
    ("damage", re.compile(r"\b(?:damage|damages|losses|loss|destruction|reconstruction)\b", re.I)),
    ("aid", re.compile(r"\b(?:aid|assistance|pledged|pledges?|donated|relief)\b", re.I)),
]
CLAUSE_BREAK = re.compile(r"[;:.!?]|,\s+(?:while|but|and|as|which|who|whereas)\b")


def money_purpose(text: str, start: int, end: int) -> str | None:
    """What an amount pays for, read in its clause, or None."""
    before = CLAUSE_BREAK.split(text[max(0, start - MONEY_BEFORE):start])[-1]
    after = CLAUSE_BREAK.split(text[end:end + MONEY_AFTER])[0]
    for name, pattern in PURPOSES:
        if pattern.search(before) or pattern.search(after):
            return name
    return None
