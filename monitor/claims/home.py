"""The article's home: the country whose bodies a reporter names bare ("police said", "the
government"), from the count of its places weighed by where and how they are named, or no
country where none clearly leads (places.py finds the places; this module weighs them)."""
from __future__ import annotations

import re

from .names import SUBJECT_VERB, Book, _lex, _tables, dynamic_matches, place_actor, unit_matches
from .places import _valid, learn_places, person_words


# A place named after a preposition ("troops to Kessaly", "fighting in Gaza") is where
# things happen; a place that acts ("Aldoria's cabinet", "Zarkhan requested") is whose
# officials speak. The first counts a third as much towards an article's home country.
PREPOSITION_WEIGHT = 0.3


LEAD_WEIGHT = 2          # the first three sentences tell what the article is about


# A place listed after another under the same preposition shares it: "from Zembia and Kessaly".
PREPOSITION = re.compile(r"\b(?:in|to|into|from|across|near|at|of|for|toward|towards|over|on|against|with|by|eastern|"
                         r"western|northern|southern|central)\s+(?:the\s+)?(?:[A-Z][\w.’'-]+(?:,\s+|\s+(?:and|or)\s+))?$", re.I)
# PREPOSITION and DISCUSSED are looked for this far before a place ("towards the Zembia and ").
ROLE_REACH = 40
# Where the lead says the event happened ("killed 300 in Zembia", "a blast at ...") is the
# country whose bodies answer for it: a place after one of these in the first LEDE sentences
# counts in full.
LOCATIVE = re.compile(r"\b(?:in|across|near|at|inside|throughout|off)\s+(?:the\s+)?$", re.I)
LEDE = 2


# A reporter names the home country's bodies bare ("police said", "the government"), and a
# foreign country's with its name: "the Zembian foreign ministry", "Zembia's ambassador",
# "Zembian diplomats". A place so written marks whose bodies the article must qualify, the
# opposite of the home: it counts as a place after a preposition (a wire reporter qualifies
# the event country's bodies too, "the Zembian health ministry", and then names them bare).
QUALIFIED_WEIGHT = PREPOSITION_WEIGHT
# Between a place and the body it qualifies: a possessive and at most two words, none a verb
# ("Zembia's top military", "the Zembian foreign ministry"; never "Zembia said the ministry").
QUALIFIER_GAP = (r"(?:['’]s)?\s+(?:(?!(?:said|says|told|has|have|had|was|were|is|are|will|would|could|can|may|did|does)\b)"
                 r"[a-z-]+\s+){0,2}")
_QUALIFIER_GAP = re.compile(QUALIFIER_GAP)
# Nouns of officials and bodies a place qualifies, beyond the lexicon's titles and bodies.
# People a demonym qualifies are the country's nationals, named as such only when foreign to
# the article ("two Zembian men", "Zembian passports").
QUALIFIED_NOUNS = re.compile(QUALIFIER_GAP + r"(?:authorities|officials|diplomats?|state|investigators|agents|agency|"
                             r"intelligence|envoy|embassy|mission|consulate|officers?|news agenc\w+|men|women|man|woman|"
                             r"nationals?|citizens?|passports?|law|spy|spies)\b")


# How far after a place a title or body of the lexicon may begin to be the one it qualifies:
# "Zembia's top military" (the place, then "'s top ": 7), "Zembian state security " (16).
QUALIFIED_REACH = 20


# A place that is the subject of a clause after "that" or "whether" is what is claimed or
# asked about ("ministers concluded that Zembia was responsible"): the country discussed or
# accused, not the one whose bodies speak. It counts as a place after a preposition.
DISCUSSED = re.compile(r"\b(?:that|whether|if)\s+(?:the\s+)?$", re.I)


# Capital letters, a comma and a country, then a dash or a colon: "TASHBAL, Zarkhan (AP) — ",
# "TASHBAL: ".
DATELINE = re.compile(r"^(?P<city>[A-Z][A-Z .'’-]{2,40})(?:,\s*(?P<place>[A-Z][A-Za-z'’ -]{3,40}?))?\s*"
                      r"(?:\([^)]{1,30}\))?\s*(?:[—–]|:(?=\s))\s*")


