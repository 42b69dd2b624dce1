"""Positions: an actor's stance on a proposition, read from stance cues.

"Kremlin spokesman Dmitry Peskov dismissed the reports as fake news" gives Dmitry Peskov
(Kremlin, Russia) denies <the story's claim>; "South Korea could consider supplying
weapons to Ukraine" gives South Korea considers <supply weapons Ukraine>. The cue words
live in monitor/lexicons/stance.toml; this module knows where actor and proposition stand.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from .. import lexicon
from ..records import Actor, Position
from .actors import Mention
from .anaphora import has_anaphor, is_anaphor
from .courses import HEARSAY, OPEN_COURSE, courses
from .cues import _matches, framed
from .attribution import co_holders, holder_of, quote_at, quote_holder, quotes_another, speakers, subject_before
from .sentences import Sentence
from .topics import cue_terms, predicate, terms

# An action verb must follow its cue closely: "could consider supplying" (1 word),
# "will not send" (1), "has decided to deploy" (1); three words covers adverbs.
ACTION_REACH_WORDS = 3
# Negation counts when it stands this many words before a cue: "has not publicly confirmed".
NEGATION_REACH_WORDS = 3
# The proposition is read from at most this many words after the cue.
TOPIC_WORDS = 30
FLIP = {"confirms": "unconfirmed", "likely": "unconfirmed", "denies": "unconfirmed",
        "supports": "opposes", "considers": "opposes"}
# The proposition ends where another clause or speaker begins.
CLAUSE_END = re.compile(r";|,\s*(?:but|while|whereas)\b|,\s+(?!including\b|according\b)[a-z]+ing\b|[”\"]\s*,?\s+(?:[\w.’'-]+\s+){1,4}?(?:said|told|added)\b|\band\s+(?:also\s+)?(?:believes?|says?|said|told|added|"
                        r"acknowledged|noted|insisted)\b|,\s*(?:he|she|they|it)\s+\w+ed\b|,\s+(?:a|an|the)\s+[\w\s]{0,40}?(?:said|told)\b")
# A modal within the first words of the proposition makes it a prospect: "the servicemen
# would fight" (3 words in), "what effect a ... presence in Russia may have" (10).
PROSPECT_WORDS = 12
# A complement that denies what it reports: "concluded that there were no survivors",
# "records showed no aircraft nearby", "believes nobody was on board", "said the jet had not been hit".
NEGATED_COMPLEMENT = re.compile(
    r"(?:that\s+)?(?:(?:there\s+(?:was|were|is|are|had been|has been|have been)\s+)?(?:no|none)\b(?!\s+(?:more|less|fewer|longer|later|sooner|doubt)\b)|"
    r"(?:nobody|no one|no-one|never|neither)\b|(?:[\w’'-]+\s+){1,3}(?:had|has|have)\s+no\b(?!\s+(?:more|less|fewer|longer|doubt)\b)|(?:[\w’'-]+\s+){1,5}(?:(?:was|were|is|are|had|has|have|did|does|do)(?:\s+not|n[’']t)|never)\b(?!\s+only))", re.I)
# A negated adequacy is a shortfall admitted, not a denial: "admitted the response had not been
# good enough", "conceded the checks were not sufficient".
SHORTFALL = re.compile(r"\b(?:not|n[’']t)\s+(?:been\s+|be\s+)?(?:\w+\s+)?(?:good enough|enough|sufficient|adequate|properly)\b", re.I)
# Cues that sit inside the proposition they qualify, not before it.
ADVERB_CUE = re.compile(r"(?:most |very |highly )?(?:probabl[ey]|likely|apparently|possibly|reportedly|allegedly|undeniably|clearly)", re.I)
# A reporting frame right after a closing quote: the quoted proposition ended there.
FRAME_AFTER = re.compile(r"\s*,?\s*(?:[\w.’'-]+\s+){1,5}?(?:said|says|told|added|wrote)\b", re.I)
# "no other explanation for the poisoning than a state's involvement": the proposition follows "than".
ONLY_EXPLANATION = re.compile(r"\b(?:than|other than|except)\b\s*[“\"]?", re.I)
# "X was (highly) likely to ...": X is the subject of the judged proposition, not its holder.
RAISED = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?$", re.I)
# "Asked (directly) whether poisoning was the cause, he said ...": the answer is about the question.
ASKED = re.compile(r"\s*(?:when\s+)?asked\s+(?:\w+\s+){0,4}?(?:whether|if|about)\s+(?P<question>[^,;]{3,160}),", re.I)
ADVOCACY = re.compile(r"\b(should|must|ought to|needs? to|has to|have to)\s+(\w+ly\s+)?$", re.I)


@lru_cache(maxsize=1)
def _lex() -> dict:
    return lexicon.load("stance")


@lru_cache(maxsize=1)
def _action_noun() -> re.Pattern:
    nouns = lexicon.alternation_regex(_lex()["words"]["action_nouns"])
    # A proper name may qualify the noun: "considering a NATO request", "an EU proposal".
    return re.compile(rf"^\s+(?:(?:an?|the|any|its|their|all|further|more|new|formal)\s+)*(?-i:[A-Z][\w.-]*\s+)?(?P<verb>{nouns})\b", re.I)


# Nouns that name a course only through the verb after them: "the request to send troops".
ASKED_FOR = re.compile(r"(?:the\s+)?(?:offer|request|proposal|plan)s?", re.I)
# Modals take a verb, never a noun: "may sanctions" is not English, "ruled out sanctions" is.
MODALS = {"will", "would", "may", "might", "could", "shall", "can", "is to", "are to"}


@lru_cache(maxsize=1)
def _action() -> re.Pattern:
    return re.compile(rf"^(?:\s+\w+ly)?(?:\s+(?:to|be|not|not be))?\s+(?P<verb>{lexicon.alternation_regex(_lex()['words']['actions'])})\b", re.I)


@lru_cache(maxsize=None)                      # one per [words] key: prospect, past, counterparts
def _words(key: str) -> re.Pattern:
    return re.compile(rf"\b(?:{lexicon.alternation_regex(_lex()['words'][key])})\b", re.I)


def positions(sentence: Sentence, found: list[Mention]) -> list[Position]:
    text, out = sentence.text, []
    hits = _matches(text)
    frames = framed(text, hits)
    for index, (scale, stance, match) in enumerate(hits):
        if index + 1 in frames:
            continue                          # "concluded it was highly likely that": the inner cue reads it
        if match.group().lower() in NOUN_CUES and (DETERMINER_BEFORE.search(text[:match.start()])
                                                    or NOUN_AFTER.match(text, match.end())
                                                    and not SUBJECT_BEFORE.search(text, 0, match.start())):
            continue                          # "the suspects", "a list of terrorism suspects.": a noun, no stance
        if match.group().lower() in RELATIVE_CUES and REDUCED_RELATIVE.search(text[:match.start()]) and \
                re.match(r"\s+to\s+(?:be|have)\b", text[match.end():]):
            continue                          # "the panels believed to be on the tower": a noun's modifier, no stance
        action = None
        if scale == "action":
            verb = _action().match(text[match.end():])
            if verb is None and match.group().lower() not in MODALS:
                verb = _action_noun().match(text[match.end():])
            if verb is None or re.match(r"\s+(?:\w+ly\s+)?be\s+\w+(?:ed|en)\b", text[match.end():]):
                continue                      # no action, or a passive: "could be deployed"
            action = _canonical_action(verb.group("verb"))
            then = re.match(r"\s+to\s+(\w+)", text[match.end() + verb.end():])
            if then and (action == "aid" or ASKED_FOR.fullmatch(verb.group("verb"))):
                # "would not seek to renegotiate", "a request to send a contingent": the course is the second verb
                action = _canonical_action(then.group(1))
            elif ASKED_FOR.fullmatch(verb.group("verb")):
                action = OPEN_COURSE          # "weighing the request": the course asked for before
        holders = _actors(text, frames.get(index, match), found, scale)
        for actor in _with_partners(holders, found):
            out.append(_position(sentence, match, scale, _negated(text, match, stance), action, actor, found))
    if not any(p.scale == "truth" and not p.past for p in out):
        # (a recap of an earlier statement leaves the sentence's own denial to be read: "X, which
        # last week said it was looking into it, now says it had no production there")
        out += _flat_denials(sentence, found) or _reported_requests(sentence, found)
    taken = {(p.actor.key, p.action) for p in out if p.scale == "action"}
    for p in courses(sentence, found, taken):
        before = _own_clause(re.split(r"[;]", text[:text.find(p.cue)])[-1])
        out.append(replace(p, past=bool(_words("past").search(before)) or _pluperfect(before)))
    return _dedupe(out)


# Parts of the words before a course cue that date something else: a relative clause ("The maker,
# which had said days earlier ..., said it now supported") and a fronted time adverbial ("Two
# weeks after the tower fell, the county called off the search").
RELATIVE = re.compile(r",\s*(?:which|who|whose|where)\b[^,]*,", re.I)
FRONTED_TIME = re.compile(r"^[^,]*\b(?:after|since|ago|before)\b[^,]*,", re.I)


def _own_clause(before: str) -> str:
    return FRONTED_TIME.sub(" ", RELATIVE.sub(" ", before))





# A cue inside a condition states nothing yet: "if poisoning were established, there would be
# an investigation", "unless the tests prove it", "whether the samples confirm it".
CONDITION = re.compile(r"\b(?:if|unless|whether|until|once)\s+(?:[\w’'-]+\s+){0,6}$", re.I)


def _negated(text: str, match: re.Match, stance: str) -> str:
    if stance in ("confirms", "likely", "denies") and CONDITION.search(text[:match.start()]):
        return "unconfirmed"
    before = re.findall(r"[\w’']+", text[:match.start()])[-NEGATION_REACH_WORDS:]
    negations = set(_lex()["words"]["negations"])
    if any(w.lower() in negations or w.lower().endswith(("n't", "n’t")) for w in before):
        return FLIP.get(stance, stance)
    return stance


# A modal between a subject and its truth cue: "would wait for", "will not speculate".
AUXILIARY = re.compile(r"\b(?:would|will|could|may|might|must|shall|should)\s+(?:\w+ly\s+)?$", re.I)
# "the names of the suspects": a cue word that is a noun after a determiner is no stance.
NOUN_CUES = {"suspect", "suspects"}
# A participle cue right after a noun phrase modifies the noun ("the panels believed to be on
# the tower were unlawful"): the speaker's stance is the main clause's.
RELATIVE_CUES = {"believed", "suspected", "expected"}
REDUCED_RELATIVE = re.compile(r"\b(?:the|a|an|this|that|these|those)\s+(?:[\w-]+\s+){1,2}$", re.I)
# A verb "suspects" takes an object; the noun ends its phrase or goes on with a preposition or a
# verb of its own ("not on any list of terrorism suspects.", "suspects in the case were").
NOUN_AFTER = re.compile(r"\s*(?:[.,;:)”\"]|$|(?:in|who|were|are|have|had|from|at|on)\b)", re.I)
# ... unless a subject stands right before it: "the diver they suspect, police said".
SUBJECT_BEFORE = re.compile(r"\b(?:they|we|i|you|he|she|police|prosecutors|investigators|officials)\s+$", re.I)
DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|two|three|four|several|both|other|these|those|his|her|their|its|of)\s+$", re.I)


def _actors(text: str, match: re.Match, found: list[Mention], scale: str) -> list[Actor]:
    """Who holds the stance: the quote's speaker, the cue's subject, else the sentence's speaker."""
    quote = quote_at(text, match.start())
    if quote is not None:
        speaker = quote_holder(text, quote, match.start(), found)
        if scale == "action" and speaker and quotes_another(text, quote, match.start(), speaker, found):
            return []                         # '"The capital has not asked for help," the neighbour said': no one's course here
        return [speaker] if speaker else []
    if scale == "action" and HEARSAY.search(text[:match.start()]):
        return []                             # "headlines that the capital planned to seize aid": not its stance
    if ADVOCACY.search(text[:match.start()]):
        speaker = holder_of(text, match.start(), found)
        return [speaker] if speaker else []
    if match.group().lower().endswith("ed") and \
            re.search(r"\b(?:is|are|was|were|been|being)\s+(?:\w+ly\s+)?$", text[:match.start()]):
        return []                             # a passive: "X is believed to" says nothing of X's stance
    if RAISED.search(text[:match.start()]) and re.match(r"\s+to\s+\w", text[match.end():]):
        speaker = holder_of(text, match.start(), found)   # "said Russia was highly likely to be responsible":
        return [speaker] if speaker and scale == "truth" else []   # Russia is what is judged, not who judges
    inside = [s for s in speakers(text, found) if match.start() < s[0] < match.end()]
    if inside:
        return [inside[0][2].actor]           # "the report established, the minister said, that ...": the minister
    subject = subject_before(text, match.start(), found)
    modal = AUXILIARY.search(text[:match.start()]) if subject is None and scale == "truth" else None
    if modal:
        subject = subject_before(text, modal.start(), found)   # "the ministry would wait for the results": the ministry
    if subject is None and PARTICIPLE_AFTER_FRAME.search(text[:match.start()]) and match.group()[:1].isalpha() and \
            match.group().split()[0].lower().endswith("ing"):
        said = [s for s in speakers(text, found) if s[1] <= match.start()]
        return [said[-1][2].actor] if said else []    # "..., the prosecutor said, calling it sabotage": the prosecutor
    if subject is None and re.search(r"\b(?:and|but)\s+(?:\w+ly\s+)?$", text[:match.start()]):
        said = [s for s in speakers(text, found) if s[1] <= match.start()]
        return [said[0][2].actor] if said else []    # "X said ... but could not confirm ...": X
    if subject is None:
        speaker = holder_of(text, match.start(), found)
        return [speaker] if speaker and scale == "truth" and _governs(text, match) else []
    return _coordinated(text, subject, found) + [subject.actor]


