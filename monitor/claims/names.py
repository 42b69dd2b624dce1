"""Names the claim stage knows: the actor lexicon as tables and patterns, keys for people,
bodies and places, and the Book that remembers who an article has named.

Shared by actors.py (reading mentions) and places.py (learning places from the text).
"""
from __future__ import annotations

import re
import unicodedata
from collections import ChainMap
from dataclasses import dataclass, field
from functools import lru_cache

from .. import lexicon
from ..records import Actor, Directory


TOKEN = re.compile(r"[A-Za-z\u00C0-\u024F][\w.\u00C0-\u024F'’-]*|\d[\d,.]*|\S")


POSSESSIVE = re.compile(r"^(?:['’]s?)$")


# Up to four capitalised words make a name: "Volodymyr Zelensky", "Kim Jong Un".
MAX_NAME_WORDS = 4


# "they" is left out: in news it points at the counted (troops, victims) as often as at a body.
PRONOUNS = {"he": "person", "she": "person", "him": "person", "her": "person", "his": "person",
            "it": "body", "its": "body"}


# "It is unclear", "it's too soon": an expletive "it" points at nothing.
EXPLETIVE = re.compile(r"^\s*(?:is|was|'s|’s|remains|seems|appears|would be|will be)\b", re.I)


# A mention followed by a verb is a sentence subject, which a later "it" points back to.
SUBJECT_VERB = re.compile(r"^\s*(?:,[^,]{0,80},\s*)?(?:on\s+\w+day\s+)?(?:has|have|had|is|are|was|were|will|would|could|can|may|"
                          r"might|should|did|does|do|said|told|sent|took|made|gave|put|held|won|lost|led|began|saw|met|came|went|"
                          r"thought|knew|kept|left|brought|found|built|spoke|wrote|ran|struck|hit|shot|fell|rose|\w+ed|\w+s)\b")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    actor: Actor
    kind: str               # person | body | place | pronoun | anonymous | group
    also: tuple = ()        # a group's other members ("the two ministers": the second one)


