"""Courses of action: "voted to abandon its hand count" (opposes the count), "will decide
whether to permit such imports" (considers imports), "grounded the fleet" (supports the
grounding), "retracted his concession" (opposes conceding).

Reporters write a course four ways, all in monitor/lexicons/courses.toml:
- a governing verb over a course noun: begin / abandon / weigh + count, imports, aid, sanctions;
  a nominalised decision is one too ("proposals for further sanctions", "a request for help");
- a predicate that carries its course and its polarity: "resigned", "asked the teams to leave";
- the course noun as the subject of what will happen to it: "the search would go on",
  "the counting must end" (the sentence's speaker holds it);
- a pronoun for the course: "ruled it out", "begin one of its own", "willing to consider it";
  the course is the nearest course noun before it in the sentence, else the story's open
  course (OPEN_COURSE), for the diff stage to resolve.
This module finds them, reads negation before them and finds who holds the course.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .. import lexicon
from ..records import Actor, Position
from .actors import Mention
from .attribution import THIRD_PERSON, holder_of, quote_at, quote_holder, quote_speaker, quotes_another, subject_before
from .prefilter import WORD_START, Prefiltered, words_pattern
from .sentences import Sentence

# The course noun follows its governing verb within this many words: "voted to abandon its
# hand count" (2), "appealed for urgent international help" (2), "permit such imports" (1),
# "decide whether the letters justify amending the returns" (3 before the course phrase).
GOVERN_REACH = 4
# Between a governing verb and its noun no new clause may start: in "granted the request and
# ordered the count stopped" the request does not govern the count.
GOVERN_GAP_STOP = re.compile(r"\b(?:and|or|but|then|while|which|who|whom|that|because|after|before|when|if|unless)\b", re.I)
# Negation this many words before the verb: "would not do a full hand count", "not asking for".
NEGATION_REACH = 3
NEGATIONS = {"not", "never", "no", "n't", "cannot"}
FLIP = {"supports": "opposes", "opposes": "supports", "considers": "opposes"}
# A course inside what reports or rumours say is the rumour's, not the named actor's:
# "prompting headlines that the government planned to seize aid", "reports of the capital
# refusing aid".
HEARSAY = re.compile(r"\b(?:headlines?|reports?|rumou?rs?|speculation|suggestions?|allegations?|claims?)\s+(?:\w+\s+){0,2}(?:that|of)\s+[^,;]*$", re.I)
# A course inside an open question is nobody's stance: "the court did not address whether she
# was obliged to accept the results". Deliberation ("decide whether to") is read before it.
OPEN_QUESTION = re.compile(r"\b(?:whether|if)\b[^,;]*$", re.I)
# The first of two joined verbs, found by its form: "the capital had changed its position and was
# now willing", "X telephoned his rival and conceded" (a past tense or a present in -s).
FINITE = re.compile(r"[a-z]+(?:ed|s)$|(?:had|has|have|was|is|were|are|will|would|said|says|told|gave|made|took|sent|won|lost|went|came|spoke|wrote)$")
# Words back from a governing verb to look for the verb its subject governs: "the board voted
# Friday to begin" (3), "the ministry will decide whether to permit" (3).
INFINITIVE_WORDS = 4
# Words back from "and" to look for the first of two joined verbs: "the capital had changed |
# its position on the neighbour's offer of a search-and-rescue team | and was now willing" (10).
JOINED_WORDS = 12
# What a bare verb of an after_modal course follows: "will ban", "decided to outlaw".
AFTER_MODAL = re.compile(r"\b(?:will|would|shall|must|to)\s+$", re.I)
# The word before a course noun that may qualify it ("a flight ban") fits in this many characters.
QUALIFIER_CHARS = 12
# A course ordered to stop: "ordered the hand count of the disputed ballots stopped".
STOPPED = re.compile(r"(?:\s+[\w’'-]+){0,5}?\s+(?:stopped|halted|suspended|ended|to (?:stop|end|halt))\b", re.I)
# A course noun is the subject of a modal predicate that follows within this many characters:
# "the counting of the ballots mailed from abroad before the deadline, she wrote, 'must end'" (62).
SUBJECT_GAP_CHARS = 70
SUBJECT_MODALS = r"would|will|must|should|could|can|may|might|shall|is to|are to|has to|have to|needs? to|is going to|are going to"
# A clause that shares the verb of the clause before it, its verb left out: "; A, B and C four
# each", "; and D three each" (gapping, common in lists of what each country did).
GAPPED = re.compile(r"\s*(?:and\s+)?(?P<who>[^;]{1,120}?)\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|\w+teen|\w+ty)\s+each\b[^;]*", re.I)
# Modals of possibility: a course that "could" or "may" follow is weighed, not decided ("individual
# action could follow within days"); "would", "will" and "must" decide it.
POSSIBILITY = {"could", "can", "may", "might"}
# Most sentences hold no modal at all: they need no look for a course noun as subject.
# (Searched by its lead in the text lowered: see prefilter.words_pattern.)
ANY_MODAL = Prefiltered(re.compile(rf"\b(?:{SUBJECT_MODALS})\b", re.I),
                        lexicon.lowered_pattern(rf"[^\w](?:{SUBJECT_MODALS})\b"), shifted=True, lowered=True, share=False)
# A pronoun for a course and a quoted fragment hold this much space between them and what
# they lean on: 'the capital “does not need”' (1 space, the quote mark apart).
ADJACENT_CHARS = 3
# The course a pronoun stands for when no course noun comes before it in the sentence: the
# story's open course, resolved by the diff stage (the latest action topic of the story).
OPEN_COURSE = "course"
# A reporting frame inside the clause ("the government, he wrote, will decide") stands
# between a subject and its verb; it is read as blank.
FRAME = re.compile(r",\s*(?:he|she|they|it|we|(?:the\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3})\s+(?:said|says|wrote|writes|added|adds|told\s+\w+)\s*,")
# A hedge between a subject and its verb: "he all but ruled it out".
HEDGE = re.compile(r"\b(?:all but|effectively|virtually|practically|as good as|in effect)\s+$", re.I)
# The verb right before a quotation: "described “...”", "called it “...”".
INTRODUCER = re.compile(r"\b[a-z]+(?:ed|s)\b(?:\s+(?:it|this|that|them))?\s*[:,]?\s*[“\"]?$")
# A course asked of someone is not theirs: "senators called on the regulator to ground the fleet";
# the asker holds it.
REQUESTED = re.compile(r"\b(?:call(?:ed|s|ing)? on|urg(?:e|ed|es|ing)|ask(?:ed|s|ing)?|press(?:ed|es|ing)|tell|told|"
                       r"want(?:ed|s)?|expect(?:ed|s)?|persuad(?:e|ed|es))\s+(?!\w+\s+for\b)[^,;]{1,60}?\s+to\s+(?:\w+ly\s+)?$", re.I)
# A nominalised decision between a course and the verb whose subject holds it: "the mayor
# described the difficult decision to transition from rescue to recovery".
NOMINAL = re.compile(r"\b(?:the|a|an|its|their|his|her)\s+(?:[\w-]+\s+){0,3}(?:decision|plan|move|proposal|order)\s+to\s+$", re.I)
# A light verb over a nominalised course: "made a formal request for assistance" is the
# subject's request.
LIGHT_VERB = re.compile(r"\b(?:made|make|makes|making|submitted|submits|sent|sends|issued|issues|filed|files|lodged)\s+"
                        r"(?:an?\s+|the\s+|its\s+|their\s+|his\s+|her\s+)?(?:\w+\s+)?$", re.I)


class Hit(NamedTuple):
    start: int
    end: int
    key: str            # the course
    stance: str
    mode: str           # predicate | governed | statement | subject | anaphor
    cue: str = ""       # the words shown as the cue, when not the span itself


@lru_cache(maxsize=1)
def _lex() -> dict:
    return lexicon.load("courses")


def _words(forms) -> str:
    return rf"{WORD_START}(?:{lexicon.alternation_regex(forms)})(?![\w-])"


@lru_cache(maxsize=1)
def _governors() -> list[tuple[str, Prefiltered]]:
    return [(stance, words_pattern(_words(forms))) for stance, forms in _lex()["governors"].items()]


@lru_cache(maxsize=1)
def _statement() -> re.Pattern:
    """Governing phrases that are a speaker's statement, not a verb with a subject of its own:
    'said there were no proposals under consideration to allow ...', 'the ministry said it
    was too early to talk about sanctions'."""
    return re.compile(_words(_lex()["statements"]["forms"]), re.I)


