"""Attribution: who says what a sentence reports.

"X said ...", "..., X said", "said X", "according to X", and the speaker of a quotation.
A subject is accepted only when nothing but auxiliaries, adverbs, time phrases or an
appositive stands between it and its verb, so "a charge both countries have denied"
is not attributed to the last country named before it.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .. import lexicon
from ..records import Actor
from .actors import Mention
from .names import _CURRENT, QUOTE_MARK, QUOTE_SENTENCES, current_book

# Words that may stand between a subject and its verb: "the Pentagon has not been able
# to verify", "Kirby, national security spokesman at the White House, confirmed on Oct. 23".
GAP_WORDS = (r"has|have|had|is|are|was|were|not|never|also|again|repeatedly|publicly|previously|flatly|strongly|firmly|"
             r"categorically|swiftly|quickly|already|still|now|only|yet|both|all|itself|themselves|then|later|"
             r"earlier|reportedly|officially|finally|initially|first|last|this|week|month|year|today|tonight|"
             r"yesterday|on|in|a|an|the|statement|separately|similarly|meanwhile|however|\w+day|\w+days|\w+ly|"
             r"jan\.?|feb\.?|mar\.?|apr\.?|may|jun\.?|jul\.?|aug\.?|sept?\.?|oct\.?|nov\.?|dec\.?|\d{1,2}(?:st|nd|rd|th)?")
# The office a body holds in the case: "the prosecutor in charge said", "the official leading
# the investigation said".
IN_CHARGE = r"in\s+charge(?:\s+of\s+(?:the\s+)?[\w-]+)?|(?:leading|handling|running)\s+the\s+(?:investigation|inquiry|case|probe|search)"
GAP = re.compile(rf"^(?:\s|,|\)|\((?:[^)]{{0,30}})\)|\b(?:{IN_CHARGE})\b|\b(?:{GAP_WORDS})\b\.?)*$", re.I)
APPOSITIVE = re.compile(r"^\s*,[^,;“”\"]{1,90},\s*")
APPOSITIVE_GAP = re.compile(r"\s*(?:\([^)]{0,30}\))?\s*,(?:[^,;“”\"]|,\d){1,140},\s*(?:(?:has|have|had|also|on \w+)\s+)*")
# Verbs that may come before their speaker: '"...", said Carl Schuster'.
INVERTED = re.compile(r"said|says|added|adds|noted|notes|wrote|writes|explained|continued|warned|insisted", re.I)
# Clause boundaries: an attribution does not reach across them.
BOUNDARY = re.compile(r";|,\s*(?:while|whereas|but)\b|\bwhile\b")


@lru_cache(maxsize=1)
def _verbs() -> re.Pattern:
    lex = lexicon.load("reporting")
    return re.compile(rf"\b(?:{lexicon.alternation_regex(lex['verbs'])})\b", re.I)


@lru_cache(maxsize=1)
def _documents() -> re.Pattern:
    """A document named by its author, just before the author: "the interim report of (the)"."""
    words = lexicon.alternation(lexicon.load("reporting")["documents"])
    return re.compile(rf"\b(?:{words})\s+(?:\w+\s+){{0,2}}?(?:of|by|from)\s+(?:the\s+)?$", re.I)


@lru_cache(maxsize=1)
def _according() -> re.Pattern:
    return re.compile(rf"\b(?:{lexicon.alternation(lexicon.load('reporting')['according'])})\s+", re.I)


def gap_ok(gap: str) -> bool:
    """True when `gap` may separate a subject from its verb."""
    gap = re.sub(r"^\s*\([^)]{0,30}\)", " ", gap, count=1)
    gap = APPOSITIVE.sub(" ", gap, count=1)
    return bool(GAP.match(gap))


# "X was probably among the dead", "X is likely to have": a subject joined by a copula to an
# epistemic qualifier is what is assessed, not who assesses it.
COPULA = re.compile(r"\b(?:is|are|was|were|be|been|being|'s|’s)\b", re.I)
ASSESSED = re.compile(r"(?:(?:highly|very|most|quite|overwhelmingly|almost)\s+)?(?:probabl|likel|possibl|perhaps|presumabl|apparent|almost certain|certain|unlikel|thought|believed|feared|reported)", re.I)


# A headline drops the copula: "Summit agrees Zembia 'highly likely' behind attack", "Zembia
# probably responsible, ministers say": a likelihood word right after a name assesses the name.
HEADLINE_ASSESSED = re.compile(r"\s*[“\"‘']?\s*")
HEADLINE_WORDS = re.compile(r"(?:(?:highly|very|most|quite|overwhelmingly|almost)\s+)?(?:probabl|likel|possibl|presumabl|"
                            r"apparent|almost certain|certain)", re.I)


def subject_before(text: str, pos: int, found: list[Mention], usable=lambda m: True) -> Mention | None:
    """The actor that is the grammatical subject of the word at `pos`, as the holder of what
    the word says. A name inside an appositive ("the OCE, a group that deployed observers
    across Valcera, said") is not it; nor is the subject of an assessment ("the ministry said
    the commander was probably among the dead": the ministry holds it, not the commander)."""
    subject = _grammatical_subject(text, pos, found, usable) or _conjunct_subject(text, pos, found)
    if subject is not None and (ASSESSED.match(text, pos) and COPULA.search(text, subject.end, pos) or
                                HEADLINE_WORDS.match(text, pos) and HEADLINE_ASSESSED.fullmatch(text, subject.end, pos)):
        return _assessor(text, subject, found)    # "X was probably behind it", "X 'highly likely' behind it"
    if subject is not None and _documents().search(text, 0, subject.start):
        return _assessor(text, subject, found) or subject   # "X said the report of Y confirmed"
    if subject is not None and GERUND.match(text, pos) and PREPOSITION_BEFORE.search(text, 0, subject.start):
        return None                           # "reports of X refusing aid": X is talked about
    return subject


def _grammatical_subject(text: str, pos: int, found: list[Mention], usable=lambda m: True) -> Mention | None:
    before = [m for m in reversed(found) if m.end <= pos and usable(m)]
    if not before:
        return None
    if not gap_ok(text[before[0].end:pos]):
        # The nearest name may stand inside the subject's appositive: '"...," Ana Ruiz, an
        # officer in the army control room, said' (the army is not the subject; Ruiz is).
        return next((m for m in before[1:] if APPOSITIVE_GAP.fullmatch(text[m.end:pos])), None)
    for earlier in before[1:]:
        if APPOSITIVE_GAP.fullmatch(text[earlier.end:pos]) and earlier.start < before[0].start:
            return earlier
    return before[0]


# "X had changed its position and was now willing to consider": the second verb's subject is the first's.
CONJUNCT = re.compile(r"\band\s+(?:(?:is|was|were|are|has|had|have|would|will|could|now|also|then|later|still)\s+){1,3}$", re.I)
# The first verb of a pair stands this close to the second: "X had changed its position on
# Y's offer of a team and was now willing" (95 characters).
CONJUNCT_REACH = 140


def _conjunct_subject(text: str, pos: int, found: list[Mention]) -> Mention | None:
    """The subject of the first of two verbs joined by 'and', for the second."""
    joined = CONJUNCT.search(text, max(0, pos - 60), pos)
    if joined is None:
        return None
    start = max(0, joined.start() - CONJUNCT_REACH)
    for m in reversed([m for m in found if start <= m.start and m.end <= joined.start()]):
        if BOUNDARY.search(text, m.end, joined.start()) or re.search(r"[,;:]", text[m.end:joined.start()]):
            return None
        if re.match(r"\s+(?:has|have|had|is|was|were|are|will|would|\w+ed)\b", text[m.end:]):
            return m
    return None


GERUND = re.compile(r"\w+ing\b")
PREPOSITION_BEFORE = re.compile(r"\b(?:of|about|over|on|against|for|with|without|despite)\s+(?:the\s+)?$", re.I)


def _assessor(text: str, subject: Mention, found: list[Mention]) -> Mention | None:
    """Who reports the assessment of `subject`: the speaker of the clause it stands in."""
    said = [s for s in speakers(text, found) if s[1] <= subject.start and s[2] is not subject
            and not BOUNDARY.search(text, s[1], subject.start)]
    return said[-1][2] if said else None


def speakers(text: str, found: list[Mention]) -> list[tuple[int, int, Mention]]:
    """(verb start, verb end, speaker) for each reporting verb with a speaker. Every figure and
    position of a sentence asks again with the same mentions: the last answer is kept, or a
    sentence with many figures and many speakers cost figures x verbs x mentions."""
    key, last = (text, tuple(found)), _LAST_SPEAKERS[0]
    if last[0] != key:
        last = _LAST_SPEAKERS[0] = (key, _speakers(text, found))
    return list(last[1])


_LAST_SPEAKERS: list = [(None, [])]     # one (key, answer) pair, replaced whole


def _speakers(text: str, found: list[Mention]) -> list[tuple[int, int, Mention]]:
    out = []
    for verb in _verbs().finditer(text):
        speaker = _grammatical_subject(text, verb.start(), found)
        if speaker is None and INVERTED.fullmatch(verb.group()):
            after = [m for m in found if m.start >= verb.end() and m.kind != "place"
                     and re.fullmatch(r"\s*(?:the\s+|a\s+)?", text[verb.end():m.start])]
            speaker = after[0] if after else None
        if speaker is not None:
            out.append((verb.start(), verb.end(), speaker))
    for match in _according().finditer(text):
        after = [m for m in found if m.start >= match.end() and
                 re.fullmatch(r"\s*(?:(?:the|a|an)\s+)?(?:(?:[\w-]+\s+){0,4}(?:by|from|of)\s+(?:the\s+)?)?", text[match.end():m.start])]
        if after:
            out.append((match.start(), match.end(), after[0]))
    return sorted(out, key=lambda s: s[0])


# "The daily Ekho, citing a police source, said ...", "..., Ekho reported, quoting two officials":
# who relays a source speaks for it. The source is named by a mention, or is a person unnamed.
CITING = re.compile(r"\b(?:citing|quoting)\s+(?P<source>[^,;.“”\"]{1,60})", re.I)
SOURCE_WORDS = re.compile(r"\b(?:sources?|officials?|insiders?|people|persons?|someone|a person|familiar)\b", re.I)


def _cited(text: str, speaker: Mention, found: list[Mention]) -> Mention | bool | None:
    """What stands for `speaker` when it cites a source after its name in the sentence: the
    source's mention ('citing the defence ministry'), False for a source no mention names ('citing
    a police source': nobody's position), None when it cites none or only a document or data."""
    cite = CITING.search(text, speaker.end)
    if cite is None:
        return None
    inside = [m for m in found if cite.start("source") <= m.start and m.end <= cite.end() + 1]
    if inside:
        return inside[0]
    return False if SOURCE_WORDS.search(cite.group("source")) else None


def co_holders(actor: Actor, found: list[Mention]) -> list[Actor]:
    """Who holds a stance with `actor`: the other members of a group it leads ('the ministers'
    after 'Ana Ruiz and Tomas Vidal issued a joint statement'; Mention.also)."""
    return [other for m in found if m.kind == "group" and m.actor == actor for other in m.also]


def holder_of(text: str, pos: int, found: list[Mention]) -> Actor | None:
    """Who holds a stance stated at `pos`: source_of's speaker, unless it only relays a source it
    cites ('The daily Ekho, citing a police source, said ...'): then the source's body when a
    mention names it, else nobody. A figure's source stays the outlet (source_of): a count an
    outlet relays is its count."""
    source = source_of(text, pos, found)
    said = [s for s in speakers(text, found) + _possessive_counts(text, found) if s[2].actor == source]
    if not said:
        return source
    cited = _cited(text, said[0][2], found)
    if cited is None:
        return said[0][2].actor
    return cited.actor if cited else None


def source_of(text: str, pos: int, found: list[Mention]) -> Actor | None:
    """Who states what stands at `pos`: the outermost speaker before it in the same
    clause, else a speaker after it ('..., the ministry said'), else None (the outlet)."""
    said = speakers(text, found) + _possessive_counts(text, found)
    said.sort(key=lambda s: s[0])
    # The first speaker will do: looking for a clause boundary after every one of them,
    # for every figure, made a long sentence cubic.
    before = next((s for s in said if s[1] <= pos and not BOUNDARY.search(text, s[1], pos)), None)
    if before:
        return before[2].actor
    after = [s for s in said if s[0] >= pos]
    if after:
        return after[0][2].actor
    return None


POSSESSIVE_COUNT = re.compile(r"['’]s?\s+(?:[\w-]+\s+){0,2}(?:count|toll|tally|figures?|estimates?|data|numbers|death toll|report)\b", re.I)


def _possessive_counts(text: str, found: list[Mention]) -> list[tuple[int, int, Mention]]:
    """'The agency's count stood at 3,412': the count is the agency's."""
    out = []
    for mention in found:
        if mention.kind == "place":
            continue                          # "Valcera's vote count" is the country's, not a source
        match = POSSESSIVE_COUNT.match(text, mention.end)      # at the mention's end, without copying the rest
        if match:
            out.append((mention.end, match.end(), mention))
    return out


def quote_speaker(text: str, span: tuple[int, int], found: list[Mention]) -> Actor | None:
    """The speaker of the quotation at `span`: 'X said “...”' or '“...,” X said'; for a
    sentence that is all quotation, the speaker of the quote it continues or of the one that
    goes on in the next sentences ('“...” The minister said on Friday.')."""
    said = speakers(text, found)
    outside = [s for s in said if s[1] <= span[0] or s[0] >= span[1]]
    if not outside:
        return _neighbour_speaker(text, span)
    nearest = min(outside, key=lambda s: min(abs(s[0] - span[1]), abs(span[0] - s[1])))
    book = current_book(text)
    if book is not None:
        book.quoted = (book.index, nearest[2].actor)
    return nearest[2].actor


# Inside a quote, a verb with a third-person subject of its own is that subject's, not the
# speaker's: '"The second they request aid, it will be sent," he said' (they request, not he).
THIRD_PERSON = re.compile(r"\b(?:they|he|she)\s+(?:(?:\w+ly|not|do|does|did|would|will|could|may|might|can)\s+)*$", re.I)


def quote_holder(text: str, span: tuple[int, int], pos: int, found: list[Mention]) -> Actor | None:
    """Who holds the stance of the cue at `pos` inside the quotation at `span`: the subject
    written just before a quoted fragment ('the kingdom "does not need" the aid': the kingdom),
    nobody for a verb whose subject inside the quote is another ('"once they ask"'), else the
    quote's speaker."""
    inner = text[span[0] + 1:pos]
    if THIRD_PERSON.search(inner) and not re.search(r"[.;!?]\s", inner):
        said = [m for m in found if span[0] < m.start and m.end <= pos]
        return said[-1].actor if said and gap_ok(text[said[-1].end:pos]) else None
    if not inner.strip() and text[:span[0]].strip():
        subject = _grammatical_subject(text, span[0], found, lambda m: not _placed(text, m))
        if subject is not None and HEADLINE_ASSESSED.fullmatch(text, subject.end, pos) and HEADLINE_WORDS.match(text, pos):
            assessor = _assessor(text, subject, found)     # 'agrees Zembia "highly likely" behind it'
            return assessor.actor if assessor else None
        if subject is not None and not re.search(r"\b(?:said|says|told|added|called|described)\s*$", text[subject.end:span[0]]):
            return subject.actor              # 'the kingdom "does not need" the aid'
    return quote_speaker(text, span, found)


# A place after a preposition is where something is, never who speaks: 'the ministry said the
# names published in Aldora "mean nothing"' is the ministry's quote, not Aldora's.
PLACE_PREPOSITION = re.compile(r"\b(?:in|at|from|to|of)\s+(?:the\s+)?$", re.I)


def _placed(text: str, m: Mention) -> bool:
    return m.kind == "place" and PLACE_PREPOSITION.search(text, max(0, m.start - 12), m.start) is not None


# A sentence that only names a speaker: "The minister said on Friday." / "she told reporters:".
BARE_ATTRIBUTION = re.compile(r"^\s*(?:(?:on|in|at|during|late|early|to|from)\s+[^,.;:“”\"]{0,40}|[\w\s]{0,25}reporters)?\s*[.,:;]?\s*$", re.I)


def _neighbour_speaker(text: str, span: tuple[int, int]) -> Actor | None:
    """The speaker of a quote that fills its sentence, from the sentences around it."""
    book = current_book(text)
    if book is None or text[:span[0]].strip(" (—–-") or text[span[1]:].strip(" .,;:)—–-"):
        return None
    if book.quoted[0] == book.index - 1 and book.quoted[1] is not None:
        return _remember(book, book.quoted[1])        # the quote of the sentence before, continued
    prev_text, prev_found = book.previous
    spans = _spans(prev_text)
    if spans or prev_text.rstrip().endswith(":"):
        said = speakers(prev_text, prev_found)
        end = spans[-1][1] if spans else len(prev_text)
        if said:                              # the speaker nearest the previous sentence's last quote
            return _remember(book, min(said, key=lambda s: min(abs(s[0] - end), abs(s[1] - end)))[2].actor)
    left_open = span[1] - 1 == span[0] or not QUOTE_MARK.match(text, span[1] - 1)
    return _remember(book, _speaker_ahead(book, left_open))


def _speaker_ahead(book, open_: bool) -> Actor | None:
    """'“...” The president said on Friday.', '“... . Tomorrow ...,” she said': the speaker of the
    next sentences, when they go on with the quote and close it, or only name who spoke."""
    for step in range(1, QUOTE_SENTENCES + 1):
        ahead = book.neighbour(step)
        if ahead is None:
            return None
        spans = _spans(ahead, open_)
        if spans and spans[0][0] == 0:
            said = speakers(ahead, _read_ahead(book, ahead))
            after = [s for s in said if s[0] >= spans[0][1]]
            if after and after[0][0] - spans[0][1] < SPEAKER_AFTER_QUOTE:
                return after[0][2].actor          # '...,” the premier said'
            if ahead[spans[0][1]:].strip(" .,;:)—–-"):
                return None                       # the quote ends and other words follow
            open_ = spans[0][1] >= len(ahead)     # one more sentence of the quote
            continue
        if spans:
            return None
        said = speakers(ahead, _read_ahead(book, ahead))
        return said[0][2].actor if said and BARE_ATTRIBUTION.match(ahead[said[0][1]:]) else None
    return None


# '...,” the country's prime minister, Ana Ruiz, said': the speaker's words after a quote.
SPEAKER_AFTER_QUOTE = 80


def _read_ahead(book, text: str) -> list[Mention]:
    """The mentions of a later sentence, read by a copy of the book (the real one reads it in turn)."""
    from .actors import mentions              # actors imports this module's callers
    try:
        return mentions(text, book.scratch())
    finally:
        _CURRENT[0] = book


def _remember(book, actor: Actor | None) -> Actor | None:
    if actor is not None:
        book.quoted = (book.index, actor)
    return actor


def _spans(text: str, inside: bool | None = None) -> list[tuple[int, int]]:
    """The quotations of a sentence (marks included). A quote that began in an earlier sentence
    ends at the first mark ('... the cause.” He added'), or fills a sentence without marks;
    one that goes on past the sentence runs to its end ('“We will not stop. ')."""
    marks = [m.start() for m in QUOTE_MARK.finditer(text)]
    out = []
    if inside is None:
        inside = bool(len(marks) % 2) and _closes_earlier(text, marks[0])
    if inside and not marks:
        return [(0, len(text))]
    if inside:
        out.append((0, marks[0] + 1))
        marks = marks[1:]
    out += [(a, b + 1) for a, b in zip(marks[::2], marks[1::2])]
    if len(marks) % 2:
        out.append((marks[-1], len(text)))
    return out


def _closes_earlier(text: str, mark: int) -> bool:
    """A lone first mark closes a quote opened before: '”', or '"' after a word or a stop."""
    if text[mark] == "”":
        return True
    return text[mark] == '"' and mark > 0 and not text[mark - 1].isspace() and text[mark - 1] not in "(—–-"


def quote_at(text: str, pos: int) -> tuple[int, int] | None:
    """The quotation (quote marks included) that `pos` falls in, if any."""
    book = current_book(text)
    inside = bool(book.inside) if book is not None and book.index >= 0 else None
    return next(((a, b) for a, b in _spans(text, inside) if a <= pos < b), None)


def quotes_another(text: str, quote: tuple[int, int], pos: int, speaker: Actor, found: list[Mention]) -> bool:
    """Whether the words at `pos` inside `quote` have a named subject of their own that is not
    the speaker ('"The capital has not asked for help," the neighbour said'): then what they
    say of that subject's course is no one's stance here."""
    inner = subject_before(text, pos, [m for m in found if quote[0] <= m.start < quote[1]])
    return inner is not None and inner.kind != "pronoun" and \
        not {k for k, _ in inner.actor.levels} & {k for k, _ in speaker.levels}