# The complement's own subject between the reporting verb and the cue: "said the identities of
# all ten passengers were established" (7 words); longer runs are another clause.
COMPLEMENT_SUBJECT_WORDS = 8


def _with_partners(actors: list[Actor], found: list[Mention]) -> list[Actor]:
    """A stance held by a group holds for each member: 'the ministers' after a joint statement."""
    out = list(actors)
    for actor in actors:
        out += [other for other in co_holders(actor, found) if other not in out]
    return out


# A reporting frame closing the sentence: ", the prosecutor in charge said on Friday", maybe
# with a participle clause after it (", calling the incident sabotage").
TRAILING_FRAME = re.compile(r"[,”\"]\s*,?\s+(?:(?:the|a|an|[A-Z][\w.’'-]*|[a-z][\w’'-]*)\s+){1,6}?(?:said|says|told|added|stated)\b"
                            r"(?:\s+(?:on|in|at|late|early|last|this)\b[^,;]{0,30})?(?:\s*,\s+[a-z]+ing\b[^;]*)?\s*[.]?\s*$")
# A participle clause after a reporting frame: its subject is the frame's speaker.
PARTICIPLE_AFTER_FRAME = re.compile(r"\b(?:said|says|told\s+\w+|added|stated)\b[^,;]{0,40},\s*$")


