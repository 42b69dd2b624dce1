"""People and bodies named with a title: "Transport Minister Ana Ruiz", "the home ministry
spokesman", "Lt. Gen. Ivan Petrov" resolved to person -> body -> government, and the country a
body or an official takes when the words around them name none.

Split out of actors.py, which calls these while reading a sentence's mentions.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..records import Actor
from .. import lexicon
from .names import (MAX_NAME_WORDS, SUBJECT_VERB, Book, Mention, _canon, _lex, _lowered, _tables, _unit_patterns,
                    body_actor, key_of, person_key, place_actor)
from .places import _sentence_place, article_country, is_person_word


def default_country(book: Book, body: str | None) -> str | None:
    """The country of a body or an official whose words name none: that of a body of the same
    kind named in this sentence or the one before ("Ruritania's General Staff gave its account.
    Lt. Gen. Ivan Petrov said ..."), else the country the passage is about (see scene), else the
    article's. A book reading a title and lead alone, for story assignment (no article's
    sentences: book.texts), keeps such bodies without a country, as stories.py expects."""
    if not book.texts:
        return book.home
    return _recent_country(book, body) or _recent_country(book, body, whole=body not in BARE_HOME) \
        or scene_country(book) or book.home


# How far back "anywhere in the article" looks, in actors met: the development and held-out
# articles meet at most 61; a page of names stops here, so no mention reads them all.
WHOLE_REACH = 400


# Bodies a reporter names bare for the article's own country even after naming another's:
# "Zembia's government protested. The government said ..." is the home's.
BARE_HOME = ("government",)


def _recent_country(book: Book, body: str | None, whole: bool = False) -> str | None:
    """The country of the last body of this kind named with one, in this sentence or the one
    before; with `whole`, anywhere in the article: "Zembia's defence minister cautioned ..." makes
    a later "Defence Minister Ana Ruiz" Zembia's, whatever country the passage is about."""
    if not body or (whole and not book.texts):
        return None
    tail = "/" + key_of(body)
    for actor in reversed(book.seen[-WHOLE_REACH:] if whole else book.seen[book.marks[0]:]):
        levels = actor.levels[1:] if actor.key.startswith("p:") else actor.levels
        if len(levels) > 1 and levels[0][0].endswith(tail) and levels[-1][0].startswith("g:"):
            return levels[-1][1]
    return None


def scene_country(book: Book) -> str | None:
    """The country a passage is about: one that led the sentence before as the actor ("Ruritania
    dismissed the findings.", a heading "Ruritania: 'biased'"), or that an official without a
    country of his own was read as speaking for there. A reporter switching to another
    government's reaction names the country once, then its officials without it."""
    sentence, country = book.scene
    return country if sentence >= book.read - 1 else None


LEAD_ARTICLE = re.compile(r"^\s*(?:The|the)\s+$")
# A country heads its sentence as the actor: "Ruritania dismissed", "Ruritania: 'biased'".
SCENE_LEAD = re.compile(r"^\s*(?::|(?:,[^,]{0,80},\s*)?(?:on\s+\w+day\s+)?(?:has|have|had|is|was|will|would|\w+ed)\b)")


def set_scene(text: str, found: list[Mention], book: Book) -> None:
    """Remember the country this sentence is about, for the officials of the next (scene_country)."""
    lead = next((m for m in found if m.kind != "pronoun"), None)
    if lead is None or LEAD_ARTICLE.sub("", text[:lead.start]).strip(" “\"'"):
        scene = scene_country(book)
        if scene and any(m.actor.key.startswith("p:") and m.actor.levels[-1][1] == scene for m in found):
            book.scene = (book.read, scene)   # '"...," he told the radio': its official still speaks
        return
    country = lead.actor.levels[-1]
    if lead.kind == "place" and SCENE_LEAD.match(text[lead.end:]):
        book.scene = (book.read, lead.actor.name)
    elif lead.kind == "body" and country[0].startswith("g:") and SUBJECT_VERB.match(text[lead.end:]):
        book.scene = (book.read, country[1])    # "The Kremlin dismissed ...": its officials speak next
    elif country[0].startswith("g:") and country[1] == scene_country(book):
        book.scene = (book.read, country[1])    # its officials go on speaking for it


