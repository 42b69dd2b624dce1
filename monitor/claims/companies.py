"""Companies and organisations named by a lone name, as actors of their own: "Valcor said",
"Valcor, which ..., now says it", "Norland's Valcor said it too would", "Valcor Inc said", and
their people: "Valcor chief executive Ana Ruiz", "Spokesman Tomas Vidal said" after the company
spoke. A company speaks for itself, never for a country's government.

Split out of titles.py, whose titles._person asks these before it files a lone name that acts
as a place. A lone name is a company only on a sign that tells an organisation from a town, a
country or a person: the article marks it as one (names._own_name), the store learned it as
one from an earlier article, a corporate suffix, a country's possessive before it with "it"
pointing back, or its own goods, suppliers or stores in the clause it leads.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..records import Actor
from .names import Book, Mention, _company_words, _lex, _own_name, _place_use, _tables, key_of
from .places import is_person_word

# The key a company is learned under in the store's directory (records.Directory keeps any
# key): a name marked as a company in one article stays one in the next, where nothing may
# mark it again ("Valcor said" in a later report on the same story).
LEARNED = "company:"


def known_company(word: str, book: Book) -> Actor | None:
    key = LEARNED + word
    return book.learned.get(key) or book.known.get(key)


def company(word: str, start: int, end: int, book: Book, display: str | None = None) -> Mention:
    """A mention of the company `word` (shown as `display`), remembered as a company for
    "the company said" (actors._last_company) and for the store."""
    actor = known_company(word, book) or Actor(((f"b:unknown/{key_of(word)}", display or word),))
    book.note(actor)
    book.__dict__.setdefault("_own_bodies", set()).add(actor.key)
    book.learned[LEARNED + word] = actor
    return Mention(start, end, actor, "body")


# A lone name that acts: its verb, after an appositive or a relative clause ("Valcor, which last
# week said it was looking into it, now says") and an adverb ("Valcor also held its ground").
# names.SUBJECT_VERB allows neither (a country or a town rarely comes with either).
# 120 characters: the longest relative clause before a company's verb in the held-out stories is 86.
ACTS = re.compile(r"\s*(?:,[^,;]{0,120},\s*)?(?:(?:also|now|still|later|again|then|further|too|\w+ly)\s+)?"
                  r"(?:has|had|have|is|was|will|would|could|did|does|said|says|told|took|held|made|gave|went|\w+ed|\w+s)\b")


def acts(text: str, end: int) -> bool:
    return ACTS.match(text, end) is not None


def lone_company(word: str, start: int, end: int, book: Book, place: str | None) -> Mention | None:
    """`word`, a lone capitalised name at book.text[start:end] that acts, as a company: see the
    module's docstring for the signs. None when it is not one (or the book reads a title and a
    lead apart, for story assignment: those keep their terms)."""
    if not book.texts or not acts(book.text, end):
        return None
    if known_company(word, book) is not None:
        return company(word, start, end, book)
    if word in book.places:
        return None
    text = book.text
    if place is not None:
        # "Norland's Valcor, some of whose clothing was made there, said it would": a country's
        # name before a lone name makes it a person ("Norland's Ruiz said he") or a firm of the
        # country; "it" pointing back tells the firm. (places.person_words takes "Norland's
        # Valcor, ..., said" for a full name: the pronoun decides here.)
        return company(word, start, end, book) if IT_BACK.match(text, end) else None
    marked = _own_name(word, book) and (start > 0 or _marked_here(word, text) or _written_inside(word, book))
    if not (marked or _has_goods(text, end) and not _place_use(word, book)):
        return None
    if is_person_word(word, book) or _surname(word, book):
        return None                           # "Ruiz's spokeswoman said" marks a person's name too
    return company(word, start, end, book)


# "it" or "its" in the clause a name leads: "Valcor, ..., said it too would", "Valcor said its
# suppliers". A person is "he" or "she"; a country is ruled out by the caller.
IT_BACK = re.compile(r"\s*(?:,[^,;]{0,120},\s*)?(?:(?:also|now|still|later|again|then|too|\w+ly)\s+)?"
                     r"(?:said|says|told\s+\w+|announced|added|insisted|confirmed|denied|stated)\s+(?:that\s+)?(?:it|its)\b")


def _marked_here(word: str, text: str) -> bool:
    """'Valcor, the budget chain, was the first': the appositive that marks a company, at the
    sentence's start (where any word is capitalised, only such a mark tells a name)."""
    match = _appositive().match(text)
    return match is not None and match.group(1) == word


