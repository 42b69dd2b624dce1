"""Topic identity, part of the diff stage: which stored proposition a position is about.

A truth statement's proposition is its event class (claims/topics.py, `[predicates]` in
topics.toml) plus its words; a course of action is its course key. Within a story, statements
of one class are one topic whatever their words, statements of two classes never are, and a
statement with no class joins a topic sharing TOPIC_MIN_SHARED content terms. The story's main
proposition comes from its headlines. Whether it was deliberate is one question with the
evidence of intent (explosions on a dam, a plane or a building that does not explode by
itself); a reference to a course ("such measures") takes the course its article named last.
Who was behind it is an open topic plus one per accused party: a denial is about its party, an
affirmed answer naming one counts on both, a hedge of knowing or waiting on the open question.
Labels read as propositions (docs/positions.md).
"""
from __future__ import annotations

import re
from dataclasses import replace

from .claims import topics as topics_lex
from .claims import courses as courses_lex
from .claims.courses import OPEN_COURSE
from .claims.positions import clause_before
from .records import Claims, Position

# Non-entity terms two propositions must share, beyond places, to be one topic: 1 merged
# unrelated statements on the development stories, 3 split paraphrases (issue 13's log).
TOPIC_MIN_SHARED = 2


def _also_blames(p: Position, topic: dict) -> bool:
    """'the missile was launched from an area held by the rebels' states the event and who did
    it: the statement counts on the topic of who was behind it too."""
    return p.scale == "truth" and not p.action and _topic_class(topic) != BLAME and \
        topics_lex.names(_clause_with_cue(p), BLAME)


def _also_intended(p: Position, topic: dict, topics: list[dict]) -> bool:
    """'They organised the attack', 'planted the device' name the act's author and say it was
    done on purpose: on a story asking whether it was deliberate, an affirmed statement of
    authorship counts on that question too (a denial of authorship denies no act)."""
    return p.scale == "truth" and not p.action and p.stance in AFFIRMING and _topic_class(topic) == BLAME and \
        any(_topic_class(t) == DELIBERATE for t in topics) and \
        any(topics_lex.names(_clause_with_cue(p), cls) for cls in (DELIBERATE,) + EVIDENCE_OF_INTENT)


# Stances that affirm a proposition.
AFFIRMING = ("confirms", "likely")


def _parties(topic: dict) -> frozenset[str]:
    return frozenset(t for t in topic["terms"] if t.startswith(topics_lex.PARTY_MARK))


def _accused(p: Position) -> frozenset[str]:
    """Whom a denial of authorship clears: the parties it names, else its speaker. "We had
    nothing to do with it" and "we cannot say who did it" do not contradict each other, so a
    denial is a proposition about its party, not about the open question of who did it."""
    return topics_lex.parties(p.topic_terms, p.actor.levels[-1][0])


def _also_accuses(p: Position, topic: dict) -> bool:
    """An affirmed answer that names its party ("highly likely that the state was responsible")
    answers the open question and also says that party did it: it counts on the party's own
    proposition too, where that party's denials are."""
    return p.scale == "truth" and not p.action and p.stance in AFFIRMING and _topic_class(topic) == BLAME and \
        not _parties(topic) and bool(topics_lex.parties(p.topic_terms))


def _party_topic(p: Position, accused: frozenset[str], topics: list[dict], store, story_id: int,
                 article_id: int) -> dict:
    """The proposition that one of `accused` was behind the event: the story's topic on a
    party it shares, or a new one, never the story's main topic."""
    own = [t for t in topics if _topic_class(t) == BLAME and _parties(t) & accused]
    if own:
        return own[-1]
    label = " or ".join(sorted(a[1:].title() for a in accused)) + " was behind it"
    return _new_topic(store, topics, story_id, article_id, replace(p, prospect=False), main=False, cls=BLAME,
                      marks=accused, label=label)


def _clause_with_cue(p: Position) -> str:
    return f"{p.cue} {p.topic_text}"


