"""A figure's scope: where the counted are (a country, a region no lexicon lists) and which group
of the victims they are (a nationality): "1,200 dead in the province" is the province's count,
"72 German passengers" the Germans among those aboard, "North Korea sent 1,500 troops" North
Korea's troops. Issue 14 classes 1 and 2; read by figures.py for each figure.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .. import lexicon
from . import numbers
from .actors import SUBJECT_VERB, Mention, _tables as actor_tables


def scope(text: str, q: numbers.Quantity, noun_end: int, modifiers: str, found: list[Mention], cls: str,
          unit: str) -> tuple[str | None, str | None]:
    """(place, population) of the figure whose number is `q` and whose counted noun ends at `noun_end`."""
    place = _place(text, q, noun_end, modifiers, found, cls)
    population = nationals().get(unit) or (unit if unit in subgroups() else None)
    if population is not None and place == unit:
        place = None                          # "44 Malaysians were killed": read as a place that acts
    if cls in POPULATIONS and place is not None and not _located(text, noun_end) and population is None:
        population, place = place, None       # "72 German victims", "35 victims from Spain": a group, not a place
    return place, population


# A nationality as the counted noun: "44 Malaysians", "five Spaniards".
NATIONAL = re.compile(r"\s*([A-Z][a-z]+)\b")


@lru_cache(maxsize=1)
def nationals() -> dict[str, str]:
    """Plural nationality nouns and their country: the lexicon's demonyms in -an with an -s
    ("Germans", "Iranians") and its irregular plurals ("Spaniards", "Britons")."""
    out = {alias + "s": name for alias, name in actor_tables()["places"].items()
           if alias != name and re.fullmatch(r"[A-Z][a-z]+an", alias)}
    for name, plurals in lexicon.load("nouns").get("nationals", {}).items():
        out.update({plural: name for plural in plurals})
    return out


# Classes whose counted people may be a group among the victims by nationality: "72 German
# victims", "three Americans on board", "35 passengers from Spain" count that group, never the
# toll of a place. (Troops keep their sending country as their scope: "North Korean troops".)
POPULATIONS = ("deaths", "recovered", "injured", "missing", "rescued", "detained", "aboard", "passengers", "crew", "people")
# A place after the noun with "in" is where the counted are: "1,200 dead in the province".
IN_PLACE = re.compile(r"\s*(?:had\s+|have\s+|has\s+|were\s+|was\s+|are\s+)?(?:been\s+)?(?:killed\s+|dead\s+|died\s+|injured\s+|wounded\s+|missing\s+)?"
                      r"(?:in|inside|across)\s+(?:the\s+)?[A-Z]")


@lru_cache(maxsize=1)
def subgroups() -> frozenset[str]:
    """Person nouns that name a group among the victims, never all of them ("12 children")."""
    return frozenset(lexicon.load("nouns").get("subgroups", {}).get("nouns", []))


def _located(text: str, noun_end: int) -> bool:
    """Whether the place found for a count is where the counted are ("12 dead in Zembia"), not
    a nationality that qualifies them ("12 Zembian dead", "12 dead from Zembia")."""
    return bool(IN_PLACE.match(text, noun_end))


def _place(text: str, q: numbers.Quantity, noun_end: int, modifiers: str, found: list[Mention], cls: str) -> str | None:
    """The scope: 'North Korean troops', 'troops from North Korea', 'North Korea sent 1,500'."""
    places = actor_tables()["places"]
    for mention in found:
        if q.end <= mention.start < noun_end and mention.kind == "place":
            return mention.actor.name
    after = text[noun_end:noun_end + 40]
    match = re.match(r"\s*(?:from|of|in)\s+(?:the\s+)?([A-Z][\w.’'-]*(?:\s+[A-Z][\w’'-]*)?)", after)
    if match:
        name = match.group(1).rstrip(".’'s")
        for alias in (match.group(1), name, name.split()[0]):
            if alias in places:
                return places[alias]
    region = REGION_AFTER.match(text, noun_end)
    if region and cls != "troops" and region.group(1).split()[0] not in actor_tables()["not_names"]:
        return region.group(1)                # "17 people had been killed in the Tibet region": its own scope
    return _agent(text, q, found) or (_subject_place(text, q, found) if cls == "troops" else None)


# A place no lexicon lists, named as where the counted were: "killed in the Tibet region", "died
# in Charikot", "injured across Velsk province". A region inside a country is its own scope.
REGION_AFTER = re.compile(r"\s*(?:had\s+|have\s+|has\s+|were\s+|was\s+)?(?:been\s+)?(?:killed|dead|died|injured|wounded|missing)?"
                          r"\s*(?:in|across)\s+(?:the\s+)?([A-Z][a-z][\w’'-]*(?:\s+[A-Z][a-z][\w’'-]*)?)"
                          r"(?=\s+(?:region|province|district|state|county|area|town|city|village)\b|\s*[,.;]|\s+(?:on|at|and|when|after)\b)")


def _subject_place(text: str, q: numbers.Quantity, found: list[Mention]) -> str | None:
    """'Aldoria's National Assembly on Thursday ratified the decision to send 1,200 troops':
    the country of the clause's subject, for troops only (a death toll has no sender)."""
    for mention in found:
        if mention.end > q.start:
            break
        government = next((name for key, name in mention.actor.levels if key.startswith("g:")), None)
        if mention.kind in ("place", "body", "anonymous") and government and SUBJECT_VERB.match(text[mention.end:]):
            return government
    return None


# Verbs by which a country sends, pledges or loses the counted: "Zembia has pledged 1,000
# troops", "Aldoria will raise its contingent to 1,500 troops", "North Korea sent 1,500".
AGENT_VERBS = (r"sent|send|sending|shipped|deployed|deploying|deploy|moved|dispatched|transferred|mobili[sz]ed|massed|"
               r"stationed|lost|pledged|pledge|pledging|contributed|contribute|contributing|committed|commit|offered|"
               r"approved\s+sending|raise[sd]?\s+its\s+\w+[^.;]{0,60}?\s+to|increase[sd]?\s+its\s+\w+[^.;]{0,60}?\s+to")
AGENT_GAP = re.compile(rf"(?:['’]s\s+[a-z]+\s+)?(?:,\s*which\s+[^,]{{0,60}}?,\s*)?\s*(?:,\s*which\s+)?"
                       rf"(?:(?:has|have|had|will|would|is|are|to|on\s+\w+|\w+ly)\s+)*(?:{AGENT_VERBS})\s+"
                       rf"(?:(?:about|around|some|at least|more than|nearly|close to|up to|another|a further|an additional)\s+)?",
                       re.I)


def _agent(text: str, q: numbers.Quantity, found: list[Mention]) -> str | None:
    """The country that sends, pledges, deploys or loses the counted."""
    for mention in reversed([m for m in found if m.end <= q.start and m.kind in ("place", "body", "pronoun")]):
        government = next((name for key, name in mention.actor.levels if key.startswith("g:")), None)
        if government and AGENT_GAP.fullmatch(text[mention.end:q.start]):
            return government
    return None