def _governs(text: str, match: re.Match) -> bool:
    """A speaker stands for a cue only inside what it reports: 'X noted that information does
    not confirm', 'X said there is evidence', 'X said it could not confirm'."""
    before = text[:match.start()]
    if TRAILING_FRAME.search(text, match.end()):
        return True                           # "Investigators found traces of X, the prosecutor said"
    return bool(re.search(r"\b(that|saying|adding)\b", before, re.I)) or \
        bool(re.search(rf"\b(?:said|says|told \w+|stated|added|noted)\s+(?:[\w'’-]+\s+){{0,{COMPLEMENT_SUBJECT_WORDS}}}$", before, re.I))


def _coordinated(text: str, subject: Mention, found: list[Mention]) -> list[Actor]:
    """'Russia and North Korea have denied': both hold the stance."""
    earlier = [m for m in found if m.end <= subject.start]
    if earlier and re.fullmatch(r"\s*(?:,|and|nor|or|as well as)\s*", text[earlier[-1].end:subject.start]):
        return [earlier[-1].actor]
    return []


def _position(sentence: Sentence, match: re.Match, scale, stance, action, actor, found) -> Position:
    text = sentence.text
    quote = quote_at(text, match.start())
    end = quote[1] if quote and FRAME_AFTER.match(text, quote[1]) else len(text)   # '"... conclusions," X said, ...': ends with the quote
    clause = CLAUSE_END.split(text[match.end():end])[0]
    alternative = ONLY_EXPLANATION.search(text, match.end()) if re.search(r"explanation$", match.group(), re.I) else None
    if alternative:                           # "no other plausible explanation for X than Y": Y is what is held
        clause = CLAUSE_END.split(text[alternative.end():])[0]
    elif re.search(r"explanation$", match.group(), re.I) and not re.match(r"[”\"]?\s*(?:for|of)\b", text[match.end():]):
        clause = "it"                         # 'agreed "there is no other plausible explanation"': for the question at hand
    topic_text = " ".join(clause.split()[:TOPIC_WORDS]).strip(" ,“”\"")
    if ADVERB_CUE.fullmatch(match.group()):  # "the captain was | probably | among those killed": the subject too
        topic_text = f"{clause_before(text, match.start())} {topic_text}".strip()
    elif stance == "unconfirmed" and not topic_text and predicate(text[:match.start()]):
        topic_text = text[:match.start()].strip(" ,“”\"")   # "Rather than point fingers, we will wait for the report": blame
    asked = ASKED.match(text)
    if asked and asked.end() <= match.start() and scale == "truth":
        topic_text = f"{asked.group('question')} {topic_text}"   # "Asked whether X, he said it was too early": about X
    head = re.split(r"\b(?:that|as|of|about|on|in|from|over|by|with|for|but|and|to)\b|,", topic_text)[0]
    core = " ".join(topic_text.split(",")[0].split()[:PROSPECT_WORDS])
    modal = re.search(r"\b(?:would|will|could|may|might|shall)\s+(?:\w+ly\s+)?$", text[:match.start()])
    prospect = scale == "truth" and (bool(_words("prospect").search(core)) or bool(modal))
    # (a recap in a relative clause before the verb dates the recap, not this statement: "X, which
    # last week said it was looking into it, now says it had no production there")
    before = _own_clause(re.split(r"[;]", text[:match.start()])[-1])
    past = bool(_words("past").search(before)) or _pluperfect(before)
    topic = terms(topic_text, found, offset=match.end(), text=text)
    topic = tuple(sorted(set(topic) | cue_terms(match.group())))
    if action:
        topic = tuple(sorted(set(topic) | {action}))
    negated = bool(NEGATED_COMPLEMENT.match(topic_text)) and not SHORTFALL.search(topic_text)
    if stance in ("confirms", "likely") and negated != _counterpart(topic_text):
        stance = "denies"                     # "concluded there were no survivors": the positive proposition denied
    elif stance == "denies" and not negated and _counterpart(topic_text):
        stance = "confirms"                   # "ruled out an accident": the fault (intent) affirmed
    if stance == "opposes" and re.search(r"\b(?:without|unless|until)\b", topic_text):
        stance = "considers"                  # "will not send soldiers without a clear mission": a condition
    anaphoric = (bool(head.strip()) and is_anaphor(head)) or has_anaphor(match.group()) or \
        bool(re.match(r"(?:what|this|that|it|so)\b", topic_text, re.I) and scale == "truth")
    return Position(actor=actor, scale=scale, stance=stance, cue=match.group(), topic_terms=topic,
                    topic_text=topic_text, anaphoric=anaphoric, prospect=prospect, action=action,
                    sentence=text, past=past)