def _topic_for(p: Position, topics: list[dict], store, story_id: int, article_id: int, claims: Claims,
               cls: str | None = None) -> dict:
    """The stored proposition this position is about, or a new one.

    A truth statement's proposition is its event-predicate class (topics.predicate) plus its
    words: two statements of different classes are different topics whatever words they share.
    The story's main topic is the proposition of the headlines (the class of the article's
    title and first sentence); statements with no proposition of their own ("it is not true",
    "we do not know yet") attach to it. Background statements never seed it."""
    if p.action == OPEN_COURSE:             # "ruled it out", "such measures": the course named last
        referent = _referent_course(p, topics, store, story_id, article_id, claims)
        if referent is not None:
            return referent
    cls = cls or _class_of(p)
    if p.scale == "truth" and cls is None and _content_free(p):
        p = replace(p, prospect=False)        # "once it is proven, decisions will come": a hedge on what is
    if cls == BLAME and p.stance == "denies" and _accused(p):
        return _party_topic(p, _accused(p), topics, store, story_id, article_id)
    if p.prospect and cls in MODAL_BLIND:     # "the real toll may be higher": a judgement, not a prospect
        p = replace(p, prospect=False)
    same = [t for t in topics if t["scale"] == p.scale and (t["action"] or None) == p.action and not _parties(t)
            and (bool(t["prospect"]) == p.prospect or (cls in MODAL_BLIND and _topic_class(t) == cls))]
    if cls in OPEN:                         # "cannot confirm the cause": the story's open causal question
        causal = [t for t in same if _topic_class(t) in CAUSES + OPEN]
        if causal:
            if cls == DELIBERATE and _topic_class(causal[-1]) == QUESTION:
                _reclass(store, causal[-1], p, cls)      # "it was sabotage" answers "the cause is unknown"
            return causal[-1]
        return _new_topic(store, topics, story_id, article_id, p, main=cls == DELIBERATE and _is_headline(cls, claims, store, story_id),
                          cls=cls if cls == DELIBERATE else QUESTION)
    if cls in EVIDENCE_OF_INTENT and not _story_event_is(cls, store, story_id):
        deliberate = [t for t in same if _topic_class(t) == DELIBERATE]
        if deliberate:                      # "traces of explosives" on "was it sabotage?": one question
            return deliberate[-1]
    if p.scale == "truth" and not p.prospect and cls is None and _content_free(p):
        causal = [t for t in same if _topic_class(t) in CAUSES + OPEN]
        if causal:                          # "we cannot say yet": most often the open question of the cause
            return causal[-1]
    if p.scale == "truth" and not p.prospect and cls is None and (_bare_anaphor(p) or _content_free(p)):
        main = next((t for t in same if t["main"]), None)
        if main is None:
            head = _headline_class(claims, store, story_id)
            main = next((t for t in same if head and _topic_class(t) == head), None) or \
                next((t for t in reversed(same) if _topic_class(t) in CAUSES), None)
            if main is not None:
                main["main"] = 1
                store.update_topic(main["id"], main=1)
        if main is not None:
            return main
        return _new_topic(store, topics, story_id, article_id, p, main=not p.past,
                          cls=_headline_class(claims, store, story_id), extra=claims.terms[:10])
    best = max((t for t in same if _matches(p, t, cls)),
               key=lambda t: (_topic_class(t) == cls, _shared(p.topic_terms, t["terms"])), default=None)
    if best is not None:
        if _topic_class(best) == QUESTION and cls is not None:    # the open question gets its answer's class
            _reclass(store, best, p, cls)
        if best["main"] and best.get("vague_label") and cls is not None:
            best.update(label=_label(p, cls), vague_label=0)
            store.update_topic(best["id"], label=best["label"], vague_label=0)
        return best
    is_main = (p.scale == "truth" and not p.prospect and not p.past and cls is not None
               and cls == _headline_class(claims, store, story_id) and not any(t["main"] for t in same))
    return _new_topic(store, topics, story_id, article_id, p, main=is_main, cls=cls)


def _referent_course(p: Position, topics: list[dict], store, story_id: int, article_id: int, claims: Claims) -> dict | None:
    """The course a reference stands for ("we are considering such measures", "ruled it out"):
    the last course the article names before the sentence, its headline first ("capitals weigh
    expulsions ... 'we are considering such measures'"), else the story's latest named course."""
    named = [t for t in topics if t["scale"] == "action" and t["action"] not in (None, OPEN_COURSE)]
    keys = courses_lex.named(_text_before(claims, p.sentence))
    if keys:
        own = [t for t in named if t["action"] == keys[-1]]
        if own:
            return own[-1]
        return _new_topic(store, topics, story_id, article_id, replace(p, action=keys[-1], topic_terms=(keys[-1],), anaphoric=False), main=False)
    return max(named, key=lambda t: t["id"]) if named else None


def _text_before(claims: Claims, sentence: str) -> str:
    """The article's headline and its text up to `sentence`."""
    article = claims.article
    if article is None:
        return ""
    at = article.text.find(sentence[:SENTENCE_KEY_CHARS])
    return f"{article.title or ''}\n{article.text[:max(at, 0)]}"