# "the secretary of public safety", "minister of tourism and aviation": an office named by its
# portfolio in plain words, which the lexicon need not list.
PORTFOLIO = re.compile(r"\b(?:[Ss]ecretary|[Mm]inister|[Dd]irector|[Cc]ommissioner)\s+(?:for|of)\s+(?:the\s+)?"
                       r"((?!the\b|state\b|staff\b)[a-z]+(?:\s+(?:and\s+)?[a-z]+){0,2}?)"
                       r"(?=\s*[,.;:)]|\s+(?:said|says|told|who|whose|has|had|was|is)\b)")


# Every PORTFOLIO match holds one of these.
PORTFOLIO_WORDS = ("ecretary", "inister", "irector", "ommissioner")


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
        yield m.start(), m.end(), known or f"{words} department"

# "the foreign ministers of Chile and Peru, Ana Ruiz and Tomas Vidal,": officials of several
# countries named in the same order.
PLURAL_TITLE = re.compile(r"\b([a-z]+(?:\s+[a-z]+)?)s\s+of\s+(?:the\s+)?$")


def respectively(text: str, found: list[Mention], book: Book) -> list[Mention]:
    """People named after a plural title over as many countries take one country each, in order."""
    places = [m for m in found if m.kind == "place"]
    people = [m for m in found if m.kind == "person"]
    if len(places) < 2 or len(people) < 2:
        return found
    for i in range(len(places) - 1):
        title = PLURAL_TITLE.search(text, 0, places[i].start)
        run = places[i:i + 2]
        who = [p for p in people if p.start > run[-1].end][:2]
        if title is None or len(who) < 2 or not re.fullmatch(r"\s+and\s+", text[run[0].end:run[1].start]) \
                or not re.fullmatch(r",\s*", text[run[1].end:who[0].start]) \
                or not re.fullmatch(r"\s+and\s+", text[who[0].end:who[1].start]):
            continue
        body = _tables()["titles"].get(_canon(title.group(1), "titles"))
        if body is None:
            continue
        for person, place in zip(who, run):
            if len(person.actor.levels) > 1:
                continue                      # known already: "Foreign Minister Tomas Vidal" of an earlier article
            actor = Actor(person.actor.levels[:1] + body_actor(body, place.actor.name, fixed=False).levels)
            book.note(actor)
            found[found.index(person)] = Mention(person.start, person.end, actor, "person")
    return found

LOCAL_APPOSITIVE = re.compile(r",\s+(?:the|a|an)\s+[^,;]{0,50},")


FORMER = re.compile(r"\b(?:former|ex-|retired|late|then-)\s*(?:[a-z-]+\s+){0,3}$", re.I)


def _person_of(group, names, body: Actor, title, book: Book) -> Mention:
    """'NDMA spokesman Dilshod Karimov': a person of a body known by its acronym."""
    name = " ".join(_bare(u[3]) for u in names[-MAX_NAME_WORDS:])
    actor = Actor(((person_key(name), name),) + body.levels)
    book.note(actor, title)
    return Mention(group[0][0], group[-1][1], actor, "person")


def _body(fixed: str | None, generic: str | None, place: str | None, named: str | None = None,
          home: str | None = None) -> Actor:
    if fixed:
        return body_actor(fixed, _lex()["bodies"][fixed]["government"], fixed=True)
    if named and not generic:
        key = f"b:{key_of(place or '?')}/{key_of(named)}"
        return Actor(((key, named),) + (place_actor(place).levels if place else ()))
    actor = body_actor(generic, place or home, fixed=False)
    if named:
        return Actor(((actor.key, named),) + actor.levels[1:])
    return actor


