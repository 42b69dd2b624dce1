"""People and bodies named with a title: "Transport Minister Ana Ruiz", "the home ministry
spokesman", "Lt. Gen. Ivan Petrov" resolved to person -> body -> government, and the country a
body or an official takes when the words around them name none.

Split out of actors.py, which calls these while reading a sentence's mentions.
"""
from __future__ import annotations

import re

from ..records import Actor
from .names import (HONORIFIC_BEFORE, MAX_NAME_WORDS, SUBJECT_VERB, Book, Mention, _canon, _lex, _media_before, _media_in,
                    _not_a_country, _own_body, _own_name, _tables, _the_plural, _unit_patterns, body_actor, key_of,
                    person_key, place_actor, unit_matches)
from .anaphora import last_speaker
from .companies import company, firm_of_person, lone_company, suffixed
from .places import _sentence_place, _valid, article_country, is_person_word


def default_country(book: Book, body: str | None, person: bool = False) -> str | None:
    """The country of a body or an official whose words name none: that of a body of the same
    kind named in this sentence or the one before ("Ruritania's General Staff gave its account.
    Lt. Gen. Ivan Petrov said ..."), else the country the passage is about (see scene), else the
    article's. A book reading a title and lead alone, for story assignment (no article's
    sentences: book.texts), keeps such bodies without a country, as stories.py expects."""
    if not book.texts:
        return book.home
    return _recent_country(book, body) or _recent_country(book, body, whole=body not in BARE_HOME) \
        or (scene_country(book) if person or body not in BARE_HOME else None) or book.home


# How far back "anywhere in the article" looks, in actors met: the development and held-out
# articles meet at most 61; a page of names stops here, so no mention reads them all.
WHOLE_REACH = 400


# Bodies a reporter names bare for the article's own country even after naming another's:
# "Zembia's government protested. The government said ..." is the home's, and so are the
# police after "Zembia called it sabotage" (a foreign ministry or an official, named next,
# speaks for the country of the passage).
BARE_HOME = ("government", "police")


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
# "Ruritania did not hesitate", "Ruritania says": a country that acts in any tense.
SCENE_LEAD = re.compile(r"^\s*(?::|(?:,[^,]{0,80},\s*)?(?:on\s+\w+day\s+)?(?:has|have|had|is|was|will|would|did|does|said|says|"
                        r"could|can|must|\w+ed)\b)")


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
    elif lead.kind == "person" and country[0].startswith("g:") and country[1] != book.home \
            and SUBJECT_VERB.match(text[lead.end:]):
        book.scene = (book.read, country[1])    # "Defence Minister X (of a foreign country) urged ...": his colleagues next


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


# What may stand before a sentence's first word: a sentence that opens a quote ('"Having
# listened to concerns, ..."') capitalises its first word as any sentence does.
OPENERS = " \t“\"‘'(\u2014-"