def _noun_groups() -> str:
    return "|".join(f"(?P<{key}>{lexicon.alternation_regex(forms)})" for key, forms in _lex()["nouns"].items())


@lru_cache(maxsize=1)
def _nouns() -> re.Pattern:
    """Every course noun in one pattern, a named group per course (one match per governor)."""
    reach = rf"[”\"]?(?:\s+[\w’'-]+){{0,{GOVERN_REACH - 1}}}?\s+"
    return re.compile(rf"{reach}(?:{_noun_groups()})(?![\w-])", re.I)


@lru_cache(maxsize=1)
def _any_noun() -> Prefiltered:
    """Any course noun, a named group per course: a governing verb matters only in a sentence
    that holds one, and a pronoun stands for the last one before it."""
    return words_pattern(rf"{WORD_START}(?:{_noun_groups()})(?![\w-])")


@lru_cache(maxsize=1)
def _modifier() -> re.Pattern:
    """A course noun that modifies another noun names no course: 'import duties', 'aid workers'."""
    return re.compile(rf"\s+(?:{lexicon.alternation_regex(_lex()['words']['modified'])})\b", re.I)


@lru_cache(maxsize=1)
def _qualifiers() -> frozenset[str]:
    return frozenset(_lex()["words"]["qualified"])


def _qualified(text: str, start: int) -> bool:
    """Whether the course noun at `start` is qualified as another course: 'a flight ban'."""
    before = text[max(0, start - QUALIFIER_CHARS):start].split()
    return bool(before) and before[-1].lower() in _qualifiers()


