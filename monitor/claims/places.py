"""Places: which country an article is about, and places the lexicon does not list,
learned from how the text uses them ("Zarkhan's interior minister", "TASHBAL, Zarkhan —",
"Veldanian Airways"); counties and prefixed places ("Eastvale County", "New Zarkhan"); the
country the article gives a leader named without one."""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from ..records import Actor
from .names import Book, _dynamic, _lex, _tables, _unit_patterns, key_of, person_key, place_actor, unit_matches


# "Zarkhan's emergency services", "Dastaria's President": a name before a possessive and an
# official noun is a place; "Veldanian Airways", "Zembian soldiers": a demonym names one.
OFFICIAL_NOUNS = (r"government|cabinet|presidential|vote|army|military|armed forces|president|prime minister|foreign ministry|ministry|"
                  r"minister|ambassador|parliament|police|emergency services|electoral|election|national|"
                  r"defen[cs]e|foreign|interior|health|civil|contingent|pledge|authorities|officials|navy|air force|"
                  r"secretary of state|attorney general|governor|legislature|supreme court")


POSSESSIVE_PLACE = re.compile(rf"\b([A-Z][a-z]{{2,}})['’]s\s+(?:{OFFICIAL_NOUNS})\b", re.I)
# "\b[A-Z]" written "[A-Z](?<!\w[A-Z])" (a capital not after a word character: the same
# matches), so that the regex engine scans for capitals instead of trying every position.
DEMONYM_PLACE = re.compile(rf"([A-Z](?<!\w[A-Z])[a-z]{{3,}}(?:ian|an|i|ese))\s+(?i:{OFFICIAL_NOUNS}|Airways|Airlines|soldiers|"
                           rf"troops|citizens|lawmakers|forces)\b")


def learn_places(text: str, book: Book) -> None:
    """Learn places the lexicon does not list from how the text uses them. A text read once
    is not read again: the article's home place reads every sentence before the sentences
    are read one by one, and a second reading can learn nothing (what it learns only grows)."""
    read = book.__dict__.setdefault("_places_read", set())
    if text in read:
        return
    read.add(text)
    for m in POSSESSIVE_PLACE.finditer(text) if "'" in text or "’" in text else ():
        word = m.group(1)
        if re.search(r"[A-Z][\w.-]*\s+$", text[:m.start()]):
            continue                          # "South Korea's": part of a longer name
        if word[0].isupper() and _unknown(word, book):
            book.places.setdefault(word, word)
            book.learned.setdefault("place:" + word, place_actor(word))
    for m in DEMONYM_PLACE.finditer(text):
        word = m.group(1)
        if not _unknown(word, book):
            continue
        name = _demonym_place(word, book)
        if name is None:
            continue
        book.places[word] = name
        book.places.setdefault(name, name)
        book.learned.setdefault("place:" + word, Actor(((f"g:{key_of(name)}", name),)))


def _demonym_place(word: str, book: Book) -> str | None:
    """The place a demonym names: "Veldanian" -> Veldania, "Kessalan" -> Kessala. Only "-ian"
    is sure to be one; a word in "-an", "-i" or "-ese" is a demonym only when the article or
    the book names its place: "Yongsan police", "Metropolitan Police" and "Cayman Airways" are
    names of their own, and "European officials" share a stem with a listed place (Europe's
    union) without naming a country."""
    base = word[:-3] if word.endswith("ese") else re.sub(r"(?:n|i)$", "", word)
    known = book.places.get(base) or next((p for p in book.places.values() if key_of(p).startswith(key_of(base)[:5])), None)
    if known:
        return known
    if any(key_of(p).startswith(key_of(base)[:DEMONYM_STEM]) for p in _tables()["places"]):
        return None                           # a listed place's kin: not a new country
    if word.endswith("ian") or any(re.search(rf"\b{re.escape(base)}\b", t) for t in book.texts):
        return base
    return None


# A demonym and its place share their first letters: "Europ-ean", "Europ-e" (5).
DEMONYM_STEM = 5


def _unknown(word: str, book: Book) -> bool:
    t = _tables()
    return word not in t["places"] and word.lower() not in t["bodies"] and word not in t["not_names"] \
        and word not in book.places and book.person(person_key(word)) is None and not is_person_word(word, book)