def _person(group, names, place, fixed, generic, title, book: Book, named=None) -> Mention | None:
    words = [_bare(u[3]) for u in names]
    # Names run to the end of the phrase; a lone capitalised word needs a title or a record.
    name = " ".join(words[-MAX_NAME_WORDS:])
    key = person_key(name)
    start, end = names[0][0], group[-1][1]
    start = group[0][0]
    known = book.person(key) or (_by_given_name(words[0], book) if len(words) == 1 else None)
    if len(words) == 1 and not (title or fixed or generic or known):
        if _media_in(book.text) and _media_before().search(book.text, 0, start):
            actor = Actor(((f"b:unknown/{key_of(words[0])}", words[0]),))
            book.note(actor)                  # "the daily Ekho": an outlet, a body of its own
            return Mention(start, end, actor, "body")
        local = LOCAL_APPOSITIVE.match(book.text, end)
        if local and re.search(rf"\b(?:{'|'.join(_lex()['words']['local_units'])})\b", local.group(), re.I):
            actor = place_actor(words[0])     # "Eastvale, the state's largest county, said"
            book.places.setdefault(words[0], words[0])
            book.note(actor)
            return Mention(start, end, actor, "place")
        if not SUBJECT_VERB.match(book.text[end:]) or is_person_word(words[0], book) \
                or _the_plural(book.text, start, words[0]) or _not_a_country(book.text, start, words[0]) \
                or LOCATIVE_BEFORE.search(book.text, 0, start):
            return None                       # "the prosecutor's office in Karlsruhe confirmed": a seat, not who acts
        if book.texts and _own_name(words[0], book):
            return _own_body(words[0], start, end, book)
        if start == 0 or not re.match(r"[A-Z][a-z]{3,}$", words[0]):
            return None
        actor = place_actor(words[0])         # "Aldoria, the region's largest power, has ruled out"
        book.places.setdefault(words[0], words[0])
        book.learned.setdefault("place:" + words[0], actor)
        book.note(actor)
        return Mention(start, end, actor, "place")
    body = fixed or generic or (_tables()["titles"].get(_canon(title, "titles")) if title else None)
    if FORMER.search(book.text[max(0, start - 40):start]) if book.text else False:
        actor = known if known and len(known.levels) == 1 else Actor(((key, name),))
        book.note(actor)                      # a former minister speaks for no ministry
        return Mention(start, end, actor, "person")
    if known and len(known.levels) > 1 and (not (place or fixed or named) and _same_body(known, generic)
                                            or not place and fixed and _own_office_of(known, group)):
        actor = known                         # "Transport Minister Ana Ruiz" again: the country met before
    elif named:
        home = _sentence_place(book, start) or default_country(book, generic)
        actor = Actor(((key, name),) + _body(fixed, generic, place, named, home if generic else None).levels)
    elif body in _lex()["words"]["independent"] and not place and _last_body(book, body):
        actor = Actor(((key, name),) + _last_body(book, body).levels)    # "the chief physician, Ana Ruiz": the hospital's
    elif body or place:
        home = (_sentence_place(book, start) or default_country(book, body)) if body != "parliament" else None
        if not (place or fixed or generic) and title and title in _lex()["words"].get("head_titles", ()):
            home = _sentence_place(book, start) or _sentence_government(book, start) \
                or article_country(name, book) or scene_country(book) or book.home
        actor = Actor(((key, known.name if known and len(known.name) > len(name) else name),)
                      + _body_levels(fixed, body, place, home))
    elif known:
        actor = known
    else:
        actor = Actor(((key, name),))
    book.note(actor, title)
    return Mention(start, end, actor, "person")


# A place named after a preposition of location is where a body sits or things happen, never
# the subject of the verb after it: "the federal prosecutor's office in Karlsruhe confirmed".
LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|near|outside|inside)\s+$", re.I)


def _own_name(word: str, book: Book) -> bool:
    """Whether a lone name is a company's or an organisation's, once per name and article (the
    article's sentences are read for it)."""
    seen = book.__dict__.setdefault("_own_names", {})
    if word not in seen:
        seen[word] = _company_use(word, book) and not _place_use(word, book)
    return seen[word]


