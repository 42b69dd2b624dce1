"""The reading state of one article: the actors mentioned (Mention) and what the article has
taught so far (Book: people seen, places and acronyms learned, the sentence being read)."""
from __future__ import annotations

from collections import ChainMap
from dataclasses import dataclass, field
from functools import lru_cache

import re

from .. import lexicon
from ..records import Actor, Directory

QUOTE_MARK = re.compile(r"[\"“”]")
# A quoted passage runs on across at most this many sentences: reporters name the speaker
# within a quote's first two or three sentences, so a mark left open longer is a stray one.
QUOTE_SENTENCES = 3


# The book of the sentence being read: attribution asks it for the sentences around a quote
# whose speaker the sentence does not name. One claim stage reads one article at a time.
_CURRENT: list = [None]


def current_book(text: str) -> "Book | None":
    """The book reading `text` now, if any."""
    book = _CURRENT[0]
    return book if book is not None and book.text == text else None



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


# The places and acronyms a book knows (the article's own over the store's), found in a sentence
# by their first words (moved from names.py, which re-exports them).


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
        self.initials: set[str] = set()       # the first characters of the first words

    def add(self, phrases) -> None:
        for phrase in phrases:
            first = WORD.search(phrase)
            if first:
                self.initials.add(first.group()[0])
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
        # Only the words that start with a first word's first character are read (capitals, for
        # places and acronyms: a few words a sentence, not all of them); a word cut at `pos` is
        # not, which no phrase matches (none starts after a word character).
        indexes, initials, phrases = [], set(), self
        while phrases is not None:
            indexes.append(phrases.by_first)
            initials |= phrases.initials
            phrases = phrases.parent
        if not initials:
            return
        starting = _words_starting(frozenset(initials))
        words = set(starting.findall(text, pos, endpos))
        firsts = set().union(*(index.keys() & words for index in indexes))   # (each in the time of the smaller)
        if not firsts:
            return
        for word in starting.finditer(text, pos, endpos):
            if word.group() not in firsts or word.start() < end:
                continue
            for phrase in self.candidates(word.group()):
                match = _phrase_pattern(phrase).match(text, word.start(), endpos)
                if match:
                    end = match.end()
                    yield match
                    break


@lru_cache(maxsize=64)
def _words_starting(initials: frozenset[str]) -> re.Pattern:
    """WORD's words that start with one of `initials`, after no word character. (The class
    first, the look behind after it: the engine skips to the characters of the class.)"""
    chars = "".join(re.escape(c) for c in sorted(initials))
    return re.compile(rf"[{chars}](?<!\w[{chars}])\w*")


def _dynamic(book: Book) -> Phrases:
    """The book's places and acronyms as a Phrases index: the store's (one index per
    directory, brought up to date with what it learned since) under the article's own."""
    shared = _shared_phrases(book.known)
    local = book.__dict__.get("_phrases")
    if local is None:
        local = book.__dict__["_phrases"] = Phrases(shared)
    places, aliases = book.places.maps[0], book.aliases.maps[0]
    if local.size != len(places) + len(aliases):  # (else all are in: the two only grow, and hold what was added)
        own = places.keys() | aliases.keys()
        if local.size != len(own):
            local.add(own)
    return local


def dynamic_matches(book: Book, text: str) -> list[re.Match]:
    """The matches of the book's places and acronyms (_dynamic) in the whole of `text`, kept by
    the book like unit_matches: the article's home place reads every sentence for them before
    the sentences are read one by one (0.3 ms an article for each reading with the store's
    directory of the benchmark). They change only with the phrases the book and the store
    have learned, whose numbers key them (a Phrases index only grows)."""
    local = _dynamic(book)
    sizes, phrases = [], local
    while phrases is not None:
        sizes.append(phrases.size)
        phrases = phrases.parent
    scans = book.__dict__.setdefault("_dynamic_scans", {})
    key = (text, *sizes)
    found = scans.get(key)
    if found is None:
        found = scans[key] = list(local.finditer(text))
    return found


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