def _predicates_source() -> str:
    """Every predicate in one pattern, a named group per course and stance ("aid__opposes")."""
    groups = "|".join(f"(?P<{key}__{stance}>{lexicon.alternation_regex(forms)})"
                      for key, stances in _lex()["predicates"].items() for stance, forms in stances.items())
    return rf"{WORD_START}(?:{groups})(?![\w-])"


@lru_cache(maxsize=1)
def _predicates() -> Prefiltered:
    return words_pattern(_predicates_source())


@lru_cache(maxsize=1)
def _subject_predicate() -> re.Pattern:
    """What will happen to a course noun that is the subject: 'would go on', 'must end'."""
    groups = "|".join(f"(?P<{stance}>{lexicon.alternation_regex(forms)})" for stance, forms in _lex()["subjects"].items())
    return re.compile(rf"(?P<gap>[^;.!?]{{0,{SUBJECT_GAP_CHARS}}}?)(?<![\w-])(?P<modal>{SUBJECT_MODALS})\s+(?:\w+ly\s+)?"
                      rf"(?P<neg>(?:not|never)\s+)?(?:{groups})(?![\w-])", re.I)


@lru_cache(maxsize=1)
def _anaphors() -> Prefiltered:
    """Governing phrases whose object is a pronoun for a course: 'ruled it out'."""
    groups = "|".join(f"(?P<{stance}>{lexicon.alternation_regex(forms)})" for stance, forms in _lex()["anaphors"].items())
    return words_pattern(rf"{WORD_START}(?:{groups})(?![\w-])")