# A dateline names where the reporter is, which is nearly always the country of the story.
DATELINE_WEIGHT = 5
# An outlet's country code ("example.co.uk") names the outlet's country: its reporters write
# their own country's bodies bare, but it reports on others too, so it counts less than a
# dateline (where the reporter stands) and less than a lead that names another country; and
# only where the article names that country at all (a foreign outlet's report of a collapse
# abroad names the scene's police bare, and its own country not once).
DOMAIN_WEIGHT = 3
# A headline led by a country that acts ("Zembia expels 20 diplomats", "Zembia: no proof")
# tells whose officials speak, as much as the lead sentence's subject does (2 * LEAD_WEIGHT *
# LEAD_SUBJECT_WEIGHT).
TITLE_WEIGHT = 12
# The home must clearly lead: its count at least this many times the next country's. A bare
# body filed under the wrong country speaks for a government that did not speak; unfiled, it
# keeps its own history ("the government", "police"). 1.5: below, the leader of an article on
# a foreign reaction (the accused country named most) is as often wrong as right.
CLEAR_LEAD = 1.5
# And the home must be named once as a home is: in a dateline or a headline that acts, as the
# event's place in the lead, or acting in its own name. A country named only as a foreign one
# is (its demonym on people and bodies, its seat, the object of a that-clause) is no home,
# however often: a report of an attack at home names the accused country twenty times, its
# own only after prepositions ("expelled from Aldoria"), and its police bare.


def dateline_place(first: str, book: Book) -> str | None:
    """The country of an article's dateline, learned as a place if the lexicon lacks it."""
    match = DATELINE.match(first)
    if not match:
        return None
    name = (match.group("place") or match.group("city").title()).strip()
    known = _tables()["places"].get(name) or book.places.get(name)
    if known:
        return known
    if match.group("place") and re.fullmatch(r"[A-Z][a-z]{3,}(?: [A-Z][a-z]+)?", name):
        book.places[name] = name
        book.learned.setdefault("place:" + name, place_actor(name))
        return name
    return None


HOST = re.compile(r"^[a-z][a-z0-9+.-]*://(?:[^/@]*@)?([^/:?#]+)", re.I)


def domain_place(link: str | None) -> str | None:
    """The country of an outlet's country-code domain: "news.example.co.uk" -> United Kingdom."""
    host = HOST.match(link or "")
    if not host:
        return None
    return _lex().get("domains", {}).get(host.group(1).lower().rsplit(".", 1)[-1])


def title_place(title: str | None, book: Book) -> str | None:
    """The country that leads a headline as its actor: "Zembia expels ...", "Zembia: ...",
    "Zembia's government quits" (its first words, then a verb, a colon or a possessive)."""
    if not title:
        return None
    for m in unit_matches(book, 2, title):
        name = _tables()["places"].get(m.group())
        if m.start() == 0 and _valid(name) and not _demonym(m.group(), name) \
                and (SUBJECT_VERB.match(title[m.end():]) or re.match(r"\s*:|['’]s\s", title[m.end():])):
            return name
    return None


def _demonym(alias: str, name: str) -> bool:
    """'Zembian' for Zembia: in a headline, a person ("Zembian charged over ..."), not the country.
    (A capital so ending, "Amman", is taken for one too: the headline then counts nothing.)"""
    return alias != name and DEMONYM_END.search(alias) is not None


DEMONYM_END = re.compile(r"(?:an|ese|ish|ch|i)$")


# The subject of the lead sentence is whom the article is about ("Zarkhan has endorsed the
# inquiry's findings, ..."): its one mention outweighs another government whose reaction
# fills the article's second half (a lead mention counts 4, a later one 1; a reaction
# section names its government 8 to 10 times).
LEAD_SUBJECT_WEIGHT = 3


def _opens(text: str, m: re.Match) -> bool:
    """A place among the first words of a sentence, after any dateline and article."""
    return not re.sub(r"^\s*(?:the|a|an)\s+", "", DATELINE.sub("", text[:m.start()]), flags=re.I).strip(" ")


def _leads(text: str, m: re.Match) -> bool:
    """A place that is the lead sentence's subject: first words after any dateline, then a verb
    or a possessive ("Zarkhan's foreign minister said")."""
    before = DATELINE.sub("", text[:m.start()])
    return not before.strip(" ") and bool(SUBJECT_VERB.match(text[m.end():]) or re.match(r"['’]s\s", text[m.end():]))


