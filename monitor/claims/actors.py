"""Who is speaking: actor mentions in a sentence, resolved to levels person -> body -> government.

"U.S. Defense Secretary Lloyd Austin" becomes Lloyd Austin (Pentagon, United States);
"South Korea's spy agency" becomes South Korea's intelligence service (South Korea);
"the secretary" and "he" point back to people seen earlier. Every word list comes from
monitor/lexicons/actors.toml; the code only knows how news phrases an actor. People named
with a title, and the country of a body or official named without one, are in titles.py;
words that point back ('he', 'the ministry', 'the ministers') in anaphora.py.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from ..records import Actor
from .names import (HONORIFIC_BEFORE, POSSESSIVE, SUBJECT_VERB, CALENDAR, Book, Mention, Tokens, _canon, _lex, _place_name, _tables,
                    _unit_patterns, body_actor, capitalised, dynamic_matches, key_of, not_names_lower, place_actor, unit_matches)
from .anaphora import (_body_anaphors, _country_anaphors, _plural_anaphors, _possessive_bodies, _pronouns, has_anaphor, is_anaphor,
                       note_speakers)
from .home import home_place as _home_place
from .places import _counties, learn_places, prefixed_places
from .offices import portfolios
from .titles import _body, _person, _person_of, _titled, default_country, respectively, set_scene

__all__ = ["Book", "Mention", "SUBJECT_VERB", "has_anaphor", "home_place", "is_anaphor", "mentions", "not_names_lower"]


def mentions(text: str, book: Book) -> list[Mention]:
    """Actor mentions in one sentence, left to right; the book learns the people named."""
    tokens = Tokens(text)
    learn_places(text, book)
    book.advance(text)
    units = _units(text, book)
    found = [m for group in _groups(units, text) if (m := _mention(group, text, book)) is not None]
    found += _body_anaphors(text, book, found)
    found += _country_anaphors(text, book, found)
    found += _plural_anaphors(text, book, found)
    _possessive_bodies(text, book, found)
    found += _pronouns(text, tokens, book, found)
    found.sort(key=lambda m: m.start)
    found = respectively(text, _merge_appositives(found, text, book), book)
    leads = [m for m in found if m.kind in ("body", "place", "anonymous", "pronoun") and not m.actor.key.startswith("p:")
             and SUBJECT_VERB.match(text[m.end:])]
    if leads:
        book.subjects.append(leads[-1].actor)
    set_scene(text, found, book)
    note_speakers(text, found, book)
    book.found = found
    return found


def home_place(texts: list[str], book: Book, title: str | None = None, link: str | None = None) -> str | None:
    """The country whose bodies the article names bare (places.home_place: from its sentences,
    headline and outlet's address), or none; the book keeps the sentences, so that a quote
    without a speaker of its own can find one in the sentences around it."""
    book.texts, book.index = list(texts), -1
    return _home_place(texts, book, title, link)


def _units(text: str, book: Book) -> list[tuple[int, int, str, str]]:
    """Lexicon units (places, bodies, titles, generic bodies), learned places and acronyms,
    named bodies ("National Disaster Management Agency") and capitalised name words."""
    taken: list[tuple[int, int, str, str]] = []
    # The spans taken, in order of position: they never overlap, so their ends are in order
    # too, and the only one that can overlap a new span is the last that starts before its
    # end. Looking through every span taken, for every unit and every capitalised word, made a
    # sentence of names quadratic (a 5 MB page of them is cut into sentences of MAX_SENTENCE).
    starts: list[int] = []
    ends: list[int] = []

    def take(start, end, kind, word):
        i = bisect.bisect_left(starts, end)
        if not (i and start < ends[i - 1]):
            taken.append((start, end, kind, word))
            j = bisect.bisect_right(starts, start)
            while j < len(starts) and starts[j] == start and ends[j] <= end:
                j += 1                        # in the order of (start, end), as sorted() puts them
            starts.insert(j, start)
            ends.insert(j, end)
    for index, (kind, _) in enumerate(_unit_patterns()[:4]):
        for m in unit_matches(book, index, text):
            take(m.start(), m.end(), kind, m.group())
    for start, end, name in _counties(text):
        take(start, end, "place", name)
        book.places.setdefault(text[start:end], name)
        book.places.setdefault(name, name)    # "Lake-Hollis" after "Lake-Hollis County"
    for start, end, name in prefixed_places(text):
        take(start, end, "place", name)
        book.places.setdefault(name, name)
    for m in dynamic_matches(book, text) if book.places or book.aliases else ():
        take(m.start(), m.end(), "place" if m.group() in book.places else "alias", m.group())
    for m in NAMED_BODY.finditer(text) if ORG_WORD.search(text) else ():
        if not ORG_WORD.search(text, m.start(), m.end()):
            continue                          # no head word inside: HEAD cannot find one in a part
        start = _after_taken(text, m.start(), m.end(), taken)
        end = m.end() - len(re.search(r"(?:['’]s?)?$", m.group()).group())
        lead = CALENDAR_LEAD.match(text, start) if start is not None else None
        if lead is not None and lead.end() < end:
            start = lead.end()                # "on Friday the National Disaster Management Authority said"
        while start is not None and end > start and CALENDAR.fullmatch(text[start:end].split()[-1]):
            end = start + text[start:end].rstrip().rfind(" ") if " " in text[start:end].strip() else start
        if start is not None and end > start and HEAD.search(text[start:end]):
            take(start, end, "named", text[start:end])
    for start, end, generic in portfolios(text):
        take(start, end, "portfolio", generic)
    later = [(m.start(), m.end(), kind, m.group(), pattern) for index, (kind, pattern) in enumerate(_unit_patterns()[4:], 4)
             for m in unit_matches(book, index, text)]
    for start, end, kind, word, pattern in sorted(later, key=lambda u: u[0] - u[1]):   # longest first
        clash = next((b for a, b, _, _ in taken if a < end and start < b), None)
        if clash is not None and clash < end:
            # "Foreign Ministry spokeswoman" after the named "Foreign Ministry": keep "spokeswoman"
            tail = pattern.search(text, clash, end)
            if tail is not None and tail.end() == end:
                start, word = tail.start(), tail.group()
        take(start, end, kind, word)
    t = _tables()
    for start, end, word in capitalised(text):   # most words are not: no need to look at what is taken
        i = bisect.bisect_right(starts, start)
        if i and start < ends[i - 1]:         # inside a unit (the names taken here are tokens: none holds a later one)
            continue
        if (word.rstrip("’'s") not in t["not_names"] and word not in t["not_names"] or _month_surname(text, start, end, taken))\
                and not word.isupper() and len(word) > 1:
            taken.append((start, end, "name", word))
    return sorted(taken)


# A day or month opening a named body's words is the date before it: "Friday the National ... Authority".
CALENDAR_LEAD = re.compile(rf"(?:{CALENDAR.pattern})\s+(?:the\s+)?")
# A month is a surname after a given name or an honorific ("Helen May said", "Mrs June"),
# never before a day's number ("May 5") or after a preposition ("in May"): the not_names
# list keeps months out of names for the sentences that date things.
MONTH_SURNAME = re.compile(r"(?:April|May|June|August)(?:['’]s)?$")
DAY_AFTER = re.compile(r"\s*\d")


def _month_surname(text: str, start: int, end: int, taken) -> bool:
    if not MONTH_SURNAME.match(text, start, end) or DAY_AFTER.match(text, end):
        return False
    if HONORIFIC_BEFORE.search(text, max(0, start - 5), start):
        return True
    last = taken[-1] if taken else None               # the name word just before, one space away
    return last is not None and last[2] == "name" and last[1] == start - 1 and text[last[1]] == " " \
        and last[3] not in _tables()["not_names"]


def _after_taken(text: str, start: int, end: int, taken) -> int | None:
    """A named body may start after a place that leads it: "Zarkhan's | National Seismological Center"."""
    for a, b, kind, _ in sorted(taken):
        if a < end and start < b:
            if kind == "place" and (a <= start or HEAD.search(text, b, end)):
                # "Ana Ruiz of the Zembian | Prosecution Authority": the body is what follows the place
                start = b + re.match(r"(?:['’]s)?\s*", text[b:]).end()
            else:
                return None
    lead = LEAD_WORDS.match(text, start, end)   # "At Eastvale Hospital No. 1 he was": not "At"
    return lead.end() if lead else start


# Capitalised only as a sentence's first words, never a body's: "The", "At", "In", "After".
LEAD_WORDS = re.compile(r"(?:(?:The|A|An|At|In|On|For|From|To|With|By|After|Before|During|Since|While|When|As|But|And|"
                        r"Or|If|Meanwhile|However|Outside|Inside|Near|Across)\s+)+")


def _groups(units, text: str) -> list[list[tuple[int, int, str, str]]]:
    """Runs of units that touch (only spaces or a possessive between them) form one phrase.
    Capitalised words before a title are where the official serves, not a name:
    "Former San Aurelio mayor Lucía Mendoza" is one phrase naming Lucía Mendoza."""
    groups: list[list] = []
    for unit in units:
        if groups and _joins(text[groups[-1][-1][1]:unit[0]], groups[-1][-1], unit):
            groups[-1].append(unit)
        elif groups and unit[2] == "name" and [u[2] for u in groups[-1]] == ["title"] \
                and text[groups[-1][-1][1]:unit[0]].strip() == "," and THE_BEFORE.search(text, 0, groups[-1][0][0]):
            groups[-1].append(unit)           # "the chief physician, Ana Ruiz": one phrase naming Ruiz
        elif groups and unit[2] in ("title", "generic") and all(u[2] == "name" for u in groups[-1]) \
                and not text[groups[-1][-1][1]:unit[0]].strip():
            groups[-1] = [(u[0], u[1], "where", u[3]) for u in groups[-1]] + [unit]
        else:
            groups.append([unit])
    return groups


THE_BEFORE = re.compile(r"\b[Tt]he\s+$")


def _joins(gap: str, left, right) -> bool:
    gap = gap.strip()
    if left[2] == "name" and right[2] != "name":
        return False                          # a name ends its phrase
    if gap == "" or POSSESSIVE.match(gap):
        return True
    if left[2] in ("title", "generic") and right[2] == "name" and all(w in _honorifics() for w in gap.split()):
        return True                           # "Transport Minister Datuk Seri Ana Ruiz"
    return gap.lower() in ("of", "of the") and right[2] in ("place", "body") and left[2] in ("title", "generic")


@lru_cache(maxsize=1)
def _honorifics() -> frozenset[str]:
    return frozenset(_lex()["words"]["honorifics"])


def _mention(group, text: str, book: Book) -> Mention | None:
    names = [u for u in group if u[2] == "name"]
    start, end = group[0][0], group[-1][1]
    # What the first unit of each kind says (one pass over the group; the look-ups are pure).
    place = fixed = generic = written = named = alias = title = None
    kinds = set()
    for u in group:
        kind = u[2]
        if kind in kinds or kind in ("name", "where"):
            continue
        if kind == "portfolio" or kind == "generic":
            if "generic" in kinds:
                continue
            kinds.add("generic")
            generic = _tables()["generic"][_canon(u[3], "generic")] if kind == "generic" else u[3]
            written = u[3].lower()
            continue
        kinds.add(kind)
        if kind == "place":
            place = _place_name(u[3], book)
        elif kind == "body":
            fixed = _tables()["bodies"][u[3].lower()]
        elif kind == "named":
            named = u[3].strip()
        elif kind == "alias":
            alias = book.aliases[u[3]]
        elif kind == "title":
            title = u[3].lower()
    if named and not generic:
        generic = _generic_in(named)
    if names:
        if len(names) > 1 and not (title or place or fixed or generic or named) \
                and names[-1][3] in _lex()["words"]["sites"]:
            return None                       # "Korvel Tower", "Andra Plaza": the site, no one who speaks
        if alias is not None and not (place or fixed or generic):
            return _person_of(group, names, alias, title, book)
        where = " ".join(u[3] for u in group if u[2] == "where")
        if where and title in _lex()["words"]["local_titles"] and not (place or fixed or generic):
            place = book.places.get(where) or where         # "Eastvale Mayor Ana Ruiz": Eastvale's
        return _person(group, names, place, fixed, generic, title, book, named)
    if alias is not None and not (fixed or generic or named):
        book.note(alias)
        return Mention(start, end, alias, "body")
    if fixed or generic or named:
        where = " ".join(u[3] for u in group if u[2] == "where") or None
        if where and generic and not fixed and not named:
            place = place or book.places.get(where) or where    # "the Eastvale canvassing board"
        if generic == "company" and not (fixed or place or named or where):
            actor = _last_company(book) or _body(None, generic, None)    # "the company said": no country's
        else:
            actor = _body(fixed, generic, place, named, default_country(book, generic) if generic else None)
        if fixed and place and place != actor.levels[-1][1] and actor.levels[-1][1] not in _lex()["words"]["organizations"]:
            actor = _own_office(group, place)
        if "?" in actor.key or actor.key.startswith("b:unknown") or _definite(text, start, generic, place or fixed or named):
            actor = _seen_body(actor, book) or actor
        if generic and len(actor.levels) == 1 and actor.key in (f"b:unknown/{key_of(generic)}", f"b:?/{key_of(generic)}") \
                and not named:
            actor = Actor(((actor.key, text[start:end]),))    # no country: shown as written ("Army officials")
        actor = _as_written(actor, generic, written)
        book.note(actor)
        _learn_acronym(text, end, actor, book)
        return Mention(start, end, actor, "body")
    if title:
        return _titled(start, end, title, place, text, book)
    if place:
        actor = place_actor(place)
        book.note(actor)
        return Mention(start, end, actor, "place")
    return None


def _as_written(actor: Actor, generic: str | None, written: str | None) -> Actor:
    """A body shown by the word the text used ("Bangladesh's army", not "Bangladesh's military"),
    keyed as its kind: a reader checks the alert against the sentence."""
    display = actor.levels[0][1]
    if not generic or not written or written == generic or not display.endswith(f"’s {generic}") and \
            not display.endswith(f"'s {generic}") and not display.endswith(f"' {generic}"):
        return actor
    return Actor(((actor.key, display[:-len(generic)] + written),) + actor.levels[1:])


def _last_company(book: Book) -> Actor | None:
    """'the company said', 'the firm's statement': the last company met, one named so ("Valcor
    Corporation") or a name that acted alone ("Valcor said", titles._own_body). A company
    belongs to no country's government, whatever country the article is about."""
    own = book.__dict__.get("_own_bodies", ())
    return next((a for a in reversed(book.seen) if a.key in own or (a.key.endswith("/company") and "?" not in a.key
                                                                     and not a.key.startswith("b:unknown/company"))), None)


def _own_office(group, place: str) -> Actor:
    """'Eastvale's secretary of state', 'the Eastvale Senate': a national office's name with
    another place before it is that place's own office, not the nation's (an international
    body's national branch, 'the Zarkhan Red Crescent', stays the international body's)."""
    office = next(u[3] for u in group if u[2] == "body").lower()
    return body_actor(office, place, fixed=False)


def _definite(text: str, start: int, generic: str | None, owned) -> bool:
    """'the safety board', 'the defence ministry' with no country: the one met before, wherever it
    was; but 'the government' of a news story is its own country's, even after another's."""
    return bool(generic) and generic != "government" and not owned and bool(re.search(r"\bthe\s+$", text[:start], re.I))


def _seen_body(actor: Actor, book: Book) -> Actor | None:
    """'the health ministry' after 'Turkey's health ministry': the one already met."""
    tail = actor.key.split("/", 1)[-1]
    return next((a for a in reversed(book.seen) if a.key.startswith("b:") and a.key.split("/", 1)[-1] == tail), None)


def _generic_in(name: str) -> str | None:
    """'Ministry of Health' -> health ministry: a generic body named in a proper name."""
    for m in _unit_patterns()[5][1].finditer(name):
        return _tables()["generic"][_canon(m.group(), "generic")]
    return None


def _learn_acronym(text: str, end: int, actor: Actor, book: Book) -> None:
    """'the National Disaster Management Agency (NDMA)': NDMA names the agency from now on."""
    match = re.match(r"\s*\(([A-Z]{2,8})\)", text[end:])
    if match:
        book.aliases[match.group(1)] = actor
        book.learned["alias:" + match.group(1)] = actor


# A capitalised name ending in a word that names an organisation: "National Disaster
# Management Agency", "Observatorio Cívico Electoral", "Ministry of Health".
ORG_HEADS = (r"Agency|Center|Centre|Ministry|Office|Service|Services|Council|Commission|Committee|Department|"
             r"Authority|Institute|Bureau|Board|Organi[sz]ation|Forces|Army|Navy|Police|Court|Tribunal|Staff|"
             r"Party|Front|Movement|Union|Airways|Airlines|Observatory|Observatorio|Consejo|Mission|Guard|"
             r"Administration|Directorate|Secretariat|Assembly|Parliament|Senate|Congress|Coalition|Group|Team|Panel|"
             r"Hospital|Clinic|Company|Corporation")


CAP = r"[A-Z\u00C0-\u00DE][\w\u00C0-\u024F’'-]*"


NAMED_BODY = re.compile(rf"\b{CAP}(?:\s+(?:(?:of|for|the|and|de|del|la|el)\s+)*{CAP}){{0,7}}(?:(?<=\bNo)\.\s?\d+)?")


HEAD = re.compile(rf"\b(?:{ORG_HEADS})\b")
# A head word anywhere, word boundaries or not: every HEAD match in a part of a text is one.
ORG_WORD = re.compile(ORG_HEADS)


def _merge_appositives(found: list[Mention], text: str, book: Book) -> list[Mention]:
    """'John Kirby, national security spokesman at the White House, said': Kirby gets the body.
    'South Korea's spy agency, the National Intelligence Service (NIS), said': one body."""
    out: list[Mention] = []
    for mention in found:
        prev = out[-1] if out else None
        gap = text[prev.end:mention.start] if prev else ""
        if prev and prev.kind in ("person", "body") and re.fullmatch(r",\s*(?:the\s+|a\s+)?[\w\s.-]{0,60}?", gap) \
                and mention.kind in ("body", "anonymous", "place") and (_closes(text, mention.end) or SUB_BODY.match(text, mention.end)):
            out[-1] = Mention(prev.start, mention.end, _adopt(prev.actor, mention), prev.kind)
            book.note(out[-1].actor)
            continue
        if prev and prev.kind == "person" and mention.kind == "body" and len(prev.actor.levels) == 1 \
                and re.fullmatch(r"\s+of\s+(?:the\s+)?(?:[a-z-]+\s+)?", gap):
            # "Rodrigo Arrieta of the conservative Partido Nacional Republicano"
            person = Actor(prev.actor.levels[:1] + mention.actor.levels)
            book.note(person)
            book.learned[person.key] = person
            out[-1] = Mention(prev.start, mention.end, person, "person")
            continue
        if prev and prev.kind == "person" and mention.kind == "person" and len(mention.actor.levels) == 1 \
                and re.search(r"['’]s$", text[prev.start:prev.end]) and _aide_gap(gap):
            # "Premier Ana Ruiz's spokesman, Tomas Vidal, said": Vidal speaks for Ruiz's government;
            # "Ruiz's campaign manager, Tomas Vidal": for Ruiz herself, a candidate of no body
            person = Actor(mention.actor.levels[:1] + (prev.actor.levels[1:] or prev.actor.levels))
            book.note(person)
            book.learned[person.key] = person
            out.append(Mention(mention.start, mention.end, person, "person"))
            continue
        if prev and prev.kind == "pronoun" and mention.kind == "person" and len(mention.actor.levels) == 1 \
                and text[prev.start:prev.end].lower() in ("his", "her", "its") and _aide_gap(gap) \
                and (len(prev.actor.levels) > 1 or not prev.actor.key.startswith("p:")):
            # "the hospital's head ... . His deputy, Ana Ruiz, said": Ruiz speaks for the head's body
            body = prev.actor.levels[1:] if prev.actor.key.startswith("p:") else prev.actor.levels
            person = Actor(mention.actor.levels[:1] + body)
            book.note(person)
            book.learned[person.key] = person
            out.append(Mention(mention.start, mention.end, person, "person"))
            continue
        if prev and prev.kind in ("body", "anonymous") and mention.kind == "person" and re.fullmatch(r",\s*", gap) \
                and _closes(text, mention.end):
            # "a spokesman for Dastaria's General Staff, Brig. Gen. Elkhan Rasulov, said"; "Zembia's
            # health minister, Ana Ruiz, said" (an official of no name yet, named in apposition)
            person = Actor(mention.actor.levels[:1] + prev.actor.levels)
            book.note(person)
            book.learned[person.key] = person
            out[-1] = Mention(prev.start, mention.end, person, "person")
            continue
        out.append(mention)
    return out


def _aide_gap(gap: str) -> bool:
    """' spokesman, ' between "X's" and a name: the name is X's aide, in X's body."""
    m = re.fullmatch(r"\s+([a-z][a-z .-]{1,40}?)\s*,?\s*", gap)
    return bool(m) and (_canon(m.group(1), "titles") in _tables()["titles"] or m.group(1) in _lex()["words"]["aides"])


# "X, chairman of the Zembian parliament's security committee, said": a unit of the body, named in
# up to six words ("national security and foreign policy commission").
SUB_BODY = re.compile(r"(?:['’]s)?(?:\s+[\w-]+){0,6}?\s+(?:committee|commission|office|council|board|department|unit|bureau|agency|panel|service)\s*,")


def _closes(text: str, pos: int) -> bool:
    return bool(re.match(r"\s*(\([^)]{1,12}\))?\s*(,|[.]?\s*$)", text[pos:]))


def _adopt(first: Actor, appositive: Mention) -> Actor:
    """The actor of 'X, <appositive>,'. A body the appositive names is whose the person is, over
    what a rank says: 'Gen. Ana Ruiz, the defence ministry's spokeswoman' speaks for the ministry."""
    second = appositive.actor
    if first.key.startswith("p:") and appositive.kind == "body" and second.key.startswith("b:") and "?" not in second.key:
        return Actor(first.levels[:1] + second.levels)
    if first.key.startswith("p:"):
        if len(first.levels) > 1 and not first.levels[1][0].startswith("b:?"):
            return first
        return Actor(first.levels[:1] + second.levels)
    return second if second.key.startswith("b:") and "?" not in second.key else first