def _place_use(word: str, book: Book) -> bool:
    """Whether the article uses a lone name as a place somewhere: where things happen ("in
    Aldoria", "troops to Aldoria"), or whose officials speak (learned by learn_places). A lone
    name that acts and is never so used is a body of its own: a company, an organisation."""
    if word in book.places:
        return True
    pattern = re.compile(rf"\b(?:in|into|to|across|throughout|inside|from)\s+{re.escape(word)}\b(?!['’])")
    if any(pattern.search(text) for text in book.texts):
        return True
    return _listed_with_country(word, book)


def _company_use(word: str, book: Book) -> bool:
    """Whether the article marks a lone name as a company's or an organisation's ('clothing
    group Valcor', 'Valcor, the retailer,', 'brands such as Valcor', 'Valcor's suppliers')."""
    marked = book.__dict__.get("_company_texts")
    if marked is None or marked[0] is not book.texts:
        marked = (book.texts, [text for text in book.texts if _company_marks().search(text)])
        book.__dict__["_company_texts"] = marked
    texts = [text for text in marked[1] if word in text]
    if not texts:                        # most articles name no company noun: nothing to compile
        return False
    nouns, parts = _company_words()
    name = re.escape(word)
    pattern = re.compile(rf"\b(?:{nouns})\s+(?:(?:such as|including|like)\s+(?:[A-Z][\w&’'-]*(?:,\s+|\s+and\s+))*)?{name}\b"
                         rf"|\b{name}(?:['’]s)?\s+(?:{parts})\b|\b{name},\s+(?:the|a|an)\s+(?:[\w-]+\s+){{0,3}}(?:{nouns})\b")
    return any(pattern.search(text) for text in texts)


@lru_cache(maxsize=1)
def _company_marks() -> re.Pattern:
    """Any company noun or part: a sentence without one cannot mark a name as a company's."""
    nouns, parts = _company_words()
    return re.compile(rf"\b(?:{nouns}|{parts})\b")


@lru_cache(maxsize=1)
def _company_words() -> tuple[str, str]:
    words = _lex()["words"]
    return "|".join(map(re.escape, words["company_nouns"])), "|".join(map(re.escape, words["company_parts"]))


def _listed_with_country(word: str, book: Book) -> bool:
    """'Malaysia and Oman closed their airspace': a name listed with a country is one too."""
    places = _tables()["places"]
    name = re.escape(word)
    pattern = re.compile(rf"\b([A-Z][\w.’'-]*(?:\s+[A-Z][\w’'-]*)?)(?:,|,?\s+and|,?\s+or)\s+{name}\b|"
                         rf"\b{name}(?:,|\s+and|\s+or)\s+([A-Z][\w.’'-]*(?:\s+[A-Z][\w’'-]*)?)")
    for text in book.texts:
        for m in pattern.finditer(text) if word in text else ():
            other = m.group(1) or m.group(2)
            if any(part in places or part in book.places for part in (other, other.split()[0])):
                return True
    return False


def _own_body(word: str, start: int, end: int, book: Book) -> Mention | None:
    """'Benetton said', 'Walmart, which ..., said': a company or an organisation named alone
    speaks for itself, never for a country. At a sentence's start, where any word is
    capitalised, the name must also be written capitalised inside a sentence of the article."""
    if start == 0 and not any(re.search(rf"[a-z,;:]\s+{re.escape(word)}\b", text) for text in book.texts):
        return None
    actor = Actor(((f"b:unknown/{key_of(word)}", word),))
    book.note(actor)
    book.__dict__.setdefault("_own_bodies", set()).add(actor.key)
    return Mention(start, end, actor, "body")


def _not_a_country(text: str, start: int, word: str) -> bool:
    """'Veldanian officials': a demonym, which names a country only through learn_places."""
    return bool(DEMONYM.search(word))


DEMONYM = re.compile(r"(?:ian|ean|ese|ish)$")


@lru_cache(maxsize=16)
def _media_in(text: str) -> bool:
    """Whether a sentence holds a word of the media at all: _media_before reads the sentence
    up to each lone name, and most sentences hold none. Looked for in lower case (see
    names.Prefiltered), or as _media_before looks when that cannot be done."""
    words, lowered = _media_words(), _lowered(text)
    if words is None or lowered is None:
        return re.search(rf"(?:{'|'.join(_lex()['words']['media'])})", text, re.I) is not None
    return words.search(lowered) is not None


