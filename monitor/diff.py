"""Diff stage: new claims against the store's baseline -> alerts, as the alert contract says.

Public entry point: `diff(claims, store, article_id, story_id) -> list[Alert]`; it also
moves the baseline forward. The store is read and written only through its methods.

Figures, per subject, keep each source's latest value: a source changing its number is
`revised`; a new source with a number no one gave is `new_estimate`; a known value is
corroboration. Positions, per topic, keep each actor level's latest stance; the most
specific level seen before whose stance differs raises `stance_changed`. First sightings
are baseline. One change, one alert.
"""
from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import replace

from . import stories
from .topic_identity import (BLAME, DELIBERATE, LABEL_WORDS, TOPIC_MIN_SHARED, _also_accuses, _also_blames,  # noqa: F401
                             _also_intended, _class_of, _label, _party_topic, _topic_class, _topic_for)  # (topic identity, its own module; re-exported for tests)
from .claims.places import is_country
from .claims.topics import parties
from .claims.counts import PURPOSES
from .claims.figures import alerting
from .records import Alert, Article, Claims, Figure, Position

# Classes of money: an amount whose purpose was read alerts as that purpose in its currency
# (counts.money_purpose); "money" is an amount whose purpose was not, stored and never alerted.
MONEY = ("money",) + tuple(name for name, _ in PURPOSES)
# Values closer than this share are one value (the contract's 0.5%).
EQUAL_SHARE = 0.005
# How decisive a stance is: when one article gives an actor two stances on one topic,
# the more frequent wins, then the more decisive ("confirmed" over "believes").
DECISIVE = {"confirms": 3, "denies": 3, "supports": 3, "opposes": 3, "likely": 2, "considers": 2, "unconfirmed": 1}


def diff(claims: Claims, store, article_id: int, story_id: int) -> list[Alert]:
    alerts = _figures(claims, store, article_id, story_id)
    alerts += _positions(claims, store, article_id, story_id)
    return alerts


# ---- figures -------------------------------------------------------------------------

# A nationality counted among those an event struck ("49 Spanish victims", "72 Germans on board",
# "35 Spanish citizens", "three British nationals") is one subject whichever word counts them:
# reporters switch between them from one article to the next.
GROUP, GROUP_CLASSES = "victims", ("deaths", "people", "aboard", "passengers")


def subject_key(figure: Figure, story_id: int, store) -> tuple[str, str | None]:
    # A figure with no place takes the story's usual one for its class ("the toll rose to 7,000"
    # in a story of one country); a group among the victims never does.
    common = None if figure.place or figure.population else store.common_place(story_id, figure.cls)
    place = figure.place or (common if is_country(common) else None)
    unit = figure.unit if figure.cls in MONEY else "%" if figure.unit == "%" else ""
    cls = GROUP if figure.population and figure.population[:1].isupper() and figure.cls in GROUP_CLASSES else figure.cls
    key = f"{story_id}:{cls}:{figure.who or ''}:{place or ''}:{unit}"
    # (a group among the victims has a key of its own; keys without one are those of before)
    return (f"{key}:among {figure.population}" if figure.population else key), place


def subject_label(figure: Figure, place: str | None) -> str:
    label = {"money": f"amount in {figure.unit}"}.get(figure.cls, figure.cls)
    if figure.cls in MONEY and figure.cls != "money":
        label = f"{label} in {figure.unit}"          # "cost in USD", "appeal in USD"
    if figure.who and figure.cls in ("votes", "seats", "delegates"):
        label = f"{label} for {figure.who}"
    elif figure.who:
        label = f"{label} of {figure.who}"
    if figure.population:
        label = f"{label} among nationals of {figure.population}" if figure.population[:1].isupper() \
            else f"{label} among {figure.population}"
    return f"{label} ({place})" if place else label


def source_key(figure: Figure, article: Article) -> tuple[str, str]:
    """A spokesman speaks for his body: a figure's source is the body when the person has one,
    so the electoral council's president revising the council's count is a revision."""
    if figure.source is not None:
        levels = figure.source.levels
        key = levels[1][0] if levels[0][0].startswith("p:") and len(levels) > 1 else levels[0][0]
        return key, figure.source.describe()
    outlet = stories.outlet(article)
    return f"outlet:{outlet}", outlet