@dataclass
class Book:
    """People and bodies met so far: in this article, and from the store's directory."""

    known: Directory = field(default_factory=Directory)       # what the store knows: read, never written
    seen: list[Actor] = field(default_factory=list)            # this article, in order
    titles: dict[str, str] = field(default_factory=dict)       # person key -> title words
    learned: dict[str, Actor] = field(default_factory=dict)    # people this article taught us
    subjects: list[Actor] = field(default_factory=list)        # bodies and places that led a sentence
    places: dict[str, str] = field(default_factory=dict)       # places learned from the text: alias -> name
    aliases: dict[str, Actor] = field(default_factory=dict)    # acronyms of bodies: "NDMA" -> actor
    home: str | None = None                                    # the article's main country
    text: str = ""                                             # the sentence being read
    texts: list[str] = field(default_factory=list)             # the article's sentences, when known
    index: int = -1                                            # the place of `text` in `texts`
    found: list = field(default_factory=list)                  # the mentions of `text`
    previous: tuple = ("", [])                                 # the sentence before: (text, mentions)
    quoted: tuple = (-1, None)                                 # (sentence index, speaker) of the last quote read
    inside: int = 0                                            # sentences a quote has run on into `text` (0: none)
    read: int = 0                                              # sentences read so far
    marks: tuple = (0, 0)                                      # len(seen) when the previous and this sentence began
    scene: tuple = (-2, None)                                  # (sentence, country) of the last country that acted
    spoke: tuple = (-9, None)                                  # (sentence, person) of the last person who spoke

    def __post_init__(self):
        # This article's own places and acronyms over the store's: what it learns is written
        # to the first map and never reaches the store's directory until it is saved.
        if not isinstance(self.known, Directory):
            self.known = Directory(self.known)
        self.places = ChainMap(dict(self.places), self.known.places)
        self.aliases = ChainMap(dict(self.aliases), self.known.aliases)

    def scratch(self) -> "Book":
        """A copy to read a later sentence with, ahead of its turn: what it learns (people,
        places, acronyms) stays in the copy."""
        copy = Book.__new__(Book)
        copy.__dict__.update(self.__dict__)
        copy.__dict__.pop("_phrases", None)   # the index of the article's own places: rebuilt from the copy's
        copy.__dict__.pop("_seen_index", None)  # the index of `seen`: rebuilt from the copy's
        copy.seen, copy.subjects = list(self.seen), list(self.subjects)
        copy.titles, copy.learned = dict(self.titles), dict(self.learned)
        copy.places = ChainMap(dict(self.places.maps[0]), *self.places.maps[1:])
        copy.aliases = ChainMap(dict(self.aliases.maps[0]), *self.aliases.maps[1:])
        copy.texts, copy.index = [], -1
        return copy

    def advance(self, text: str) -> None:
        """Start reading `text`: the sentence read so far becomes the previous one."""
        self.previous = (self.text, self.found)
        self.found = []
        self.read += 1
        self.marks = (self.marks[1], len(self.seen))
        if self.index + 1 < len(self.texts) and self.texts[self.index + 1] == text:
            self.index += 1
            opened = bool(self.inside) != bool(len(QUOTE_MARK.findall(self.text)) % 2)
            self.inside = self.inside + 1 if opened and self.index > 0 else 0
            if self.inside > QUOTE_SENTENCES:
                self.inside = 0               # a stray mark, not a quote: no passage runs on so long
        else:
            self.texts, self.index, self.inside = [], -1, 0   # read out of order (a title, a lead)
        self.text = text
        _CURRENT[0] = self

    def neighbour(self, step: int) -> str | None:
        """The sentence `step` places after the one being read (before it, when negative)."""
        i = self.index + step
        return self.texts[i] if self.index >= 0 and 0 <= i < len(self.texts) else None

    def person(self, key: str) -> Actor | None:
        actor = self.seen_index()[0].get(key)
        if actor is not None:
            return actor
        return self.learned.get(key) or self.known.get(key)

    def seen_index(self) -> tuple[dict, dict]:
        """`seen` indexed, brought up to date with what was met since the last call: the last
        actor met under each key, and the people named in more than one word by their first
        and by their last word (key -> the last actor met so named, keys in the order first
        met). Looking through `seen` for every name read cost the article's length per name.
        `seen` only grows; a book's scratch copy has a list of its own and an index of its own."""
        cached = self.__dict__.get("_seen_index")
        seen = self.seen
        if cached is None or cached[0] is not seen or cached[1] > len(seen):
            cached = [seen, 0, {}, {}]
            self.__dict__["_seen_index"] = cached
        _, done, last, by_word = cached
        if done < len(seen):
            for actor in seen[done:]:
                key = actor.key
                last[key] = actor
                if key.startswith("p:"):
                    words = actor.name.split()
                    if len(words) > 1:
                        by_word.setdefault(words[0], {})[key] = actor
                        if words[-1] != words[0]:
                            by_word.setdefault(words[-1], {})[key] = actor
            cached[1] = len(seen)
        return last, by_word

    def note(self, actor: Actor, title: str | None = None) -> None:
        self.seen.append(actor)
        if actor.key.startswith("p:"):
            if len(actor.levels) > 1 or actor.key not in self.learned:
                self.learned[actor.key] = actor
            if title:
                self.titles[actor.key] = title

    def last(self, kind: str, title: str | None = None) -> Actor | None:
        for actor in reversed(self.seen):
            is_person = actor.key.startswith("p:")
            if kind == "person" and not is_person or kind == "body" and is_person:
                continue
            if title and title not in self.titles.get(actor.key, ""):
                continue
            return actor
        return None


QUOTE_MARK = re.compile(r"[\"“”]")
# A quoted passage runs on across at most this many sentences: reporters name the speaker
# within a quote's first two or three sentences, so a mark left open longer is a stray one.
QUOTE_SENTENCES = 3


# The book of the sentence being read: attribution asks it for the sentences around a quote
# whose speaker the sentence does not name. One claim stage reads one article at a time.
_CURRENT: list = [None]


def current_book(text: str) -> Book | None:
    """The book reading `text` now, if any."""
    book = _CURRENT[0]
    return book if book is not None and book.text == text else None


@lru_cache(maxsize=1)
def _lex() -> dict:
    return lexicon.load("actors")