# The opening of a sentence that finds it in its article's text (a sentence may be cleaned of
# its quote marks or spaces further on).
SENTENCE_KEY_CHARS = 40
def _reclass(store, topic: dict, p: Position, cls: str) -> None:
    """The open question takes the class and label of its first answer."""
    topic["terms"] = sorted((set(topic["terms"]) - {CLASS_MARK + QUESTION}) | {CLASS_MARK + cls})
    store.update_topic(topic["id"], terms=topic["terms"], label=_label(p, cls), vague_label=0)
    topic.update(label=_label(p, cls), vague_label=0)


def _story_event_is(cls: str, store, story_id: int) -> bool:
    """Whether the story's own event is of class `cls`: "twin blasts rock the port" makes the
    explosion the event, and an explosion no answer to whether it was deliberate."""
    label = (store.story(story_id) or {}).get("label") or ""
    return topics_lex.names(label, cls)


def _is_headline(cls: str, claims: Claims, store, story_id: int) -> bool:
    """Whether `cls` is the question of the story's headlines (an explosion is evidence of intent
    when the story's event is not itself an explosion)."""
    head = _headline_class(claims, store, story_id)
    return head == cls or (cls == DELIBERATE and head in EVIDENCE_OF_INTENT and not _story_event_is(head, store, story_id))


# The mark a topic's predicate class carries among its terms.
CLASS_MARK = "%"
# The class of a statement about the open question itself ("cannot confirm the cause").
QUESTION = "question"
# Classes that answer the causal question: the first of them to arrive takes over its topic.
CAUSES = ("shootdown", "explosion", "poison", "malfunction")
# Who was behind an event: a statement naming the event and its author counts on both.
BLAME = "behind"
# Classes whose modals are epistemic: "the toll may be higher", "he could have been poisoned",
# "survivors might still be found" judge what is, they are no prospect of what would happen
# (unlike "troops could be sent" or "he would win a runoff"), so a modal never splits them.
MODAL_BLIND = ("undercount", "survivors", "poison", "malfunction", "request", "shootdown", "explosion", "behind", "cause", "question", "failure", "died", "alive", "crime", "unlawful", "unfit", "hack",
               "warned", "coverup")
# Classes whose argument varies within one story: "the dead rose to 135" and "the captain was
# killed" are two propositions; they are one topic only when they share a content word too.
ARGUED = ("died",)
# Statements on the causal question without a specific answer ("the cause", "an attack", "an
# accident"): they attach to the story's causal topic, whichever answer it carries.
OPEN = (QUESTION, "cause")
# Whether it was deliberate (sabotage, an attack, not an accident).
DELIBERATE = "cause"
# Classes that are evidence of a deliberate act when the event is not itself of that class: a
# dam that breaks, a plane that falls or a building that collapses does not explode by
# itself, so "powerful explosions", "traces of explosives" and "it was sabotage" are one
# question; in a story whose event is an explosion (a depot that blew up) they are not.
EVIDENCE_OF_INTENT = ("explosion",)


# "he said," / "the minister told reporters," inside a quote: no part of the proposition.
REPORTING_FRAME = re.compile(r"(?:^|,)\s*(?:he|she|they|it|we|(?:the\s+)?(?:[a-z][\w-]*\s+){0,3}[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*)\s+"
                             r"(?:said|says|added|told\s+\w+)\s*(?:,|$)")


def _class_of(p: Position) -> str | None:
    """The class of the cue and the proposition's first clause: "have not lost | this election,
    and we will not accept a result built on ..." is about the victory, not what follows."""
    if p.scale != "truth" or p.action:
        return None
    clause = _clause(p)
    if not topics_lex.words(REPORTING_FRAME.sub(" ", clause)) and p.stance != "unconfirmed" and not p.anaphoric:
        clause = p.sentence                 # "the chance of anyone alive is | near zero": the proposition came first
    cls = topics_lex.predicate(f"{p.cue} {clause}") or _hedged_head(p)
    # "called the report fake news, meant to divert attention from what happened": a denial
    # names no answer when it names only the open question; what it denies is its object.
    return None if cls == QUESTION and p.stance == "denies" else cls


# A hedge adverb as the cue: "pointed to 'some kind of terrorist attack, possibly at the state
# level'" hedges a proposition named just before it, in the same quote or clause.
HEDGE_ADVERB = re.compile(r"\w+ly$")
# The words before the hedge that may name it: "some kind of terrorist attack" (5).
HEDGED_HEAD_WORDS = 6