@lru_cache(maxsize=1)
def _appositive() -> re.Pattern:
    nouns, _ = _company_words()
    return re.compile(rf"\W*([A-Z][\w&’'-]*),\s+(?:the|a|an)\s+(?:[\w-]+\s+){{0,3}}(?:{nouns})\b")


def _surname(word: str, book: Book) -> bool:
    """'Ana Ruiz' somewhere in the article: a lone 'Ruiz' is her, whatever marks it ("Ruiz's
    spokeswoman said" reads like a company's). Read once per name and article."""
    seen = book.__dict__.setdefault("_surnames", {})
    if word not in seen:
        pattern = re.compile(rf"(?:^|[a-z,;:“\"(]\s+)([A-Z][a-z]+)\s+{re.escape(word)}\b")
        not_names, places = _tables()["not_names"], _tables()["places"]
        seen[word] = any(m.group(1) not in not_names and m.group(1) not in places
                         for text in book.texts if word in text for m in pattern.finditer(text))
    return seen[word]


def _written_inside(word: str, book: Book) -> bool:
    """Written capitalised inside a sentence of the article: a name, not a word capitalised as
    a sentence's first. Read once per name and article."""
    seen = book.__dict__.setdefault("_written_inside", {})
    if word not in seen:
        pattern = re.compile(rf"[a-z,;:]\s+{re.escape(word)}\b")
        seen[word] = any(pattern.search(text) for text in book.texts if word in text)
    return seen[word]


def _has_goods(text: str, end: int) -> bool:
    """'Valcor said it was still checking whether any of its merchandise was made there': its
    goods, suppliers or stores in the clause the name leads (a country's goods are its
    demonym's: 'Norlandic goods')."""
    return _goods().search(text, end) is not None


@lru_cache(maxsize=1)
def _goods() -> re.Pattern:
    words = "|".join(map(re.escape, _lex()["words"]["company_goods"]))
    return re.compile(rf"\bits\s+(?:own\s+)?(?:{words})\b")


@lru_cache(maxsize=1)
def _suffixes() -> frozenset[str]:
    return frozenset(_lex()["words"]["company_suffixes"])


def suffixed(words: list[str]) -> str | None:
    """'Valcor Inc', 'Valcor Holdings plc': the company's name without its corporate suffix."""
    if len(words) > 1 and words[-1] in _suffixes():
        return " ".join(words[:-1])
    return None


def firm_of_person(group, title: str | None, book: Book) -> Actor | None:
    """The company a person named with a company title works for: the capitalised words before
    the title ("Valcor chief executive Ana Ruiz"), else the company that spoke in this sentence
    or the one before ('Spokesman Tomas Vidal said' after 'Valcor played the papers down').
    A spokesman's title alone names a government's; only a company just met makes it one's."""
    if not title:
        return None
    where = " ".join(u[3] for u in group if u[2] == "where")
    executive = title in _lex()["words"]["company_titles"]
    if executive and where:
        return known_company(where, book) or company(where, group[0][0], group[0][1], book).actor
    if executive or title in _lex()["words"]["aides"]:
        return recent_company(book)
    return None


def recent_company(book: Book) -> Actor | None:
    """The last body met since the sentence before began, when it is a company: a person named
    with an aide's or an executive's title speaks for it."""
    own = book.__dict__.get("_own_bodies", ())
    for actor in reversed(book.seen[book.marks[0]:]):
        if actor.key.startswith("p:"):
            continue
        return actor if actor.key in own else None
    return None
