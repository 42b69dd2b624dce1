"""Reading the store from a terminal: a subject's or topic's timeline, and one article's claims.

What `monitor history` and `monitor claims` print. Both read through the store's methods and
print every claim with the sentence it stands on, so a person can see why a figure or a
stance is what it is without opening the database.
"""
from __future__ import annotations

import json
import textwrap

from tabulate import tabulate

from .formats import TEXT_WIDTH
from .model import UNDATED, flat as _flat, show_value


def history(store, text: str, evidence: bool = False) -> str:
    """Every subject and topic whose label holds `text`, each with its timeline; the claims that
    raised an alert are marked with the change."""
    subjects, topics = store.find_subjects(text), store.find_topics(text)
    labels = store.story_labels()
    # Each story named as the digest names it: by its latest headline (issue 15).
    labels.update(store.current_labels(row["story_id"] for row in subjects + topics))
    blocks = [_figure_timeline(store, s, labels, evidence) for s in subjects]
    blocks += [_topic_timeline(store, t, labels, evidence) for t in topics]
    return "\n\n".join(blocks)


def _figure_timeline(store, subject: dict, labels: dict, evidence: bool) -> str:
    rows, alerts = [], {(a["article_id"], a["actor"], a["value"]): a for a in store.alerts_about(subject["key"])}
    for c in store.figure_history(subject["key"]):
        alert = alerts.get((c["article_id"], c["actor"], c["value"]))
        mark = "past" if c["past"] else f"{alert['change']} (was {show_value(alert['previous_value'])})" if alert else ""
        rows.append([_date(c), c["article_id"], _flat(c["actor"] or "the outlet"), show_value(c["value"], c["unit"], c),
                     mark] + ([_wrapped(c["sentence"])] if evidence else []))
    head = f"Figure: {_flat(subject['label'])}  (story {subject['story_id']}: {_label(labels, subject['story_id'])})"
    return head + "\n" + tabulate(rows, headers=["date", "article", "source", "value", "change"]
                                  + (["sentence"] if evidence else []))


def _topic_timeline(store, topic: dict, labels: dict, evidence: bool) -> str:
    rows, alerts = [], {(a["article_id"], a["evidence"], a["stance"]): a
                        for a in store.alerts_about(f"topic:{topic['id']}")}
    for c in store.topic_history(topic["id"]):
        alert = alerts.pop((c["article_id"], c["sentence"], c["stance"]), None)
        mark = "past" if c["past"] else f"changed (was {alert['previous_stance']}, {alert['level']})" if alert else ""
        rows.append([_date(c), c["article_id"], _flat(c["actor"] or ""), c["stance"], _flat(c["cue"] or ""), mark]
                    + ([_wrapped(c["sentence"])] if evidence else []))
    head = (f"Position ({topic['scale']}): {_flat(topic['label'])}  "
            f"(story {topic['story_id']}: {_label(labels, topic['story_id'])})")
    return head + "\n" + tabulate(rows, headers=["date", "article", "actor", "stance", "cue", "change"]
                                  + (["sentence"] if evidence else []))


def claims(store, article: dict) -> str:
    """One article's header, then each figure and position read from it with its sentence."""
    out = [f"Article {article['id']} (version {article.get('version') or 1}): {_flat(article['title'] or 'untitled')}",
           f"  {_flat(article['url'] or article['origin'])}",
           f"  published {_flat(article['published'] or UNDATED)}, format {article['format']}, "
           f"story {article['story_id']}", ""]
    rows = store.claims_of(article["id"])
    if not rows:
        return "\n".join(out + ["No claims read from this article."])
    for c in rows:
        if c["kind"] == "figure":
            out.append(f"figure  {_flat(c['subject'] or c['subject_key'] or '?')}: {show_value(c['value'], c['unit'], c)}"
                       f" — {_flat(c['actor'] or 'the outlet')}{'  (past value)' if c['past'] else ''}")
            out.append(f"        read from: “{_flat(c['quote'] or '')}”")
        else:
            out.append(f"position  {_flat(c['actor'] or '?')} {c['stance']}: {_flat(c['topic'] or '?')}"
                       f"{'  (earlier statement)' if c['past'] else ''}")
            out += _position_reading(c)
        out += textwrap.wrap(f"“{_flat(c['sentence'])}”", TEXT_WIDTH, initial_indent="        ",
                             subsequent_indent="        ") + [""]
    return "\n".join(out).rstrip()


# Which side of its scale a stance takes: what `claims` prints as the reading's polarity.
POLARITY = {"confirms": "affirms", "likely": "affirms (hedged)", "unconfirmed": "withholds judgement",
            "denies": "negates", "supports": "for the course", "considers": "undecided", "opposes": "against the course"}


def _position_reading(c: dict) -> list[str]:
    """Why a position was read so: its speaker and the levels it counts at, the cue with its
    scale and polarity, and the topic (with its event class) it was filed under."""
    levels = _levels(c)
    topic_class = next((t[1:] for t in _terms(c) if t.startswith("%")), None)
    return [f"        speaker: {_flat(levels[0])}" + (f"; levels: {' > '.join(_flat(x) for x in levels)}" if len(levels) > 1 else ""),
            f"        cue: “{_flat(c['cue'] or '')}” ({c['scale']} scale, {POLARITY.get(c['stance'], c['stance'])})",
            f"        topic {c['topic_id']}{f' ({topic_class})' if topic_class else ''}: {_flat(c['topic'] or '?')}"]


def _levels(c: dict) -> list[str]:
    try:
        levels = [display for _, display in json.loads(c.get("actor_levels") or "[]")]
    except (ValueError, TypeError):
        levels = []                        # a damaged people row: the claim's own actor still shows
    return levels or [c["actor"] or "?"]


def _terms(c: dict) -> list[str]:
    try:
        terms = json.loads(c.get("topic_terms") or "[]")
    except ValueError:
        return []
    return terms if isinstance(terms, list) else []


def _date(row: dict) -> str:
    return _flat((row["published"] or "")[:10]) or UNDATED


def _label(labels: dict, story_id) -> str:
    return _flat(labels.get(story_id) or "?")


def _wrapped(sentence: str) -> str:
    return "\n".join(textwrap.wrap(_flat(sentence), 60))
