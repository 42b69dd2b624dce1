"""Words that point back: 'he', 'it', 'the agency', 'the country's ministry' resolved to an
actor met earlier; 'the reports', 'these allegations' pointing back to the story's claim.

Split out of actors.py, which calls these while reading a sentence's mentions.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..records import Actor
from .companies import acts
from .names import (EXPLETIVE, PRONOUNS, QUOTE_MARK, SUBJECT_VERB, Book, Mention, Prefiltered, _lex, _tables, body_actor,
                    key_of as _key)

__all__ = ["has_anaphor", "is_anaphor"]

_BODY_WORDS = (r"agency|ministry|commission|council|committee|office|service|authority|"
               r"center|centre|board|mission|group|observatory|airline|carrier|company|institute|bureau|"
               r"organi[sz]ation")
# (Each pattern here starting with \b is searched for by what its matches begin with: see Prefiltered.)
BODY_ANAPHOR = Prefiltered(re.compile(rf"\b[Tt]he\s+({_BODY_WORDS})\b"), re.compile(rf"[Tt]he\s+(?:{_BODY_WORDS})"))


def _body_anaphors(text: str, book: Book, found: list[Mention]) -> list[Mention]:
    """'the agency said': the last body met whose name has that word."""
    out = []
    for m in BODY_ANAPHOR.finditer(text):
        if any(x.start <= m.start(1) < x.end for x in found):
            continue
        word = _spelled(m.group(1))
        actor = next((a for a in reversed(book.seen) if a.key.startswith("b:") and
                      (word in _spelled(a.name) or word in a.key)), None)
        if actor is not None:
            out.append(Mention(m.start(), m.end(), actor, "body"))
    return out + _company_anaphors(text, book, found, out)


# "the group", "the Italian group", "the budget retailer": a company named by what it is, after
# its name acted alone (companies.py). The words between are its country's demonym or a kind of
# business (actors.toml company_kinds): "the armed group" or "the research group" is no company.
COMPANY_HEADS = r"group|retailer|chain|brand|label|giant|conglomerate|corporation|clothier|automaker|carmaker|insurer|lender"
COMPANY_ANAPHOR = re.compile(rf"\b[Tt]he\s+((?:[\w-]+\s+){{0,2}}?)(?:{COMPANY_HEADS})\b")
COMPANY_HEAD = re.compile(COMPANY_HEADS)      # (in every COMPANY_ANAPHOR match: a cheap test first)


def _company_anaphors(text: str, book: Book, found: list[Mention], out: list[Mention]) -> list[Mention]:
    own = book.__dict__.get("_own_bodies")
    if not own or not COMPANY_HEAD.search(text):
        return []
    new = []
    for m in COMPANY_ANAPHOR.finditer(text):
        if any(x.start <= m.end() - 1 < x.end for x in found + out) or not all(map(_company_kind, m.group(1).split())):
            continue
        actor = next((a for a in reversed(book.seen) if a.key in own), None)
        if actor is None:
            continue
        inside = [x for x in found if m.start() <= x.start and x.end <= m.end()]
        for x in inside:                      # "the Italian group": the group speaks, not Italy
            found.remove(x)
        new.append(Mention(m.start(), m.end(), actor, "body"))
    return new


def _company_kind(word: str) -> bool:
    return word.lower() in _company_kinds() or word in _tables()["places"]


@lru_cache(maxsize=1)
def _company_kinds() -> frozenset[str]:
    return frozenset(_lex()["words"]["company_kinds"])


def _spelled(words: str) -> str:
    """One spelling for both: 'the organization said' after 'the Organisation for ...'."""
    return words.lower().replace("organization", "organisation")


STATE_ANAPHOR = Prefiltered(re.compile(r"\b[Tt]he\s+(?:kingdom|republic|emirate|sultanate|principality)\b(?!['’]s)"),
                            re.compile(r"[Tt]he\s+(?:kingdom|republic|emirate|sultanate|principality)"))
COUNTRY_POSSESSIVE = Prefiltered(re.compile(r"\b[Tt]he\s+(?:country|nation)['’]s\s+"),
                                 re.compile(r"[Tt]he\s+(?:country|nation)['’]s\s"))
ITS = Prefiltered(re.compile(r"\b[Ii]ts\s+"), re.compile(r"[Ii]ts\s"))


def _country_anaphors(text: str, book: Book, found: list[Mention]) -> list[Mention]:
    """"the country's emergency services": the country last named; "the kingdom said": the
    country the article is about (a reporter's word for it, never for a foreign one)."""
    out = []
    for m in STATE_ANAPHOR.finditer(text):
        if book.home and not any(x.start <= m.start() < x.end for x in found):
            out.append(Mention(m.start(), m.end(), Actor(((f"g:{_key(book.home)}", book.home),)), "place"))
    for m in COUNTRY_POSSESSIVE.finditer(text):
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
    for m in ITS.finditer(text):
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


# "the ministers", "the two leaders", "both governments": a plural that points back to the
# actors last named together ("Ana Ruiz and Tomas Vidal issued a joint statement").
PLURAL_ANAPHOR = Prefiltered(re.compile(r"\b(?:[Tt]he(?:\s+two)?|[Bb]oth)\s+(?:[a-z]+\s+)?(?:ministers|leaders|governments|"
                                        r"countries|presidents|prime ministers|officials|spokesmen|chancellors)\b"),
                             re.compile(r"[TtBb](?:he|oth)\s"))
# Actors named together: "A and B", "A, B and C" (the gap between two of them).
TOGETHER = re.compile(r"\s*(?:,|,?\s+and|\s+as well as)\s+")


def _plural_anaphors(text: str, book: Book, found: list[Mention]) -> list[Mention]:
    """'The ministers said ...' after 'Ana Ruiz and Tomas Vidal issued a joint statement': one
    mention holding both (Mention.also), from this sentence or the one before."""
    out = []
    for m in PLURAL_ANAPHOR.finditer(text):
        if any(x.start <= m.start() < x.end for x in found):
            continue
        members = _together([x for x in found if x.end <= m.start()], text) or _together(*reversed(book.previous))
        if members:
            out.append(Mention(m.start(), m.end(), members[0], "group", tuple(members[1:])))
    return out


def _together(found: list[Mention], text: str) -> list[Actor]:
    """The last run of people (else of bodies or places) named together in `found`."""
    for people in (True, False):
        usable = [m for m in found if m.kind != "pronoun" and m.actor.key.startswith("p:") == people]
        last = len(usable) - 1
        while last > 0:
            first = last
            while first > 0 and TOGETHER.fullmatch(text[usable[first - 1].end:usable[first].start]):
                first -= 1
            if first < last:
                return [m.actor for m in usable[first:last + 1]]
            last -= 1
    return []


# Where a pronoun token may stand (names.TOKEN): one of PRONOUNS' words, in ASCII letters of
# any case (word.lower() makes no other), not after a letter (a token holding that letter
# would run on over it) and not before what a token runs on over. A sentence without one has
# no pronoun to read; the first letter is matched first, for a fast scan.
PRONOUN_HINT = re.compile(r"[HhSsIi](?<![A-Za-z\u00C0-\u024F][HhSsIi])"
                          r"(?:(?<=[Hh])(?:[Ee][Rr]?|[Ii][MmSs])|(?<=[Ss])[Hh][Ee]|(?<=[Ii])[Tt][Ss]?)"
                          r"(?![\w.\u00C0-\u024F'’-])")


# "they" before a verb of judgement: 'Prosecutors obtained a warrant for a man they suspect of
# ...' (what "they" say, think or suspect is a stance; what "they" do is often the counted's).
THEY_JUDGE = Prefiltered(re.compile(r"\b[Tt]hey\s+(?:\w+ly\s+)?(?:suspect|suspected|believe|believed|say|said|think|thought|"
                                    r"allege|alleged|concluded|conclude|fear|feared)\b"), re.compile(r"[Tt]hey\s"))


def _they(text: str, found: list[Mention]) -> list[Mention]:
    """'they' who judge is the subject before it, when that is a body named in the plural
    ('Zembian prosecutors', 'officials'): a plural that acted, then judges."""
    out = []
    for m in THEY_JUDGE.finditer(text):
        lead = next((x for x in reversed(found) if x.end <= m.start() and SUBJECT_VERB.match(text[x.end:])), None)
        if lead is not None and lead.kind in ("body", "anonymous") and text[lead.end - 1] == "s":
            out.append(Mention(m.start(), m.start() + 4, lead.actor, "pronoun"))
    return out


def _pronouns(text: str, tokens, book: Book, found: list[Mention]) -> list[Mention]:
    out: list[Mention] = _they(text, found)
    if not PRONOUN_HINT.search(text):
        return out
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
    the pronoun, else the body or place that last led a sentence. A 'he' who speaks ('he said',
    'according to him') is the last person who spoke, over one only talked about."""
    earlier = [m for m in found if m.end <= start]
    if kind == "person":
        people = [m for m in earlier if m.kind == "person" or (m.kind == "pronoun" and m.actor.key.startswith("p:"))]
        speaking = _speaks(text, start)
        if people and speaking and CLOSING_ATTRIBUTION.match(text, start) and last_speaker(book):
            return last_speaker(book)         # "Ruiz was stable, he said": Ruiz is what was said
        leading = [m for m in people if _is_subject(m, text)]
        if leading or people:
            return (leading or people)[-1].actor
        return _leading_person(*book.previous) or (speaking and last_speaker(book)) or _last_person(book)
    bodies = [m.actor for m in earlier if not m.actor.key.startswith("p:")
              and (_is_subject(m, text) or m.kind == "body" and acts(text, m.end))]
    if bodies:
        return bodies[0]
    if _unread_subject(text, start, earlier):
        return None                           # "Valcor, which ..., said it": Valcor, whom we cannot name
    return book.subjects[-1] if book.subjects else None


# A sentence led by a name no rule reads ("Valcor, which last week said it ...", "Valcor,
# owned by a holding, said it would ..."): its "it" is that name, not the body before it.
UNREAD_SUBJECT = re.compile(r"\W*((?:[A-Z][\w&’'.-]*\s+){0,2}[A-Z][\w&’'-]*)(?=\s*,|\s+(?:said|says|has|had|is|was|will|would|"
                            r"which|now|also|on)\b)")
NOT_A_NAME = {"the", "a", "an", "it", "he", "she", "they", "we", "this", "that", "these", "those", "but", "and", "in",
              "on", "at", "after", "before", "when", "while", "officials", "police", "authorities", "its", "their",
              "his", "her", "our", "some", "many", "most", "one", "two", "three", "meanwhile", "however", "separately"}


def _unread_subject(text: str, start: int, earlier: list[Mention]) -> bool:
    lead = UNREAD_SUBJECT.match(text)
    if lead is None or lead.end(1) > start or lead.group(1).split()[0].lower() in NOT_A_NAME:
        return False
    return not any(m.start < lead.end(1) and m.end > lead.start(1) for m in earlier)


def _leading_person(text: str, found: list[Mention]) -> Actor | None:
    """The person the sentence before was about: its first person who is a subject ('Ruiz,
    who has often praised Vidal, said ...' is about Ruiz, not Vidal), as a 'he' that opens
    the next sentence means. A 'he' inside a quotation is the speaker's subject, not the
    sentence's ('"He is stable," the doctor said'); one that closes with its attribution ('Ruiz
    was stable, he said.') is about who said it."""
    closing = next((m.actor for m in found if m.kind == "pronoun" and m.actor.key.startswith("p:")
                    and CLOSING_ATTRIBUTION.match(text, m.start)), None)
    return closing or next((m.actor for m in found if m.actor.key.startswith("p:") and m.kind in ("person", "pronoun")
                 and (_is_subject(m, text) or SPEAKS_AFTER.match(text, m.end) or _opens(text, m.start))
                 and not _quoted(text, m.start) and not CONDITION_OPENS.match(text[:m.start])), None)


# A subject of a condition that opens its sentence is not whom the sentence is about: "If Vidal
# had help, Ruiz said, ..." is about Ruiz.
CONDITION_OPENS = re.compile(r"^\W*(?:If|Unless|Although|Though|Whether)\s+$")


def _opens(text: str, start: int) -> bool:
    """A name that opens its sentence (after a dateline, 'TASHBAL, Zarkhan — ') is its subject,
    however long the appositive after it."""
    return not re.search(r"\b[a-z]|[“\"]", text[:start])


def _last_person(book: Book) -> Actor | None:
    """The last person met before this sentence (those named in it so far come after the pronoun
    or are read with it)."""
    seen = book.seen
    return next((seen[i] for i in range(min(book.marks[1], len(seen)) - 1, -1, -1) if seen[i].key.startswith("p:")), None)


def _quoted(text: str, pos: int) -> bool:
    return len(QUOTE_MARK.findall(text, 0, pos)) % 2 == 1


# A person who speaks: the subject of a reporting verb, or who addresses the press ("came out
# to reporters", "spoke to journalists"), or whose words a sentence gives ("according to her").
SPEAKS_AFTER = re.compile(r"\s*(?:,[^,]{0,80},)?,?\s*(?:\w+ly\s+)?(?:(?:has|had|have|was|is)\s+)?"
                          r"(?:said|says|told|tells|added|adds|explained|insisted|stressed|noted|wrote|announced|"
                          r"confirmed|denied|replied|answered|briefed|"
                          r"(?:came|went|spoke|talked)\s+(?:out\s+)?to\s+(?:the\s+)?(?:reporters|journalists|press|media))\b",
                          re.I)
SPEAKS_BEFORE = re.compile(r"(?:\b(?:said|says|added|according to)\s+)$", re.I)
_SPEAKS_WORD = re.compile(r"said|says|added|according to", re.I)


@lru_cache(maxsize=16)
def _may_speak_before(text: str) -> bool:
    """Whether SPEAKS_BEFORE can match anywhere in `text`: a search ending at a mention reads
    the sentence up to it, for every mention; most sentences hold none of its words."""
    return _SPEAKS_WORD.search(text) is not None


def _speaks_before(text: str, start: int) -> bool:
    return _may_speak_before(text) and SPEAKS_BEFORE.search(text, 0, start) is not None
# "..., he said." / "..., she told reporters on Friday.": an attribution closing its sentence; the
# people named before it are what was said, not who said it.
CLOSING_ATTRIBUTION = re.compile(r"\w+\s+(?:said|says|added|told\s+[\w\s]{0,25}?)"
                                 r"(?:\s+(?:on|in|at|late|early)\s+[^,.;:“”\"]{0,30})?\s*[.!]?\s*$", re.I)
# A person spoke this many sentences back, at most, to be who a 'he said' is.
SPEAKER_SENTENCES = 3


def _speaks(text: str, start: int) -> bool:
    """The pronoun at `start` is who speaks: 'he said', 'said he', 'according to him'."""
    end = start + len(re.match(r"\w+", text[start:]).group())
    return bool(SPEAKS_AFTER.match(text, end) or _speaks_before(text, start))


def last_speaker(book: Book) -> Actor | None:
    sentence, actor = book.spoke
    return actor if sentence >= book.read - SPEAKER_SENTENCES else None


def note_speakers(text: str, found: list[Mention], book: Book) -> None:
    """Remember the last person of the sentence who spoke (see last_speaker)."""
    for m in found:
        if m.actor.key.startswith("p:") and m.kind in ("person", "pronoun") and not _quoted(text, m.start) and \
                (SPEAKS_AFTER.match(text, m.end) or _speaks_before(text, m.start)):
            book.spoke = (book.read, m.actor)


def _is_subject(mention: Mention, text: str) -> bool:
    """A mention followed by its verb, or a pronoun in the subject's case: "his spokesman" and
    "told him" are not about him ("..., hours after dismissing his aide, Ana Ruiz said: ... He
    said" is Ruiz)."""
    if mention.kind == "pronoun":
        return text[mention.start:mention.end].lower() not in NOT_SUBJECT_CASE
    return bool(SUBJECT_VERB.match(text[mention.end:]))


NOT_SUBJECT_CASE = ("his", "her", "him", "its")


def has_anaphor(phrase: str) -> bool:
    """A cue that names what it rejects: 'called the reports a fake', 'dismissed the claims as'."""
    words = re.findall(r"[a-z]+", phrase.lower())
    return any(w in _tables()["anaphors"] for w in words)


def is_anaphor(phrase: str) -> bool:
    """'the reports', 'these allegations': words that point back to the story's claim."""
    words = [w for w in re.findall(r"[a-z]+", phrase.lower()) if w not in ("the", "these", "those", "such", "this", "that")]
    return bool(words) and (words[-1] in _tables()["anaphors"] or " ".join(words[:2]) in _tables()["anaphors"])