# A person named in full: after an official title ("Prime Minister Ana Ruiz Soto") or before
# a reporting verb ("Ana Ruiz said"). Each word of such a name is a person's, never a place:
# "Ruiz's government" is the premier's, and "Ana's government" is not a country called Ana.
_CAPS = r"[A-Z][\w’'-]+"
# A middle initial inside a full name: "George W. Bush", "John F. Kennedy".
_INITIAL = r"(?:\s+[A-Z]\.)?"
# A name with a middle initial is a person's wherever it stands: "Ana M. Ruiz".
_INITIALLED = re.compile(rf"([A-Z](?<!\w[A-Z])[\w’'-]+\s+[A-Z]\.\s+{_CAPS})")   # "\b{_CAPS}": see DEMONYM_PLACE
_REPORTS = r"(?:said|says|told|added|wrote|announced|declared|insisted|denied|confirmed)"
_REPORTED = re.compile(rf"\b({_CAPS}{_INITIAL}\s+{_CAPS})(?:,[^,]{{1,80}},)?\s+{_REPORTS}\b")
_REPORT_WORD = re.compile(_REPORTS)           # (in every _REPORTED match: a cheap test first)


def person_words(texts: list[str], book: Book) -> None:
    """Learn the words of people's full names in an article, read before its places."""
    words = book.__dict__.setdefault("_person_words", set())
    for text in texts:
        for m in unit_matches(book, 4, text):
            name = re.match(rf"\s+({_CAPS}(?:{_INITIAL}\s+{_CAPS}){{1,3}})", text[m.end():])
            if name:
                words.update(_bare_word(w) for w in name.group(1).split() if not w.endswith("."))
        for m in _INITIALLED.finditer(text):
            words.update(_bare_word(w) for w in m.group(1).split() if not w.endswith("."))
        for m in _REPORTED.finditer(text) if _REPORT_WORD.search(text) else ():
            if m.group(1).split()[0] in _tables()["not_names"]:
                continue                      # "The Charité, in an update, said": a body's name, not a person's
            words.update(_bare_word(w) for w in m.group(1).split() if not w.endswith("."))
    t = _tables()
    words.difference_update(w for w in list(words) if w in t["places"] or w in t["not_names"] or w.lower() in t["bodies"])


def is_person_word(word: str, book: Book) -> bool:
    return _bare_word(word) in book.__dict__.get("_person_words", ())


def _bare_word(word: str) -> str:
    return re.sub(r"['’]s?$", "", word)


def _sentence_place(book: Book, before: int) -> str | None:
    """The first country named in the sentence before `before`: 'Aldoria's cabinet approved
    ..., Defence Minister Viktor Strand said' makes Strand Aldoria's.

    What reading book.text[:before] finds, for every person of the sentence, without reading
    the sentence again for each (a 5 MB page of names cost its length per name): the
    sentence's places are found once, and a search for them tried at a position at least
    their longest name's length before `before` reads nothing at or past it, so it matched
    there what it matches in text[:before]. Only the last stretch is read again as cut."""
    text = book.text
    if _WIDE_SPACE.search(text):              # a phrase's space matches a run: no length bound
        return _sentence_place_cut(book, before)
    dynamic = _dynamic(book) if book.places else None
    # What a place search finds, and what it names, change only with the sentence and with
    # the places and acronyms the article learns (a lone name that acts becomes one).
    key = (text, dynamic.size if dynamic else 0, dynamic.parent.size if dynamic and dynamic.parent else 0,
           len(book.places.maps[0]))
    scans = book.__dict__.get("_place_scans")
    if scans is None or scans[0] != key:
        scans = (key, _scan(_unit_patterns()[2][1].finditer(text), _tables()["places"]),
                 _scan(dynamic.finditer(text), book.places) if dynamic else None)
        book.__dict__["_place_scans"] = scans
    found = [_first(scans[1], before, _static_longest(), lambda pos: _unit_patterns()[2][1].finditer(text, pos, before),
                    _tables()["places"])]
    if dynamic:
        found.append(_first(scans[2], before, dynamic.longest, lambda pos: dynamic.finditer(text, pos, before),
                            book.places))
    found = [f for f in found if f is not None]
    return min(found)[1] if found else None


_WIDE_SPACE = re.compile(r"\s\s")


def _sentence_place_cut(book: Book, before: int) -> str | None:
    """_sentence_place read the plain way, on the sentence cut at `before`."""
    text = book.text[:before]
    found = [(m.start(), _tables()["places"].get(m.group())) for m in _unit_patterns()[2][1].finditer(text)]
    if book.places:
        found += [(m.start(), book.places.get(m.group())) for m in _dynamic(book).finditer(text)]
    found = [(pos, name) for pos, name in found if _valid(name)]
    return min(found)[1] if found else None


@lru_cache(maxsize=1)
def _static_longest() -> int:
    """The longest name the static place pattern holds (see _unit_patterns)."""
    return max(len(a) for a in list(_tables()["places"]) + ["U.S."])


def _valid(name: str | None) -> bool:
    return bool(name) and name not in _lex()["words"]["organizations"]