@lru_cache(maxsize=1)
def _tables() -> dict:
    lex = _lex()
    places = {alias: name for name, aliases in lex["places"].items() for alias in aliases}
    bodies = {alias.lower(): name for name, spec in lex["bodies"].items() for alias in spec["aliases"]}
    generic = {alias: name for name, aliases in lex["generic_bodies"].items() for alias in aliases}
    titles = {alias: body for body, aliases in lex["titles"].items() for alias in aliases}
    by_generic = {(spec["government"], spec["generic"]): name for name, spec in lex["bodies"].items() if "generic" in spec}
    return {"places": places, "bodies": bodies, "generic": generic, "titles": titles, "by_generic": by_generic,
            "not_names": set(lex["words"]["not_names"]), "anaphors": set(lex["words"]["anaphors"])}


@lru_cache(maxsize=1)
def _unit_patterns() -> list[tuple[str, "re.Pattern | Prefiltered"]]:
    t = _tables()
    def alt(words, flags=0, before=""):
        trie = lexicon.alternation(words)
        pattern = re.compile(rf"{before}(?<![\w.])(?:{trie})(?![\w-])", flags)
        if not flags & re.I:
            return Prefiltered(pattern, re.compile(trie))   # found by its first letters
        # The character before, then the alternation, in lower case; a cased letter beyond
        # ASCII may stand for any character there (`lead` need only match where the whole does).
        return Prefiltered(pattern, _lower_lead(rf"[^\w.](?:{trie})"), shifted=True, lowered=True)
    short = [a for a in t["places"] if a.isupper() and len(a.replace(".", "")) <= 3]
    return [
        ("body", alt([a for spec in _lex()["bodies"].values() for a in spec["aliases"] if not _is_acronym(a)], re.I)),
        ("body", alt([a for name, spec in _lex()["bodies"].items() for a in spec["aliases"] if _is_acronym(a)])),
        ("place", alt([a for a in t["places"] if a not in short] + ["U.S."], 0, NOT_THE_PLACE)),
        ("place", alt(short)),
        ("title", alt(t["titles"], re.I)),
        ("generic", alt(t["generic"], re.I)),
    ]


def unit_matches(book: "Book", index: int, text: str) -> list[re.Match]:
    """The matches of _unit_patterns()[index] in the whole of `text`, kept by the book: the
    article's home place reads every sentence for places and titles before they are read one
    by one (a book's scratch copy shares them: they depend on the text alone)."""
    scans = book.__dict__.setdefault("_unit_scans", {})
    found = scans.get((index, text))
    if found is None:
        found = scans[(index, text)] = list(_unit_patterns()[index][1].finditer(text))
    return found


class Prefiltered:
    """A pattern that starts with lookbehinds (or \\b), searched in two steps, with the
    matches the pattern itself gives. Lookbehinds first keep the regex engine from scanning
    for the alternation's first letters, so it tried them at every character of every
    sentence (the place pattern: 0.57 ms an article). Here `lead`, which matches wherever the
    whole pattern does (its alternation alone), is scanned for fast, and the whole pattern is
    tried only where `lead` matched, from the leftmost such place on, as the whole pattern's
    own search would have tried it (a lookbehind sees the text before `pos`, as there).

    `shifted`: `lead` starts one character before the whole pattern (the character its
    lookbehind allows), so a match at the very start of the text is tried directly.
    `lowered`: `lead` is in lower case and searched in the text lowered (an IGNORECASE
    alternation is tried branch by branch at every word; a lower-case one is skipped by its
    first letters); a text holding a character that lower-casing would lengthen or that
    IGNORECASE matches to an ASCII letter (numbers.FOLDS_TO_ASCII) is searched plainly."""

    def __init__(self, pattern: re.Pattern, lead: re.Pattern, shifted: bool = False, lowered: bool = False):
        self.whole, self.lead, self.shifted, self.lowered = pattern, lead, shifted, lowered
        self.pattern, self.flags = pattern.pattern, pattern.flags

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match | None:
        return next(self.finditer(text, pos, endpos), None)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        endpos = len(text) if endpos is None else min(endpos, len(text))
        pos = max(pos, 0)
        target = text
        if self.lowered:
            target = _lowered(text)
            if target is None:
                yield from self.whole.finditer(text, pos, endpos)
                return
        lead, whole, shift = self.lead.search, self.whole.match, int(self.shifted)
        if shift and pos == 0:                # no character before the start: tried as it is
            match = whole(text, 0, endpos)
            if match is not None:
                yield match
                pos = match.end() if match.end() > 0 else 1
        while (hit := lead(target, max(pos - shift, 0), endpos)) is not None:
            start = hit.start() + shift
            match = whole(text, start, endpos)
            if match is None:
                pos = start + 1
                continue
            yield match
            pos = match.end() if match.end() > start else start + 1   # (no phrase is empty)

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match | None:
        return self.whole.match(text, pos, len(text) if endpos is None else endpos)