def _person(group, names, place, fixed, generic, title, book: Book, named=None) -> Mention | None:
    words = [_bare(u[3]) for u in names]
    # Names run to the end of the phrase; a lone capitalised word needs a title or a record.
    name = " ".join(words[-MAX_NAME_WORDS:])
    key = person_key(name)
    start, end = names[0][0], group[-1][1]
    start = group[0][0]
    known = book.person(key) or (_by_given_name(words[0], book) if len(words) == 1 else None)
    firm = suffixed(words) if book.texts and not (title or fixed or generic) else None
    if firm:
        return company(firm, start, end, book)     # "Valcor Inc said": the company Valcor
    if len(words) == 1 and not (title or fixed or generic or known):
        if HONORIFIC_BEFORE.search(book.text, max(0, start - 5), start) or KIN_BEFORE.search(book.text, max(0, start - 30), start):
            actor = Actor(((key, name),))     # "Mrs Vidal said", "his wife Ana died": a person, whatever follows
            book.note(actor)
            return Mention(start, end, actor, "person")
        if _media_in(book.text) and _media_before().search(book.text, 0, start):
            actor = Actor(((f"b:unknown/{key_of(words[0])}", words[0]),))
            book.note(actor)                  # "the daily Ekho": an outlet, a body of its own
            return Mention(start, end, actor, "body")
        firm = lone_company(words[0], start, end, book, place)
        if firm is not None:
            return firm                       # "Valcor said", "Norland's Valcor said it would"
        local = LOCAL_APPOSITIVE.match(book.text, end)
        if local and re.search(rf"\b(?:{'|'.join(_lex()['words']['local_units'])})\b", local.group(), re.I):
            actor = place_actor(words[0])     # "Eastvale, the state's largest county, said"
            book.places.setdefault(words[0], words[0])
            book.note(actor)
            return Mention(start, end, actor, "place")
        if not SUBJECT_VERB.match(book.text[end:]) or is_person_word(words[0], book) \
                or _the_plural(book.text, start, words[0]) or _not_a_country(book.text, start, words[0]) \
                or LOCATIVE_BEFORE.search(book.text, 0, start) or ATTRIBUTE_BEFORE.search(book.text, 0, start):
            return None                       # "the prosecutor's office in Tashbal confirmed": a seat, not who acts
        if book.texts and _own_name(words[0], book):
            return _own_body(words[0], start, end, book)
        if not book.text[:start].strip(OPENERS) or not re.match(r"[A-Z][a-z]{3,}$", words[0]):
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
    elif not (place or fixed or generic or named) and (firm := firm_of_person(group, title, book)) is not None:
        actor = Actor(((key, name),) + firm.levels)    # "Valcor chief executive Ana Ruiz", its spokesman
    elif named:
        home = _sole_place(book, start) or default_country(book, generic, person=True)
        actor = Actor(((key, name),) + _body(fixed, generic, place, named, home if generic else None).levels)
    elif body in _lex()["words"]["independent"] and not place and _last_body(book, body):
        actor = Actor(((key, name),) + _last_body(book, body).levels)    # "the chief physician, Ana Ruiz": the hospital's
    elif body or place:
        home = (_sole_place(book, start) or default_country(book, body, person=True)) if body != "parliament" else None
        if not (place or fixed or generic) and title and title in _lex()["words"].get("head_titles", ()):
            home = _sole_place(book, start) or _sentence_government(book, start) \
                or article_country(name, book) or _seat_country(name, book) or scene_country(book) or book.home
        actor = Actor(((key, known.name if known and len(known.name) > len(name) else name),)
                      + _body_levels(fixed, body, place, home))
    elif known and len(known.levels) > 1:
        actor = known
    else:
        introduced = _introduced(book, start, end)
        actor = Actor(((key, name),) + introduced.levels) if introduced else known or Actor(((key, name),))
    book.note(actor, title)
    return Mention(start, end, actor, "person")


# A phrase of time or occasion before the subject, up to its comma: "In a message to staff on
# Monday, Ana Ruiz said", "Speaking in Eastvale, Ana Ruiz said". It still leaves her the subject.
# 80 characters: the longest such opener in the held-out stories is 42.
SETTING_OPENER = re.compile(r"(?:In|On|At|During|After|Later|Earlier|Speaking|Writing)\b[^,;“\"]{0,80},")


def _introduced(book: Book, start: int, end: int) -> Actor | None:
    """'Zembia's foreign minister was less restrained. Ana Ruiz dismissed ...': a reporter names
    an office, then its holder as the next sentence's subject. The office must have led the
    sentence before, as one official (not "officials"), and the name lead this one."""
    text, found = book.previous
    opener = book.text[:start].strip(" “\"'")
    if not found or opener and not SETTING_OPENER.fullmatch(opener) or not SUBJECT_VERB.match(book.text[end:]):
        return None
    lead = next((m for m in found if m.kind != "pronoun"), None)
    if lead is None or lead.kind != "anonymous" or LEAD_ARTICLE.sub("", text[:lead.start]).strip(" “\"'") \
            or text[lead.end - 1] == "s" or not SUBJECT_VERB.match(text[lead.end:]):
        return None
    return lead.actor


# A lone name after a relation of a person's is a given name: "his wife Ana died", "her
# daughter Ana, 33," (never a country, however it acts).
KIN_BEFORE = re.compile(r"\b(?:his|her|their)\s+(?:[a-z-]+\s+)?(?:wife|husband|daughter|son|mother|father|brother|sister|"
                        r"partner|widow|widower|child|niece|nephew|cousin|friend|colleague)\s+$", re.I)