def _counterpart(topic_text: str) -> bool:
    """Whether the proposition affirms the positive counterpart of a fault ("the jet was
    airworthy", "the panels complied with the code"): that denies the fault, and its negation
    ("wasn't in accordance with the rules") confirms it."""
    return bool(_words("counterparts").search(topic_text.split(",")[0]))


def _counterpart_in(text: str, start: int, end: int) -> re.Match | None:
    """The positive counterpart of a fault in text[start:end], as the cue of a flat denial."""
    return _words("counterparts").search(text, start, end)


# Where the clause holding a cue begins, looking back from the cue.
CLAUSE_START = re.compile(r"[,;:“”\"()\u2014]|\b(?:that|said|says|and|but)\b")


def clause_before(text: str, end: int) -> str:
    """The words of the clause before `end`: "no decision | had been reached"."""
    return CLAUSE_START.split(text[:end])[-1].strip()


# A reporting verb in the pluperfect right before the complement: an earlier statement recalled.
PLUPERFECT_REPORT = re.compile(r"\bhad\s+(?:\w+ly\s+)?(?:said|told\s+[\w’'-]+(?:\s+[\w’'-]+)?|stated|insisted|maintained|claimed|"
                               r"announced)\s+(?:that\s+)?$")


# The last reporting verb before a cue, with its auxiliary: "the agency had said its review gave it
# no reason to ground the jets" recalls the agency's earlier line, however long the complement.
REPORT_VERBS = r"said|says|say|told|tells|stated|insisted|maintained|claimed|announced|added|argued|warned"
LAST_REPORT = re.compile(rf"\b(?P<had>had\s+(?:\w+ly\s+)?)?(?:{REPORT_VERBS})\b(?!.*\b(?:{REPORT_VERBS})\b)(?P<rest>.*)$", re.I)
# A turn between that verb and the cue starts the present statement: "had said it was safe but
# now admits".
TURN = re.compile(r"\b(?:but|now|yet|however|although|though|whereas)\b", re.I)