@lru_cache(maxsize=1)
def _quick() -> re.Pattern:
    """Any word a course is written with at all: most sentences hold none. Searched (by
    quick()) in the sentence lowered, without IGNORECASE: a case-insensitive alternation is
    tried branch by branch at every word (0.63 against 0.2 ms an article on the benchmark
    pages); and a space put before it, so that the words' \\b is the character before them,
    not a word character: a pattern opening with a class lets the engine skip to the
    characters in it, one opening with \\b is tried at every character (0.32 against 0.13 ms
    an article). The plain words are one trie, their spaces single as in the regular ones."""
    words = _lex()["words"]["quick"]
    plain = [w for w in words if re.fullmatch(r"[a-z -]+", w)]
    other = [w for w in words if w not in plain]
    return lexicon.lowered_pattern(r"[^\w](?:" + "|".join([lexicon.alternation(plain, space=" ")] + other) + ")")


def quick(text: str) -> bool:
    """Whether `text` holds a word of _quick() at the start of a word."""
    return _quick().search(" " + text.lower()) is not None


def courses(sentence: Sentence, found: list[Mention], taken: set[str]) -> list[Position]:
    """Course-of-action positions of one sentence; actors in `taken` already hold one."""
    text = sentence.text
    if not quick(text):
        return []
    hits = _predicate_hits(text) + _governed_hits(text)
    hits += _subject_hits(text, hits) + _anaphor_hits(text)
    out, seen = [], set()
    for hit in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if any(h.start <= hit.start < h.end and h.end - h.start > hit.end - hit.start for h in hits if h != hit):
            continue                                     # inside a longer course phrase
        stance = hit.stance if hit.mode == "subject" else _negated(text, hit.start, hit.stance)
        holders = _holders(text, hit, found)
        for actor in holders + (_gapped(text, hit, found) if holders and hit.mode != "subject" else []):
            if actor.key in taken or (actor.key, hit.key) in taken or (actor.key, hit.key, stance) in seen:
                continue
            seen.add((actor.key, hit.key, stance))
            out.append(_position(text, hit, stance, actor))
    return out


def named(text: str) -> list[str]:
    """The courses a text names, in the order named: course nouns and predicates ("weigh
    expulsions", "expelled three envoys"), not a reference to one ("such measures")."""
    if not quick(text):
        return []
    found = [(m.start(), m.lastgroup) for m in _any_noun().finditer(text)
             if m.lastgroup != OPEN_COURSE and not _modifier().match(text, m.end())]
    found += [(h.start, h.key) for h in _predicate_hits(text)]
    return [key for _, key in sorted(found)]


def _predicate_hits(text: str) -> list[Hit]:
    out = []
    for m in _predicates().finditer(text):
        key, stance = m.lastgroup.split("__")
        if key in _lex()["words"]["after_modal"] and re.fullmatch(r"\w+", m.group()) and not AFTER_MODAL.search(text, 0, m.start()):
            continue                                     # "a ban", "banned here": no decision
        out.append(Hit(m.start(), m.end(), key, stance, "predicate"))
    return out


_NOUNS_READ: list = [None, []]


def _noun_matches(text: str) -> list[re.Match]:
    """_any_noun()'s matches in the whole sentence, kept for the sentence read last: the
    governed and the subject hits both ask for them (a search and a full scan cost the same
    in the sentences that hold none)."""
    if _NOUNS_READ[0] is not text:
        _NOUNS_READ[:] = [text, list(_any_noun().finditer(text))]
    return _NOUNS_READ[1]


def _governed_hits(text: str) -> list[Hit]:
    if not _noun_matches(text):
        return []
    out = []
    for stance, pattern in _governors():
        for m in pattern.finditer(text):
            obj = _nouns().match(text, m.end())
            if obj is None or re.search(r"[;:.,“]", text[m.end():obj.end()]) or _modifier().match(text, obj.end()) or \
                    _qualified(text, obj.start(obj.lastgroup)):
                continue
            gap = text[m.end():obj.start(obj.lastgroup)]
            if GOVERN_GAP_STOP.search(gap) or re.search(r"[”\"]", gap[1:]):
                continue                                 # a new clause, or a quote mark other than one closing the verb's quote
            said = "opposes" if stance == "supports" and STOPPED.match(text, obj.end()) else stance
            mode = "statement" if _statement().match(text, m.start()) else "governed"
            out.append(Hit(m.start(), obj.end(), obj.lastgroup, said, mode))   # "ordered the count stopped": opposes
    return out