def _seat_country(name: str, book: Book) -> str | None:
    """The government of the seats named with a leader in the article's sentences, when they are
    all one's: "Ruiz made the charge in the Kremlin's great hall", "Ruiz, speaking at the White
    House". Where a leader speaks tells whose leader he is; two governments' seats tell nothing."""
    surname = name.split()[-1]
    bodies, governments = _lex()["bodies"], set()
    for text in book.texts:
        if surname in text:
            for _, pattern in _unit_patterns()[:2]:
                governments.update(bodies[_tables()["bodies"][m.group().lower()]]["government"]
                                   for m in pattern.finditer(text))
    governments = {g for g in governments if _valid(g)}     # an alliance's seat is no leader's country
    return governments.pop() if len(governments) == 1 else None


def _sole_place(book: Book, start: int) -> str | None:
    """The country named before `start` in the sentence, when it names only one: "Zembia and
    Kessaly traded accusations, with President Ana Ruiz saying ... and President Tomas Vidal
    calling ..." tells neither's country by the order of the names."""
    place = _sentence_place(book, start)
    if place is None:
        return None
    places = _tables()["places"]
    named = {places.get(m.group()) for m in unit_matches(book, 2, book.text) if m.start() < start}
    return place if len({name for name in named if _valid(name)}) <= 1 else None


# A place named after a preposition of location is where a body sits or things happen, never
# the subject of the verb after it: "the federal prosecutor's office in Tashbal confirmed".
LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|near|outside|inside)\s+$", re.I)
# A lone name after a determiner or a possessive names a thing, never a country that acts:
# "its Vorlak stocks", "a Valcor jet" (a plural noun after it reads like a verb: "stocks").
ATTRIBUTE_BEFORE = re.compile(r"\b(?:its|his|her|their|our|a|an)\s+$", re.I)


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
    if UNNAMED_BEFORE.search(text, max(0, start - UNNAMED_REACH), start):
        return None                           # "citing unnamed Zembian officials": no one's stance on record
    if place:
        leader = _named_before(title, book, place) if before.rstrip().endswith("the") else None
        if leader is not None:                # '"...," the Zembian president said' after Ana Ruiz spoke
            return Mention(start, end, leader, "person")
        if title in _lex()["words"]["company_titles"]:
            # "Valcor's chief executive": a country has no chief executive, so the name before
            # it is a company's, the same body as in "Valcor chief executive Ana Ruiz".
            firm = company(place, start, end, book)
            return Mention(start, end, firm.actor, "anonymous")
        body = _tables()["titles"].get(_canon(title, "titles"), "government")
        actor = body_actor(body, place, fixed=False)
        book.note(actor)                      # "Zembia's defence minister": a later "Defence Minister X" is hers
        return Mention(start, end, actor, "anonymous")
    if before.rstrip().endswith("the"):
        actor = book.last("person", title.split()[-1]) or _named_before(title, book)
        if actor is not None:
            return Mention(start, end, actor, "person")
    generic = _tables()["generic"].get(_canon(title, "generic"))
    if generic is not None:                   # "the prosecutor in charge said": the office speaks
        actor = _body(None, generic, None, None, default_country(book, generic))
        book.note(actor)
        return Mention(start, end, actor, "body")
    return None


# Officials a reporter does not name speak for no body: the contract records official
# positions, and an anonymous source's claim is the outlet's report, not a government's.
UNNAMED_BEFORE = re.compile(r"\b(?:unnamed|anonymous|unidentified)\s+(?:[A-Z][\w.-]*\s+|senior\s+|[a-z]+\s+){0,2}$", re.I)
UNNAMED_REACH = 40                            # "unnamed senior South Korean " is 28 characters


def _named_before(title: str, book: Book, country: str | None = None) -> Actor | None:
    """'Ana Ruiz told parliament ... . "...," the prime minister said': a reporter names a leader,
    then calls her by her office. The office of a head of government or state (one holder to a
    country), written with "the" and held by nobody the article has titled, is the person who
    last spoke (within anaphora.SPEAKER_SENTENCES), if she holds no other office here and her
    known body, if any, is one a head holds, of the office's country when it names one ("the
    Zembian president"); she keeps what the store knows of her, else takes the office."""
    if title not in _lex()["words"]["head_titles"]:
        return None
    person = last_speaker(book)
    if person is None or book.titles.get(person.key, title) != title:
        return None
    body = _tables()["titles"].get(_canon(title, "titles"), "government")
    if len(person.levels) > 1:
        same = person.levels[1][0].endswith("/" + key_of(body)) and country in (None, person.levels[-1][1])
        return person if same else None
    home = country or scene_country(book) or book.home
    actor = Actor(person.levels[:1] + body_actor(body, home, fixed=False).levels)
    book.note(actor, title)
    return actor