def home_place(texts: list[str], book: Book, title: str | None = None, link: str | None = None) -> str | None:
    """The country whose bodies the article names bare ("the interior minister", "police"):
    the place of its dateline, its outlet, its headline's and lead's actor, and the country it
    names most as an actor; none when no country clearly leads."""
    counts: dict[str, float] = {}
    plain = set()                     # countries named at least once as a home is named
    person_words(texts, book)
    for name, weight in ((dateline_place(texts[0], book) if texts else None, DATELINE_WEIGHT),
                         (title_place(title, book), TITLE_WEIGHT)):
        if name:
            counts[name] = counts.get(name, 0) + weight
            plain.add(name)
    for i, text in enumerate(texts):
        learn_places(text, book)
        matches = [(m, _tables()["places"].get(m.group())) for m in unit_matches(book, 2, text)]
        if book.places:
            matches += [(m, book.places.get(m.group())) for m in dynamic_matches(book, text)]
        bodies = None
        for m, name in matches:
            if not name or name in _lex()["words"]["organizations"]:
                continue
            if bodies is None:                # where the sentence's titles and bodies begin
                bodies = {u.start() for index in (4, 5) for u in unit_matches(book, index, text)}
            weight = _role_weight(text, m, name, bodies, i < LEDE)
            if weight >= 1:
                plain.add(name)
            if i == 0 and _leads(text, m):
                weight *= LEAD_SUBJECT_WEIGHT
            counts[name] = counts.get(name, 0) + weight * (2 * LEAD_WEIGHT if i == 0 else LEAD_WEIGHT if i < 3 else 1)
    outlet = domain_place(link)
    if outlet in counts:              # an outlet's country is home only to a story that names it
        counts[outlet] += DOMAIN_WEIGHT
    home = _clear_home(counts)
    return home if home in plain else None


def _role_weight(text: str, m: re.Match, name: str, bodies: set[int], lede: bool) -> float:
    """What one mention of a place says of the article's home, by its role in the sentence."""
    reach = max(0, m.start() - ROLE_REACH)
    if lede and LOCATIVE.search(text, reach, m.start()):
        return 1.0
    if PREPOSITION.search(text, reach, m.start()) or DISCUSSED.search(text, reach, m.start()):
        return PREPOSITION_WEIGHT
    if _seat(m.group(), name):
        return METONYM_WEIGHT                 # "Tashbal denied it": a foreign government, by its seat
    if lede and _opens(text, m):
        return 1.0                            # "Zembian prosecutors have charged ...": the lead's actor
    if QUALIFIED_NOUNS.match(text, m.end()) or any(m.end() < b <= m.end() + QUALIFIED_REACH
                                                   and _QUALIFIER_GAP.fullmatch(text, m.end(), b) for b in bodies) \
            or _demonym(m.group(), name) and ATTRIBUTIVE.match(text, m.end()):
        return QUALIFIED_WEIGHT
    return 1.0


# A reporter names a foreign government by its capital or seat ("Tashbal was quick to deny
# it", "Tashbal responds"), and the home's by its bodies, bare ("the government"): a seat that
# acts or qualifies counts for the home as little as a qualified place.
METONYM_WEIGHT = QUALIFIED_WEIGHT


def _seat(alias: str, name: str) -> bool:
    """A country's alias that is neither its name, a short form nor a demonym: its capital or seat."""
    return alias[:4].lower() != name[:4].lower() and not _demonym(alias, name) and \
        not alias.isupper() and "." not in alias and " " not in alias.strip()


# A demonym before a common noun is an attribute ("the Zembian port of Hala", "a Zembian-built
# link"): where a thing is from, not a country that acts (a verb after it is: "Zembians said").
ATTRIBUTIVE = re.compile(r"(?:-[a-z]|\s+(?!(?:said|says|told|have|had|were|are|will|would|could|did|do)\b)[a-z])")


def _clear_home(counts: dict[str, float]) -> str | None:
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] <= 0:
        return None
    if len(ranked) > 1 and ranked[0][1] < CLEAR_LEAD * ranked[1][1]:
        return None
    return ranked[0][0]