def _pluperfect(before: str) -> bool:
    """'the chief who had called the reports groundless': an earlier stance, unless it is
    reported speech ('said it had confirmed')."""
    match = re.search(r"\bhad\s+(?:\w+ly\s+)?$", before)
    if not match:
        if PLUPERFECT_REPORT.search(before):
            return True                       # "Valcor had told customers that none of ..."
        last = LAST_REPORT.search(before)
        return bool(last and last.group("had") and not TURN.search(last.group("rest")))
    return not re.search(r"\b(?:said|says|told|stated|announced|added)\s+(?:that\s+)?(?:\w+\s+){0,3}$", before[:match.start()])


def _canonical_action(verb: str) -> str:
    """Synonymous actions share one key: supplying, sending, providing weapons are one course."""
    verb = verb.lower()
    for canonical, forms in lexicon.load("topics")["actions"].items():
        if any(re.fullmatch(f, verb) for f in forms):
            return canonical
    return re.sub(r"(ing|ed|s)$", "", verb.split()[0])


def _dedupe(found: list[Position]) -> list[Position]:
    seen, out = set(), []
    for p in found:
        key = (p.actor.key, p.scale, p.stance, p.prospect, p.action)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


# The statements with no stance word live in their own module, which builds its positions with
# _position above: imported last, when every name it needs here is defined.
from .denials import _flat_denials, _reported_requests  # noqa: E402