def _scan(matches, table) -> tuple[list[int], list[int], int | None, str | None]:
    """Starts and ends of a place search's matches over a whole sentence, and the index and
    name of the first that names a country."""
    starts, ends, first, name = [], [], None, None
    for m in matches:
        if first is None and _valid(table.get(m.group())):
            first, name = len(starts), table.get(m.group())
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends, first, name


def _first(scan, before: int, longest: int, rescan, table) -> tuple[int, str] | None:
    """(start, name) of the first country the search finds in text[:before]. The matches the
    whole sentence gave that start at or before `safe` are the ones text[:before] gives (a
    search tried there reads at most `longest` characters and the one after); from there on,
    text[:before] is searched again, as it ends at `before`."""
    starts, ends, first, name = scan
    safe = before - longest - 1
    if first is not None and starts[first] <= safe:
        return starts[first], name
    n = bisect.bisect_right(starts, safe)     # the matches at or before `safe`: none names a country
    resume = max(ends[n - 1] if n else 0, safe + 1, 0)
    for m in rescan(resume):
        if _valid(table.get(m.group())):
            return m.start(), table.get(m.group())
    return None


PREFIXED_PLACE = re.compile(r"\b(?:New|Nueva|Nuevo|Baja)\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?")


def prefixed_places(text: str):
    """(start, end, name) of each place named by a listed one under a prefix: "New Mexico" is a
    place of its own (a state, a province), not the country it contains."""
    if "New" not in text and "Nuev" not in text and "Baja" not in text:
        return                                # (a cheap test first: most sentences have no prefix)
    for m in PREFIXED_PLACE.finditer(text):
        tail = m.group().split(None, 1)[1]
        if tail in _tables()["places"] or tail.split()[0] in _tables()["places"]:
            name = m.group() if tail in _tables()["places"] else m.group().rsplit(None, 1)[0]
            yield m.start(), m.start() + len(name), name


# "Cedar Point County", "Lake-Hollis County": a county named as news names it. Counties are
# actors of their own (a local government), never a person ("County" is no surname).
COUNTY = re.compile(r"\b[A-Z][\w’'-]*(?:[\s-][A-Z][\w’'-]*){0,3}\s+County\b")
# A county's name without "County" is learned when it is at least this long: "Lake" (4) yes,
# "Bay" (3) no; a short word is too often something else.
MIN_COUNTY_SHORT = 4


def county_name(name: str) -> str:
    """A county is keyed and shown by its name without "County" ("Lake-Hollis"), as news names it
    once introduced; a short name keeps the word ("Bay County")."""
    short = name.removesuffix(" County")
    return short if len(short) >= MIN_COUNTY_SHORT else name


def _counties(text: str):
    """(start, end, name) of each county named in the sentence, leading sentence words left out."""
    if "County" not in text:
        return                                # (a cheap test first: most sentences name no county)
    for m in COUNTY.finditer(text):
        words = m.group().split()
        while len(words) > 2 and words[0] in _tables()["not_names"]:
            words.pop(0)                      # "The Cedar Point County board", "In Avon County"
        name = " ".join(words)
        yield m.end() - len(name), m.end(), county_name(name)


def article_country(name: str, book: Book) -> str | None:
    """The country of a head of state or government named without one, from the article's other
    sentences: "French President Ana Ruiz", or a body of a fixed government named before her in
    a sentence that names her ("At a White House briefing, Ruiz said"). A visiting or foreign
    leader is common in news: the article's own country is the last guess, not the first."""
    surname = name.split()[-1]
    for text in book.texts:
        at = text.find(surname)
        if at < 0:
            continue
        for m in _unit_patterns()[2][1].finditer(text, max(0, at - LEADER_REACH), at):
            if LEADER_TITLE.fullmatch(text[m.end():at]):
                return _tables()["places"].get(m.group())       # "French President Ana Ruiz"
        bodies = [m for _, pattern in _unit_patterns()[:2] for m in pattern.finditer(text, 0, at)]
        if bodies:
            first = min(bodies, key=lambda m: m.start())
            return _lex()["bodies"][_tables()["bodies"][first.group().lower()]]["government"]
    return None


# A country adjective and a leader's name stand this close: "U.S. Vice President Ana Maria Ruiz" (34).
LEADER_REACH = 50
LEADER_TITLE = re.compile(r"(?:['’]s)?\s+(?:[A-Z][\w.-]*\s+|(?:prime|vice|supreme|deputy|crown)\s+|(?:minister|president|leader)\s+)+", re.I)


def is_country(name: str | None) -> bool:
    """Whether a figure's place is a country the lexicon lists (not a region or town the text named:
    "Tumbes", "the Tibet region"): only a country stands for a story's figures that name no place."""
    return name is not None and name in _country_names()


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    return frozenset(_lex()["places"])