def _hedged_head(p: Position) -> str | None:
    """The class of the phrase a hedge adverb follows, when what follows it names none."""
    at = p.sentence.find(p.cue)
    if not HEDGE_ADVERB.fullmatch(p.cue) or at <= 0:
        return None
    head = re.split(r"[“\":;]|\b(?:that|to|said|says)\b", p.sentence[:at])[-1]
    return topics_lex.predicate(" ".join(head.split()[-HEDGED_HEAD_WORDS:]))


def _clause(p: Position) -> str:
    """The proposition's first clause, without the reporting frame."""
    text = REPORTING_FRAME.sub(" ", p.topic_text).strip(" ,.;:\"“”'’")
    return re.split(r",(?!\d)|[;:()\u2014]| but | and (?:we|he|she|they|it|the)\b", text, maxsplit=1)[0]


# A headline's outcome ("dozens dead as blasts gut the port") is rarely its open question: the
# event that caused it is, when the headline names one.
OUTCOMES = ("died",)
# An anaphoric statement ("denied it", "called that accusation groundless") carries at most this
# many words of its own; with more it states its own proposition ("denied that the depot held arms").
ANAPHOR_MAX_WORDS = 2

# Words of a hedge that name no proposition: "nobody knows | yet", "we cannot say | right now".
HEDGE_FILLER = {"yet", "right", "now", "sure", "certain", "exactly", "time", "point", "stage", "moment", "this"}


def _bare_anaphor(p: Position) -> bool:
    """An anaphor with no proposition of its own: "denied it", "called that accusation groundless"."""
    clause = re.split(r"[\"”]", re.sub(r"^(?:that|this|it)\s+", "", _clause(p), flags=re.I))[0]
    return p.anaphoric and len(topics_lex.words(clause)) <= ANAPHOR_MAX_WORDS


def _content_free(p: Position) -> bool:
    """A hedge with no proposition of its own ("nobody knows yet", "too early to say", "we need
    firm evidence before we respond", "when it is established we will decide"): its words speak only of knowing, proving, waiting and deciding."""
    return p.stance == "unconfirmed" and \
        not (set(topics_lex.words(_hedged_clause(p))) - HEDGE_FILLER - topics_lex.knowing())


# Words after a cue that open a clause of their own ("'means nothing to me', and its spokeswoman
# urged ..."): the cue's proposition came before it.
COORDINATED = re.compile(r"(?:and|but|while)\s+(?:its|his|her|their|the|he|she|they|it|we)\b", re.I)


def _hedged_clause(p: Position) -> str:
    """What a hedge is about: its complement's first clause, or the words before the cue when
    what follows the cue is a new clause."""
    at = p.sentence.find(p.cue)
    if at > 0 and COORDINATED.match(p.topic_text.strip(" ,.;:\"“”'’")):
        before = p.sentence[:at].rstrip(" \"“‘'")       # 'the photographs "| mean nothing to me'
        return clause_before(before, len(before))
    return _clause(p)


def _topic_class(topic: dict) -> str | None:
    return next((t[1:] for t in topic["terms"] if t.startswith(CLASS_MARK)), None)


def _headline_class(claims: Claims, store=None, story_id: int | None = None) -> str | None:
    """The class of the story's open question: as the story's label (its first headline) states
    it, else as this article's title and lede state it."""
    if store is not None and story_id is not None:
        label = (store.story(story_id) or {}).get("label") or ""
        head = topics_lex.predicate(label, avoid=OUTCOMES)
        if head is not None and head != QUESTION:
            return head
    article = claims.article
    if article is None:
        return None
    lede = next((para for para in article.paragraphs if para.strip()), "") if article.paragraphs else ""
    first = re.split(r"(?<=[.!?])\s+", lede.strip(), maxsplit=1)[0] if lede else ""
    head = topics_lex.predicate(article.title or "", avoid=OUTCOMES) or topics_lex.predicate(first, avoid=OUTCOMES)
    return None if head == QUESTION else head