def _credited(figures: list[tuple[Figure, str]]) -> list[Figure]:
    """An unattributed figure that a named source gives in the same article, for the same subject
    and value, is that source's: a lede's "the toll rose to 377" restates the body's "377, according
    to the district's deputy administrator" (issue 14, class 5). Without it the outlet would take
    the alert and the source's own revision be lost as a repeat."""
    named: dict[str, list[tuple[float, int, Figure]]] = defaultdict(list)
    for rank, (figure, key) in enumerate(figures):
        if figure.source is not None and not figure.past and not figure.vague:
            named[key].append((figure.value, rank, figure))
    for values in named.values():
        values.sort(key=lambda v: (v[0], v[1]))
    out = []
    for figure, key in figures:
        if figure.source is None and not figure.vague and key in named:
            values, slack = named[key], EQUAL_SHARE * abs(figure.value)
            at = bisect.bisect_left(values, figure.value - slack, key=lambda v: v[0])   # sorted: no scan of all
            if at < len(values) and values[at][0] <= figure.value + slack:
                figure = replace(figure, source=values[at][2].source)
        out.append(figure)
    return out


def _figures(claims: Claims, store, article_id: int, story_id: int) -> list[Alert]:
    alerts, seen, raised = [], set(), set()
    known_before, held = {}, {}
    keyed = [(figure, subject_key(figure, story_id, store)) for figure in claims.figures]
    for figure, (key, place) in zip(_credited([(f, k[0]) for f, k in keyed]), (k for _, k in keyed)):
        if key not in known_before:
            known_before[key] = store.subject(key) is not None
            held[key] = store.latest_figures(key)         # the baseline as earlier articles left it
            store.add_subject({"key": key, "story_id": story_id, "cls": figure.cls, "who": figure.who,
                               "place": place, "label": subject_label(figure, place), "first_article_id": article_id})
        src_key, src = source_key(figure, claims.article)
        claim_id = _save_figure(store, article_id, key, src_key, src, figure)
        if figure.past or (key, src_key) in seen or not (alerting(figure.cls) or _group_count(figure)):
            continue
        seen.add((key, src_key))
        alert = _figure_change(held[key], claims.article, figure, key, place, src_key, src, story_id) \
            if known_before[key] else None
        if alert is not None and (key, alert.value) not in raised:
            raised.add((key, alert.value))
            alerts.append(alert)
        store.set_latest_figure({"subject_key": key, "source_key": src_key, "source": src, "value": figure.value,
                                 "low": figure.low, "high": figure.high, "vague": int(figure.vague),
                                 "claim_id": claim_id, "article_id": article_id})
    return alerts


def _group_count(figure: Figure) -> bool:
    """A count of one group of people ("193 Dutch nationals", "44 Malaysians") alerts, though a bare
    count of people is context: in a story it is that group's share of those the event struck."""
    return figure.cls == "people" and figure.population is not None


def _save_figure(store, article_id, key, src_key, src, figure: Figure) -> int:
    return store.add_claim({"article_id": article_id, "kind": "figure", "subject_key": key, "actor_key": src_key,
                            "actor": src, "value": figure.value, "low": figure.low, "high": figure.high,
                            "qualifier": figure.qualifier, "vague": int(figure.vague), "unit": figure.unit,
                            "quote": figure.quote, "sentence": figure.sentence, "past": int(figure.past)})


def _figure_change(held: list[dict], article: Article, figure: Figure, key, place, src_key, src,
                   story_id) -> Alert | None:
    if not held:
        return None
    mine = next((row for row in held if row["source_key"] == src_key), None)
    if mine is not None:                    # the contract's order: a source's own change first
        if figure.vague or equal(figure, mine):
            return None                     # a repeat, or a looser restatement
        return _figure_alert("revised", article, figure, mine, key, place, src, story_id)
    if any(equal(figure, row) for row in held):
        return None                         # corroboration
    precise = [row for row in held if not row["vague"]] or held
    return _figure_alert("new_estimate", article, figure, precise[-1], key, place, src, story_id)


def equal(figure: Figure, row: dict) -> bool:
    """Equal bounds or values within 0.5%. A vague new figure ("thousands") equals what its
    range holds; a vague held figure corroborates nothing precise, or "thousands" would
    swallow every estimate from 1,000 to 9,999."""
    if figure.vague:
        rlo, rhi = (row["low"], row["high"]) if row["vague"] else (row["value"], row["value"])
        return figure.low <= rhi and rlo <= figure.high
    if row["vague"]:
        return False
    a, b = figure.value, row["value"]
    return abs(a - b) <= EQUAL_SHARE * max(abs(a), abs(b), 1e-9)