def _subject_hits(text: str, hits: list[Hit]) -> list[Hit]:
    """'The search would go on', 'the counting must end': the speaker's course."""
    out = []
    if not ANY_MODAL.search(text):
        return out
    for noun in _noun_matches(text):
        if any(h.start <= noun.start() < h.end for h in hits) or _modifier().match(text, noun.end()):
            continue                                     # the object of a verb, not a subject
        m = _subject_predicate().match(text, noun.end())
        if m is None or GOVERN_GAP_STOP.search(m.group("gap")):
            continue
        stance = m.lastgroup
        if m.group("neg"):
            stance = FLIP[stance]
        elif stance == "supports" and m.group("modal").lower() in POSSIBILITY:
            stance = "considers"                        # "action could follow within days": weighed, not decided
        cue = f"{noun.group()} {text[m.end('gap'):m.end()]}"       # "the counting must end", without the frame
        out.append(Hit(noun.start(), m.end(), noun.lastgroup, stance, "subject", cue))
    return out


def _anaphor_hits(text: str) -> list[Hit]:
    """'ruled it out', 'voted to begin one of its own': the course named last before it."""
    out = []
    for m in _anaphors().finditer(text):
        before = [n for n in _any_noun().finditer(text, 0, m.start()) if not _modifier().match(text, n.end())]
        key = before[-1].lastgroup if before else OPEN_COURSE
        out.append(Hit(m.start(), m.end(), key, m.lastgroup, "anaphor"))
    return out


def _gapped(text: str, hit: Hit, found: list[Mention]) -> list[Actor]:
    """Actors of later clauses that share the course with their verb left out: "X would expel
    13 envoys; A, B and C four each; and D three each" (A to D expel too)."""
    out, at = [], text.find(";", hit.end)
    while at >= 0:
        end = text.find(";", at + 1)
        end = len(text) if end < 0 else end
        m = GAPPED.match(text, at + 1, end)
        if m is None:
            break
        out += [f.actor for f in found if m.start("who") <= f.start < m.end("who") and f.kind in ("place", "body")]
        at = text.find(";", end) if end < len(text) else -1
    return out


def _negated(text: str, start: int, stance: str) -> str:
    before = re.findall(r"[\w’']+", text[:start])[-NEGATION_REACH:]
    if any(w.lower() in NEGATIONS or w.lower().endswith(("n't", "n’t")) for w in before):
        return FLIP[stance]
    return stance


def _holders(text: str, hit: Hit, found: list[Mention]) -> list[Actor]:
    """The quote's speaker, or the subject a quoted fragment completes ('the capital “does not
    need” the aid'); the verb's subject ('the board voted to abandon'); else, for a predicate
    that carries its course, a statement or a course as subject, the speaker the clause is
    reported from ('X said it would not yield'). A governing verb without a subject of its own
    is too loose to credit to the sentence's speaker ('X said the court was asked to stop the count').
    A course in an open question, in a report of it, or of another actor quoted by the speaker
    ('"the capital has not asked for help," the neighbour said') is nobody's here."""
    start = hit.start
    quote = quote_at(text, start)
    if quote is not None:
        leaning = subject_before(text, quote[0], found)
        if leaning is not None and quote[0] - leaning.end <= ADJACENT_CHARS:
            return [leaning.actor]
        if THIRD_PERSON.search(text[quote[0] + 1:start]) and not re.search(r"[.;!?]\s", text[quote[0] + 1:start]):
            holder = quote_holder(text, quote, start, found)
            return [holder] if holder else []            # '"The second they ask for it, it will be sent," he said'
        speaker = quote_speaker(text, quote, found) or _introducer(text, quote[0], found)
        if speaker and quotes_another(text, quote, start, speaker, found):
            return []                                    # '"The capital has not asked for help," the neighbour said'
        return [speaker] if speaker else []
    if HEARSAY.search(text[:start]):
        return []                                        # "reports that the board would halt the count"
    if hit.stance != "considers" and OPEN_QUESTION.search(text[:start]):
        return []
    if re.match(r"\w+(?:ed|en)\b", text[start:]) and re.search(r"\b(?:is|are|was|were|been|being)\s+(?:\w+ly\s+)?$", text[:start]):
        return []                                        # passive: "the count was halted"
    if hit.mode == "subject":
        speaker = holder_of(text, start, found)
        return [speaker] if speaker else []
    subject = _subject(text, start, found)
    if subject is not None:
        return [subject.actor]
    if hit.mode == "governed":
        return []
    speaker = holder_of(text, start, found)
    return [speaker] if speaker else []


