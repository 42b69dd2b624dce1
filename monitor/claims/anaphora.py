"""Words that point back: 'he', 'it', 'the agency', 'the country's ministry' resolved to an
actor met earlier; 'the reports', 'these allegations' pointing back to the story's claim.

Split out of actors.py, which calls these while reading a sentence's mentions.
"""
from __future__ import annotations

import re

from ..records import Actor
from .names import EXPLETIVE, PRONOUNS, SUBJECT_VERB, Book, Mention, _tables, body_actor, key_of as _key

__all__ = ["has_anaphor", "is_anaphor"]

BODY_ANAPHOR = re.compile(r"\b[Tt]he\s+(agency|ministry|commission|council|committee|office|service|authority|"
                          r"center|centre|board|mission|group|observatory|airline|carrier|company|institute|bureau)\b")


def _body_anaphors(text: str, book: Book, found: list[Mention]) -> list[Mention]:
    """'the agency said': the last body met whose name has that word."""
    out = []
    for m in BODY_ANAPHOR.finditer(text):
        if any(x.start <= m.start(1) < x.end for x in found):
            continue
        word = m.group(1).lower()
        actor = next((a for a in reversed(book.seen) if a.key.startswith("b:") and
                      (word in a.name.lower() or word in a.key)), None)
        if actor is not None:
            out.append(Mention(m.start(), m.end(), actor, "body"))
    return out


STATE_ANAPHOR = re.compile(r"\b[Tt]he\s+(?:kingdom|republic|emirate|sultanate|principality)\b(?!['’]s)")


def _country_anaphors(text: str, book: Book, found: list[Mention]) -> list[Mention]:
    """"the country's emergency services": the country last named; "the kingdom said": the
    country the article is about (a reporter's word for it, never for a foreign one)."""
    out = []
    for m in STATE_ANAPHOR.finditer(text):
        if book.home and not any(x.start <= m.start() < x.end for x in found):
            out.append(Mention(m.start(), m.end(), Actor(((f"g:{_key(book.home)}", book.home),)), "place"))
    for m in re.finditer(r"\b[Tt]he\s+(?:country|nation)['’]s\s+", text):
        places = [x.actor for x in found if x.end <= m.start() and x.actor.key.startswith("g:")]
        place = places[-1] if places else next((a for a in reversed(book.seen) if a.key.startswith("g:")), None)
        if place is None:
            continue
        body = next((x for x in found if x.start == m.end() and x.kind == "body"), None)
        if body is not None and "/" in body.actor.key:
            generic = body.actor.key.split("/", 1)[1]
            named = body_actor(generic, place.name, fixed=False)
            found[found.index(body)] = Mention(m.start(), body.end, named, "body")
            book.note(named)
    return out


def _possessive_bodies(text: str, book: Book, found: list[Mention]) -> None:
    """"The deadline was tight for Eastvale County. Its canvassing board voted ...": a body
    after 'its' belongs to the place last named, in this sentence or the one before."""
    for m in re.finditer(r"\b[Ii]ts\s+", text):
        body = next((x for x in found if x.start == m.end() and x.kind == "body" and "/" in x.actor.key), None)
        if body is None:
            continue
        places = [x.actor for x in found if x.end <= m.start() and x.kind == "place"] or \
            [x.actor for x in book.previous[1] if x.kind == "place"]
        if not places:
            continue
        generic = body.actor.key.split("/", 1)[1]
        owned = body_actor(_tables()["generic"].get(generic, generic), places[-1].name, fixed=False)
        found[found.index(body)] = Mention(m.start(), body.end, owned, "body")
        book.note(owned)


def _pronouns(text: str, tokens, book: Book, found: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for start, end, word in tokens:
        kind = PRONOUNS.get(word.lower())
        if kind is None or any(m.start <= start < m.end for m in found):
            continue
        if word.lower() == "it" and EXPLETIVE.match(text[end:]):
            continue
        actor = _antecedent(kind, start, sorted(found + out, key=lambda m: m.start), text, book)
        if actor is not None:
            out.append(Mention(start, end, actor, "pronoun"))
    return out


def _antecedent(kind: str, start: int, found: list[Mention], text: str, book: Book) -> Actor | None:
    """'he' is the last person named; 'it' is this sentence's subject if it has one before
    the pronoun, else the body or place that last led a sentence."""
    earlier = [m for m in found if m.end <= start]
    if kind == "person":
        people = [m for m in earlier if m.kind == "person" or (m.kind == "pronoun" and m.actor.key.startswith("p:"))]
        leading = [m for m in people if _is_subject(m, text)]
        if leading or people:
            return (leading or people)[-1].actor
        return _leading_person(*book.previous) or book.last("person")
    bodies = [m.actor for m in earlier if not m.actor.key.startswith("p:") and _is_subject(m, text)]
    if bodies:
        return bodies[0]
    return book.subjects[-1] if book.subjects else None


def _leading_person(text: str, found: list[Mention]) -> Actor | None:
    """The person the sentence before was about: its first person who is a subject ('Ruiz,
    who has often praised Vidal, said ...' is about Ruiz, not Vidal), as a 'he' that opens
    the next sentence means."""
    return next((m.actor for m in found if m.actor.key.startswith("p:") and m.kind in ("person", "pronoun")
                 and _is_subject(m, text)), None)


def _is_subject(mention: Mention, text: str) -> bool:
    return mention.kind == "pronoun" or bool(SUBJECT_VERB.match(text[mention.end:]))


def has_anaphor(phrase: str) -> bool:
    """A cue that names what it rejects: 'called the reports a fake', 'dismissed the claims as'."""
    words = re.findall(r"[a-z]+", phrase.lower())
    return any(w in _tables()["anaphors"] for w in words)


def is_anaphor(phrase: str) -> bool:
    """'the reports', 'these allegations': words that point back to the story's claim."""
    words = [w for w in re.findall(r"[a-z]+", phrase.lower()) if w not in ("the", "these", "those", "such", "this", "that")]
    return bool(words) and (words[-1] in _tables()["anaphors"] or " ".join(words[:2]) in _tables()["anaphors"])