def _lower_lead(source: str) -> re.Pattern:
    """lexicon.lowered_pattern, for a pattern of literal phrases (an alternation's: no character
    classes but escaped ones), with each cased letter beyond ASCII made a dot."""
    parts = re.split(r"(\\.|\[\^\\w\.\])", source)        # escapes and the leading class stay as written
    return re.compile("".join(p if p.startswith(("\\", "[^")) else
                              "".join(c.lower() if c.isascii() else "." if c.lower() != c.upper() else c for c in p)
                              for p in parts))


# Characters beyond ASCII that IGNORECASE matches to an ASCII letter, or that str.lower()
# lengthens (U+0130): numbers.FOLDS_TO_ASCII.
_FOLDS = re.compile("[\u0130\u0131\u017f\u212a]")
_LOWERED: list = [("", "")]


def _lowered(text: str) -> str | None:
    """`text` in lower case, character for character (the last one asked for is kept: the
    patterns of a sentence ask for it in turn), or None when lower-casing would not do."""
    entry = _LOWERED[0]
    if entry[0] is not text:
        entry = (text, text.lower() if text.isascii() or not _FOLDS.search(text) else None)
        _LOWERED[0] = entry
    return entry[1]


# A place name inside a longer one, or under a prefix that makes it a side: "New Mexico" is not
# Mexico, and "pro-Valcera rebels" or "anti-Valcera protests" are not Valcera speaking.
NOT_THE_PLACE = r"(?<!\b[Pp]ro-)(?<!\b[Aa]nti-)(?<!\bNew )(?<!\bNueva )(?<!\bNuevo )(?<!\bBaja )"


def _is_acronym(alias: str) -> bool:
    return alias.replace(".", "").isupper() and len(alias) <= 5


@lru_cache(maxsize=1)
def not_names_lower() -> frozenset[str]:
    return frozenset(w.lower().rstrip(".") for w in _tables()["not_names"])