def _introducer(text: str, pos: int, found: list[Mention]) -> Actor | None:
    """The subject of the verb that introduces a quotation, when it is no reporting verb:
    'the mayor, speaking at a briefing, described “the difficult decision to ...”'."""
    verb = INTRODUCER.search(text, 0, pos)
    subject = subject_before(text, verb.start(), found) if verb else None
    return subject.actor if subject else None


def _subject(text: str, start: int, found: list[Mention]) -> Mention | None:
    """The subject of the verb at `start`, of the verb that governs it ('the board voted on
    Monday to begin') or of the first of two joined verbs ('the capital had changed its position
    and was now willing to consider it'). A reporting frame inside the clause is read as blank."""
    frames = [m.span() for m in FRAME.finditer(text, 0, start)]
    for a, b in frames:
        text = text[:a] + " " * (b - a) + text[b:]
    own = quote_at(text, start)
    found = [m for m in found if not any(a <= m.start < b for a, b in frames) and quote_at(text, m.start) in (None, own)]
    light = LIGHT_VERB.search(text[:start]) or HEDGE.search(text[:start]) or REQUESTED.search(text[:start])
    if light:                                            # "made a formal request for": the maker's
        start = light.start()
    subject = subject_before(text, start, found)
    base = max(0, start - 90)
    heads = list(re.finditer(r"[\w’'-]+", text[base:start]))[::-1][:INFINITIVE_WORDS]
    for head in heads if re.search(r"\b(?:to|will|would|could|may|might|shall|can|must)(?:\s+not)?\s+$", text[:start]) else ():
        if subject is not None or re.search(r"[,;:]", text[base + head.start():start]):
            break
        subject = subject_before(text, base + head.start(), found)
    conjoined = re.search(r"\band\s+(?:(?:then|later|now|also|is|was|are|were|has|had|have|would|will)\s+)*$", text[:start])
    if conjoined and subject is not None and subject.end >= conjoined.start() - 2:
        subject = None                                   # "X telephoned his rival and conceded": the rival is the object
    if conjoined and subject is None:                    # the subject of the first of two joined verbs
        return main_subject(text, base, conjoined.start(), found)
    if subject is None and re.match(r"\w+ing\b", text[start:]) and not re.search(r"[,;:]", text[base:start]):
        return main_subject(text, base, start, found)   # "the regulator followed with a statement ordering"
    nominal = NOMINAL.search(text, base, start)
    if subject is None and nominal and not re.search(r"[,;:]", text[base:start]):
        return main_subject(text, base, nominal.start(), found)
    return subject


def main_subject(text: str, base: int, end: int, found: list[Mention]) -> Mention | None:
    """The subject of the last finite verb before `end`."""
    for word in list(re.finditer(r"[\w’'-]+", text[base:end]))[::-1][:JOINED_WORDS]:
        if not FINITE.match(word.group()):
            continue                                     # "granted George W. Bush's request and ordered": not "W"
        first = subject_before(text, base + word.start(), found)
        if first is not None and first.end < base + word.start():
            return first
    return None


def _position(text: str, hit: Hit, stance: str, actor: Actor) -> Position:
    words = text[hit.start:].split()
    topic_text = " ".join(words[:12]).strip(" ,.“”\"")
    return Position(actor=actor, scale="action", stance=stance, cue=hit.cue or text[hit.start:hit.end], topic_terms=(hit.key,),
                    topic_text=topic_text, anaphoric=hit.key == OPEN_COURSE, prospect=False, action=hit.key,
                    sentence=text)