@lru_cache(maxsize=1)
def _media_words() -> re.Pattern | None:
    try:
        return lexicon.lowered_pattern(rf"(?:{'|'.join(_lex()['words']['media'])})")
    except ValueError:                        # a cased letter beyond ASCII
        return None


@lru_cache(maxsize=1)
def _media_before() -> re.Pattern:
    """'the business daily Ekho', 'the Telegram channel Ekho': an outlet named after what it is."""
    return re.compile(rf"\b(?:{'|'.join(_lex()['words']['media'])})\s+(?:[A-Z][\w-]*\s+)?$", re.I)


def _the_plural(text: str, start: int, word: str) -> bool:
    """'the Marines said', 'the Greens said': a group named in the plural, not a country (those
    named so, 'the Netherlands', are in the lexicon)."""
    return word.endswith("s") and bool(re.search(r"\bthe\s+$", text[:start], re.I))


def _last_body(book: Book, body: str) -> Actor | None:
    """The last body of a kind that speaks for itself (a hospital, a court, a company) met in the
    article: an official of that kind named without one works there."""
    tail = "/" + key_of(body)
    return next((a for a in reversed(book.seen) if a.key.startswith("b:") and a.key.endswith(tail)), None)


def _own_office_of(known: Actor, group) -> bool:
    """'Secretary of State Ana Ruiz' after 'Eastvale's secretary of state, Ana Ruiz': the office
    of the place met before, not the nation's office of that name."""
    office = next((u[3] for u in group if u[2] == "body"), "")
    return known.levels[1][0].endswith("/" + key_of(office))


def _same_body(known: Actor, generic: str | None) -> bool:
    """A title without a country ("Transport Minister") keeps the person's known body, if it names that body."""
    return generic is None or known.levels[1][0].endswith("/" + key_of(generic))


def _by_given_name(word: str, book: Book) -> Actor | None:
    """'Taro said' after 'Prime Minister Taro Vensen', 'Kim said' after 'Kim Jong Un', 'Ruiz
    said' after 'Ana Ruiz' (keyed whole: person_key): the one person of the article whose
    name begins or ends with the word."""
    people = book.seen_index()[1].get(word)     # the people of book.seen so named: key -> the last met
    return next(iter(people.values())) if people and len(people) == 1 else None


def _sentence_government(book: Book, before: int) -> str | None:
    """The government of the first body with a fixed government named in the sentence before
    `before`: "In remarks the Kremlin released, President X said" makes X the Kremlin's."""
    found = [m for _, pattern in _unit_patterns()[:2] for m in pattern.finditer(book.text, 0, before)]
    if not found:
        return None
    first = min(found, key=lambda m: m.start())
    return _lex()["bodies"][_tables()["bodies"][first.group().lower()]]["government"]


def _bare(word: str) -> str:
    """'Putin’s' -> 'Putin', 'Campbell.' -> 'Campbell' (but 'J.' stays an initial)."""
    word = word.removesuffix("’s").removesuffix("'s").rstrip("’'")
    return word if INITIAL.fullmatch(word) else word.rstrip(".")


INITIAL = re.compile(r"[A-Z]\.")


def _body_levels(fixed, body, place, home=None) -> tuple:
    if fixed:
        return _body(fixed, None, None).levels
    if body:
        return body_actor(body, place or home, fixed=False).levels
    return place_actor(place).levels


def _titled(start, end, title, place, text, book: Book) -> Mention | None:
    """'the secretary', 'a senior South Korean official': a person seen before, or a body."""
    before = text[max(0, start - 6):start].lower()
    if place:
        body = _tables()["titles"].get(_canon(title, "titles"), "government")
        actor = body_actor(body, place, fixed=False)
        book.note(actor)                      # "Zembia's defence minister": a later "Defence Minister X" is hers
        return Mention(start, end, actor, "anonymous")
    if before.rstrip().endswith("the"):
        actor = book.last("person", title.split()[-1])
        if actor is not None:
            return Mention(start, end, actor, "person")
    return None