@lru_cache(maxsize=16384)
def key_of(name: str) -> str:
    """A stable key for a name: accents and case folded, doubled letters collapsed
    ('Zelenskyy' and 'Zelensky' are one man)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9 -]", "", text).split()) or "unknown"


@lru_cache(maxsize=16384)
def person_key(name: str) -> str:
    """People are keyed by surname, except names whose family name comes first or is
    compound ("Kim Jong Un", "Kim Hong-kyun"), which keep the whole name."""
    words = name.split()
    if len(words) > 1 and (len(words[0]) <= 3 or "-" in words[-1] or len(words) > 3):
        return "p:" + _collapse(key_of(name))
    return "p:" + _collapse(key_of(words[-1]))


def _collapse(key: str) -> str:
    return re.sub(r"(.)\1+", r"\1", key)


def place_actor(place: str) -> Actor:
    return Actor(((f"g:{key_of(place)}", place),))


def body_actor(body: str, government: str | None, fixed: bool) -> Actor:
    t = _tables()
    display = body
    if not fixed and government and (government, body) in t["by_generic"]:
        display = t["by_generic"][(government, body)]
    elif not fixed and government:
        display = f"{government}' {body}" if government.endswith("s") else f"{government}'s {body}"
    generic = _lex()["bodies"].get(body, {}).get("generic") if fixed else body
    key = f"b:{key_of(government or '?')}/{key_of(generic or body)}"
    if government in _lex()["words"]["organizations"] and (generic or body) == "government":
        return place_actor(government)
    levels = [(key, display)]
    if government and key_of(government) != key_of(display) and (generic or body) not in _lex()["words"]["independent"]:
        levels.append((f"g:{key_of(government)}", government))
    return Actor(tuple(levels))


@lru_cache(maxsize=None)
def _phrase_pattern(phrase: str) -> re.Pattern:
    """One learned place or acronym, matched where the old alternation matched it: not inside
    a word or after a dot, not before a word character or a hyphen; any white space between words."""
    return re.compile(rf"(?<![\w.])(?:{lexicon.alternation([phrase])})(?![\w-])")


WORD = re.compile(r"\w+")


class Phrases:
    """Learned places and acronyms, found in a sentence by their first word.

    The store teaches a place or an acronym now and then, so their number grows with the
    store; one regular expression over all of them was compiled again whenever one was added,
    which cost more with every article. Here each phrase is compiled once (and cached), and a
    sentence is scanned word by word against a dict: the cost follows the sentence, not the
    store. Matches are those the alternation gave: leftmost, longest, not overlapping.
    """

    def __init__(self, parent: "Phrases | None" = None):
        self.by_first: dict[str, list[str]] = {}
        self.size = 0
        self.parent = parent
        self._longest = 0

    def add(self, phrases) -> None:
        for phrase in phrases:
            first = WORD.search(phrase)
            bucket = self.by_first.setdefault(first.group() if first else "", [])
            if phrase not in bucket:
                bucket.append(phrase)
                bucket.sort(key=len, reverse=True)
                self.size += 1
                self._longest = max(self._longest, len(phrase))

    @property
    def longest(self) -> int:
        """The length of the longest phrase, its parent's included: no match is longer in a
        text whose white space comes in single characters (a space in a phrase matches a run)."""
        return max(self._longest, self.parent.longest if self.parent is not None else 0)

    def candidates(self, word: str) -> list[str]:
        own = self.by_first.get(word, [])
        if self.parent is None:
            return own
        inherited = self.parent.candidates(word)
        return sorted(own + inherited, key=len, reverse=True) if own and inherited else own or inherited

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        """The matches in text[pos:endpos], read as the regular expressions' `pos` and
        `endpos` read it: the text ends at `endpos`, and a match at `pos` sees what stands before."""
        end, endpos = pos, len(text) if endpos is None else endpos
        # The words that begin a phrase here or in a parent: most sentences hold none, and
        # are done with in one pass in C and a look-up per distinct word.
        indexes, phrases = [], self
        while phrases is not None:
            indexes.append(phrases.by_first)
            phrases = phrases.parent
        words = set(WORD.findall(text, pos, endpos))
        firsts = set().union(*(index.keys() & words for index in indexes))   # (each in the time of the smaller)
        if not firsts:
            return
        for word in WORD.finditer(text, pos, endpos):
            if word.group() not in firsts or word.start() < end:
                continue
            for phrase in self.candidates(word.group()):
                match = _phrase_pattern(phrase).match(text, word.start(), endpos)
                if match:
                    end = match.end()
                    yield match
                    break


def _dynamic(book: Book) -> Phrases:
    """The book's places and acronyms as a Phrases index: the store's (one index per
    directory, brought up to date with what it learned since) under the article's own."""
    shared = _shared_phrases(book.known)
    local = book.__dict__.setdefault("_phrases", Phrases(shared))
    own = book.places.maps[0].keys() | book.aliases.maps[0].keys()
    if local.size != len(own):
        local.add(own)
    return local


_SHARED: dict[int, tuple[Directory, "Phrases", int]] = {}


def _shared_phrases(directory: Directory) -> "Phrases":
    entry = _SHARED.get(id(directory))
    if entry is None or entry[0] is not directory:
        _SHARED.clear()                       # one store's directory at a time in practice
        entry = (directory, Phrases(), 0)
    directory_, phrases, done = entry
    new = [key[6:] for key in directory.order[done:] if key.startswith(("place:", "alias:"))]
    if new:
        phrases.add(new)
    _SHARED[id(directory)] = (directory, phrases, len(directory.order))
    return phrases


CALENDAR = re.compile(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|May|June|July|"
                      r"August|September|October|November|December|Today|Tonight")


def _place_name(alias: str, book: Book) -> str:
    return _tables()["places"].get(alias) or book.places.get(alias) or alias


def _canon(word: str, table: str) -> str:
    lookup = _tables()[table]
    return next((k for k in lookup if k.lower() == word.lower()), word)