def _figure_alert(change, article: Article, figure: Figure, previous: dict, key, place, src, story_id) -> Alert:
    return Alert(kind="figure", change=change, subject=subject_label(figure, place), actor=src,
                 article=article.origin, evidence=figure.sentence, published=article.published,
                 value=figure.value, previous_value=previous["value"], previous_actor=previous["source"],
                 low=figure.low, high=figure.high,
                 unit=figure.unit, previous_article=previous["origin"], previous_evidence=previous["sentence"],
                 previous_published=previous["published"], subject_key=key, story=story_id,
                 title=article.title, url=article.url, previous_url=previous["url"])


# ---- positions -----------------------------------------------------------------------

def _positions(claims: Claims, store, article_id: int, story_id: int) -> list[Alert]:
    topics = store.topics(story_id)
    placed = [(p, _topic_for(p, topics, store, story_id, article_id, claims)) for p in claims.positions]
    placed += [(p, _topic_for(p, topics, store, story_id, article_id, claims, cls=BLAME))
               for p, topic in list(placed) if _also_blames(p, topic)]
    # "They organised the attack" names the author and says it was done on purpose: on a story
    # asking whether it was deliberate it counts on that question too.
    placed += [(p, _topic_for(p, topics, store, story_id, article_id, claims, cls=DELIBERATE))
               for p, topic in list(placed) if _also_intended(p, topic, topics)]
    # "Highly likely that the state was responsible" answers who did it and says that party did:
    # it counts where the party's own denials are too.
    placed += [(p, _party_topic(p, parties(p.topic_terms), topics, store, story_id, article_id))
               for p, topic in list(placed) if _also_accuses(p, topic)]
    ids = {}
    for position, topic in placed:
        ids[id(position)] = _save_position(store, article_id, topic["id"], position)
    current = _article_stances([(p, t) for p, t in placed if not p.past])
    alerts, raised = [], set()
    for position, topic in placed:
        if position.past:
            continue
        alert = _stance_change(store, claims.article, position, topic, current, story_id, article_id)
        if alert is not None:
            lineage = (_question(topic), position.actor.levels[-1][0], alert.stance)
            if lineage not in raised:
                raised.add(lineage)
                alerts.append(alert)
    for position, topic in placed:
        if not position.past:
            _move_stances(store, position, topic, current, ids[id(position)], article_id)
    return alerts


def _question(topic: dict):
    """What one change is about: who was behind the event is one question, whether asked open
    or of one party, so an answer that moves on both raises one alert."""
    return BLAME if _topic_class(topic) == BLAME else topic["id"]


def _article_stances(placed) -> dict[tuple[int, str], str]:
    """The article's stance per (topic, level): most frequent, then most decisive."""
    votes: dict[tuple[int, str], Counter] = defaultdict(Counter)
    for position, topic in placed:
        for level_key, _ in position.actor.levels:
            votes[(topic["id"], level_key)][position.stance] += 1
    return {k: max(c, key=lambda s: (c[s], DECISIVE[s])) for k, c in votes.items()}


def _stance_change(store, article: Article, position: Position, topic, current, story_id,
                   article_id: int) -> Alert | None:
    for level_key, level in position.actor.levels:
        before = store.latest_stance(topic["id"], level_key)
        if before is None or before["article_id"] == article_id:
            continue
        now = current[(topic["id"], level_key)]
        if now != position.stance:
            return None                     # the article's stance at this level is another one
        if before["stance"] == now:
            continue
        return Alert(kind="position", change="stance_changed", subject=topic["label"],
                     actor=position.actor.describe(), article=article.origin, evidence=position.sentence,
                     published=article.published, stance=now, previous_stance=before["stance"],
                     previous_article=before["origin"], previous_evidence=before["sentence"],
                     previous_published=before["published"], subject_key=f"topic:{topic['id']}:{level_key}",
                     story=story_id, title=article.title, url=article.url, level=level,
                     previous_url=before["url"])
    return None


def _move_stances(store, position: Position, topic, current, claim_id: int, article_id: int) -> None:
    for level_key, level in position.actor.levels:
        stance = current[(topic["id"], level_key)]
        if stance == position.stance:
            store.set_latest_stance({"topic_id": topic["id"], "level_key": level_key, "level": level,
                                     "stance": stance, "claim_id": claim_id, "article_id": article_id})


def _save_position(store, article_id: int, topic_id: int, p: Position) -> int:
    return store.add_claim({"article_id": article_id, "kind": "position", "topic_id": topic_id,
                            "actor_key": p.actor.key, "actor": p.actor.describe(), "scale": p.scale,
                            "stance": p.stance, "cue": p.cue, "quote": p.topic_text, "sentence": p.sentence,
                            "past": int(p.past)})