def _matches(p: Position, topic: dict, cls: str | None) -> bool:
    """Same proposition: an action with a shared object; a fact of the same predicate class;
    a fact with no class sharing TOPIC_MIN_SHARED terms, one at least not a place. Two classes
    that differ never match."""
    if p.action:
        return _shared(p.topic_terms, topic["terms"]) >= 1 or not topic["terms"]
    theirs = _topic_class(topic)
    if cls is not None and theirs == QUESTION:
        return cls in CAUSES
    if cls is not None and theirs is not None and cls != theirs:
        return False
    content = {t for t in set(p.topic_terms) & set(topic["terms"]) if not t.startswith(("@", CLASS_MARK, topics_lex.NAME_MARK))}
    if cls is not None and theirs is not None and not p.prospect:
        return cls not in ARGUED or bool(content)   # what would happen is compared by its words too
    if cls is not None and theirs is None:
        content -= _own_name_terms(p)       # "neither the committee nor ..." and "who leads the committee": the speaker, not the topic
        return len(content) >= TOPIC_MIN_SHARED
    return _shared(p.topic_terms, topic["terms"]) >= TOPIC_MIN_SHARED and bool(content)


def _own_name_terms(p: Position) -> set[str]:
    """The terms of the names of the statement's holder and its parents ("committee" for a
    safety committee): words a statement shares with another for who says it, not what."""
    return {t for _, name in p.actor.levels for t in topics_lex.words(name)}


def _shared(terms, others) -> int:
    return len((set(terms) & set(others)) - {"supply", "deploy"} if terms else ())


def _new_topic(store, topics, story_id, article_id, p: Position, main: bool, extra=(), cls: str | None = None,
               marks=(), label: str | None = None) -> dict:
    terms = set(p.topic_terms) | {"@" + t[2:] for t in extra if t.startswith("g:")} | set(marks)
    if cls is not None:
        terms.add(CLASS_MARK + cls)
    row = {"story_id": story_id, "scale": p.scale, "prospect": int(p.prospect), "action": p.action,
           "main": int(main), "terms": terms, "label": label or _label(p, cls), "vague_label": int(p.anaphoric and not _class_label(cls)),
           "first_article_id": article_id}
    row["id"] = store.add_topic(row)
    topics.append({**row, "terms": sorted(terms)})
    return topics[-1]


def _class_label(cls: str | None) -> str | None:
    return topics_lex.labels().get(cls) if cls else None


def _label(p: Position, cls: str | None = None) -> str:
    """The proposition as people read it. A class whose proposition needs no argument of its
    own ("an explosion caused it", "survivors can still be found") reads as the lexicon's
    sentence for it, whatever words the first statement used; otherwise the statement's first
    clause, without the reporting frame ("he said,"), the complementiser or "whether", at most
    LABEL_WORDS words."""
    fixed = topics_lex.course_labels().get(p.action) if p.action else _class_label(cls)
    if fixed:
        return fixed
    text = REPORTING_FRAME.sub(" ", p.topic_text).strip(" ,.;:\"“”'’")
    if len(text.split()) < LABEL_MIN_WORDS or AUXILIARY_START.match(text):
        text = f"{_before_cue(p)} {p.cue} {text}".strip()   # "the identities | were established": the subject came first
    words = text.split()
    lead = [w.lower() for w in words[:8]]
    if "that" in lead and topics_lex.predicate(" ".join(words[:lead.index("that")])) is None:
        words = words[lead.index("that") + 1:]    # "on Oct. 23 that U.S. intelligence had tracked ...": the claim
    text = re.sub(r"^(?:that|whether|if)\s+", "", " ".join(words), flags=re.I)
    clause = re.split(r",(?!\d)|[;:()\u2014]| but | and (?:we|he|she|they|it|the)\b", text, maxsplit=1)[0]
    words = (clause if len(clause.split()) >= 3 else text).split()
    text = " ".join(words[:LABEL_WORDS]) + (" …" if len(words) > LABEL_WORDS else "")
    text = text.strip(" ,.;:\"“”'’")
    if text.count('"') % 2 or text.count("“") != text.count("”"):
        text = re.sub(r"[\"“”]", "", text)    # a quote the cut left open
    if p.action and not text.lower().startswith(p.action[:4]):
        text = f"{p.action}: {text}"
    return text or p.cue


# A proposition read after its cue with fewer words than this, or opening on an auxiliary
# ("had been reached", "weeks away"), had its subject before the cue: the label takes it.
LABEL_MIN_WORDS = 3
AUXILIARY_START = re.compile(r"(?:had|has|have|was|were|is|are|been|be|being)\b", re.I)


def _before_cue(p: Position) -> str:
    """The words of the cue's own clause before it: "no decision | had been reached"."""
    at = p.sentence.find(p.cue)
    if at <= 0:
        return ""
    return " ".join(clause_before(p.sentence, at).split()[-LABEL_WORDS // 2:])


# A label longer than this is cut: a reader scans it in a list of alerts.
LABEL_WORDS = 14
