"""Names the claim stage knows: the actor lexicon as tables and patterns, keys for people,
bodies and places, and the Book that remembers who an article has named.

Shared by actors.py (reading mentions) and places.py (learning places from the text).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .. import lexicon
from .prefilter import Prefiltered, _lower_lead, _lowered  # noqa: F401 (re-exported to the claim modules)
from ..records import Actor, Directory


TOKEN = re.compile(r"[A-Za-z\u00C0-\u024F][\w.\u00C0-\u024F'’-]*|\d[\d,.]*|\S")


POSSESSIVE = re.compile(r"^(?:['’]s?)$")


# Up to four capitalised words make a name: "Volodymyr Zelensky", "Kim Jong Un".
MAX_NAME_WORDS = 4


# An honorific just before a word makes it a surname: "Mrs May said", "Mr Vidal".
HONORIFIC_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr)\.?\s$")


# "they" is left out: in news it points at the counted (troops, victims) as often as at a body.
PRONOUNS = {"he": "person", "she": "person", "him": "person", "her": "person", "his": "person",
            "it": "body", "its": "body"}


# "It is unclear", "it's too soon": an expletive "it" points at nothing.
EXPLETIVE = re.compile(r"^\s*(?:is|was|'s|’s|remains|seems|appears|would be|will be)\b", re.I)


# A mention followed by a verb is a sentence subject, which a later "it" points back to; a
# seat may stand between ("the prosecutor's office in Tashbal confirmed").
SUBJECT_VERB = re.compile(r"^\s*(?:,[^,]{0,80},\s*)?(?:(?:in|at)\s+[A-Z][\w’'-]+\s+)?(?:on\s+\w+day\s+)?(?:has|have|had|is|are|was|were|will|would|could|can|may|"
                          r"might|should|did|does|do|said|told|sent|took|made|gave|put|held|won|lost|led|began|saw|met|came|went|"
                          r"thought|knew|kept|left|brought|found|built|spoke|wrote|ran|struck|hit|shot|fell|rose|\w+ed|\w+s)\b")


from .book import _CURRENT, QUOTE_MARK, QUOTE_SENTENCES, Book, Mention, current_book  # noqa: E402,F401 (re-exported)


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


# Lone names: a capitalised word standing alone is a company's or an organisation's name, an
# outlet's, a group's, or a country's; titles._person asks these which.


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
