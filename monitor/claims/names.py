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
from ..records import Actor


TOKEN = re.compile(r"[A-Za-z\u00C0-\u024F][\w.\u00C0-\u024F'’-]*|\d[\d,.]*|\S")


def _letters(upper: bool) -> str:
    """The letters a word token of TOKEN starts with that are (not) upper case, as a class."""
    first = [chr(c) for r in ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F)) for c in range(r[0], r[1] + 1)]
    return "[" + "".join(re.escape(c) for c in first if c.isupper() == upper) + "]"


# TOKEN's word tokens that start with a capital, and nothing else: the other tokens, and the
# white space between, are skipped in one match (each a possessive repetition, so never read
# again for a capital inside them), tokenised as TOKEN tokenises them ("eBay" is one word
# token, so its "B" starts none). The capitalised tokens are the ones the name finder reads,
# without a match object for every token of the sentence (0.28 -> 0.18 ms an article).
CAPITALISED = re.compile(rf"(?:\s+|{_letters(False)}[\w.\u00C0-\u024F'’-]*+|\d[\d,.]*+|[^\s\dA-Za-z\u00C0-\u024F])*+"
                         rf"(?:(?P<word>{_letters(True)}[\w.\u00C0-\u024F'’-]*+)|\Z)")


def capitalised(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of TOKEN's tokens of `text` that start with a capital letter and
    are longer than one character (a one-character token names nothing)."""
    return [(m.start("word"), m.end("word"), m.group("word")) for m in CAPITALISED.finditer(text)
            if m.group("word") is not None and m.end("word") - m.start("word") > 1]


class Tokens:
    """TOKEN's tokens of a text as (start, end, word), found when first read: most sentences
    are read for pronouns only when they may hold one."""

    def __init__(self, text: str):
        self.text, self._tokens = text, None

    def __iter__(self):
        if self._tokens is None:
            self._tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(self.text)]
        return iter(self._tokens)


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


from .book import (_CURRENT, QUOTE_MARK, QUOTE_SENTENCES, Book, Mention, Phrases, _dynamic, current_book,  # noqa: E402,F401
                   dynamic_matches)                                              # (re-exported)


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


CALENDAR = re.compile(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|May|June|July|"
                      r"August|September|October|November|December|Today|Tonight")


def _place_name(alias: str, book: Book) -> str:
    return _tables()["places"].get(alias) or book.places.get(alias) or alias


def _canon(word: str, table: str) -> str:
    """The table's own spelling of `word`, case apart: the first so spelt."""
    return _lowered_keys(table).get(word.lower(), word)


@lru_cache(maxsize=8)
def _lowered_keys(table: str) -> dict[str, str]:
    """A table's keys by their lower case, the first of each kept (as a look through them in
    order found it: a look per generic body or title read cost the table's length)."""
    index: dict[str, str] = {}
    for key in _tables()[table]:
        index.setdefault(key.lower(), key)
    return index


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
    return any(_marked_at(text, at, word) for text in texts for at in _occurrences(text, word))


def _occurrences(text: str, word: str):
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


def _marked_at(text: str, at: int, word: str) -> bool:
    """Whether the name at `at` is marked as a company's: 'clothing group Valcor', 'brands such
    as Valcor' (a company noun before it), "Valcor's suppliers" (a part after it), 'Valcor, the
    retailer,'. What one pattern per name found (\\b, the noun or part, the name), read around
    each place the name is written with patterns compiled once: compiling the name's pattern,
    with the lexicon's 500 nouns and parts in it, cost 0.9 ms a name (0.3 ms an article)."""
    before, after, marks = _BOUNDARY.match(text, at) is not None, at + len(word), _company_patterns()
    if before and (marks["part"].match(text, after) or marks["appositive"].match(text, after)):
        return True
    return _BOUNDARY.match(text, after) is not None and marks["noun_before"].search(text, 0, at) is not None


_BOUNDARY = re.compile(r"\b")


@lru_cache(maxsize=1)
def _company_patterns() -> dict[str, re.Pattern]:
    """The name's pattern in three parts, around the name (noun_before ends where the text is cut, at the name)."""
    nouns, parts = _company_words()
    return {"noun_before": re.compile(rf"\b(?:{nouns})\s+(?:(?:such as|including|like)\s+(?:[A-Z][\w&’'-]*(?:,\s+|\s+and\s+))*)?\Z"),
            "part": re.compile(rf"(?:['’]s)?\s+(?:{parts})\b"),
            "appositive": re.compile(rf",\s+(?:the|a|an)\s+(?:[\w-]+\s+){{0,3}}(?:{nouns})\b")}


@lru_cache(maxsize=1)
def _company_marks() -> Prefiltered:
    """Any company noun or part: a sentence without one cannot mark a name as a company's.
    (Searched for by the words alone, as one trie, then \\b around them: see Prefiltered;
    0.25 -> 0.15 ms an article on the benchmark pages.)"""
    nouns, parts = _company_words()
    words = _lex()["words"]
    lead = lexicon.alternation(words["company_nouns"] + words["company_parts"], space=" ")
    return Prefiltered(re.compile(rf"\b(?:{nouns}|{parts})\b"), re.compile(lead))


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
    """'Valcor said', 'Valcor, which ..., said': a company or an organisation named alone
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
