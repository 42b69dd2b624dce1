"""Which of a story's alerts its reader expected: matching, counting and precision/recall/F1.

A story's `expected-alerts.json` lists gold alerts, each with the `article` that must raise
it, its `kind`, and what the alert must show: for a figure a `value`, words its subject or
evidence mention (`subject_any`) and words its source mentions (`source_any`); for a position
words its actor mentions (`actor_any`) and the stances allowed (`stance_any`). A gold is
`required` (the default) or optional: an alert the reader would accept but not insist on.

Counting, as ../shared/eval/score.py counts (the issue's targets are measured with it, so
the two must agree):
  - one gold absorbs one alert; each alert, oldest first, takes the first free gold it
    matches, required golds before optional ones, each group in the order listed;
  - a required gold left free is a miss (fn), and absorbed a hit (tp);
  - an optional gold absorbed is neither: the alert is not false, and recall does not ask for it;
  - an alert no gold absorbs is false (fp).

    >>> gold = {"article": "002.txt", "kind": "figure", "value": 11000, "subject_any": ["troops"]}
    >>> alert = {"kind": "figure", "article": "/news/002.txt", "value": 11000,
    ...          "subject": "North Korean troops", "evidence": "", "actor": "Ukraine"}
    >>> tally([alert], [gold]).counts["figure"]
    {'tp': 1, 'fp': 0, 'fn': 0}
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

KINDS = ("figure", "position")
# A figure's value matches the gold's within 1% of the gold (1% of 1 under 1): score.py's
# tolerance. Looser than the contract's 0.5% equality because a gold value is how a reader
# wrote down the sentence's number ("52.8%", "close to 11,000"), not the monitor's parse.
VALUE_TOLERANCE = 0.01


@dataclass
class Tally:
    """One story's (or one store's) result: counts per kind, the required golds missed and
    the alerts no gold absorbed."""

    counts: dict[str, dict[str, int]]
    missed: list[dict] = field(default_factory=list)
    false: list[dict] = field(default_factory=list)


def required(gold: dict) -> bool:
    return gold.get("required", True)


def mentions(text: str | None, words: list[str]) -> bool:
    """Does `text` hold one of `words` as a whole word, in any case? "US" is in "US officials"
    and "US-led", not in "USGS" or "business"."""
    return any(re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text or "", re.I) for word in words)


def value_matches(alert: dict, want: float) -> bool:
    """The alert's value is the gold's, within the tolerance, or its low-high range holds it
    ("between 8,000 and 10,000" matches a gold of 9,000)."""
    got, low, high = alert.get("value"), alert.get("low"), alert.get("high")
    if _number(got) and abs(got - want) <= VALUE_TOLERANCE * max(abs(want), 1):
        return True
    return _number(low) and _number(high) and low <= want <= high


def matches(alert: dict, gold: dict) -> bool:
    """Could this alert be the one the reader expected? Same kind, raised by the same article
    (its file name: the monitor reports the path or URL it read), and the gold's conditions."""
    if alert.get("kind") != gold["kind"] or PurePath(str(alert.get("article") or "")).name != gold["article"]:
        return False
    if gold["kind"] == "figure":
        return _figure_matches(alert, gold)
    return _position_matches(alert, gold)


def _figure_matches(alert: dict, gold: dict) -> bool:
    # The counted thing may be named in the subject or only in the evidence sentence: a
    # subject "deaths" with evidence "... 183 people on board were killed" is a toll of people.
    # None is written "None", as score.py's f-string writes it, so that both read the same text.
    described = f"{alert.get('subject')} {alert.get('evidence')}"
    return ((gold.get("value") is None or value_matches(alert, gold["value"]))
            and ("subject_any" not in gold or mentions(described, gold["subject_any"]))
            and ("source_any" not in gold or mentions(alert.get("actor"), gold["source_any"])))


def _position_matches(alert: dict, gold: dict) -> bool:
    # A position gold names no topic: the article and actor place it, and a gold's
    # subject_any, where a reader wrote one, is a note (score.py does not read it either).
    return (("actor_any" not in gold or mentions(alert.get("actor"), gold["actor_any"]))
            and ("stance_any" not in gold or alert.get("stance") in gold["stance_any"]))


def tally(alerts: list[dict], golds: list[dict]) -> Tally:
    """Match alerts (oldest first) to golds, one gold absorbing one alert, and count."""
    order = [g for g in golds if required(g)] + [g for g in golds if not required(g)]
    free = list(range(len(order)))
    false = []
    for alert in alerts:
        hit = next((i for i in free if matches(alert, order[i])), None)
        if hit is None:
            false.append(alert)
        else:
            free.remove(hit)
    missed = [order[i] for i in free if required(order[i])]
    counts = {kind: {"tp": sum(1 for g in golds if required(g) and g["kind"] == kind)
                           - sum(1 for g in missed if g["kind"] == kind),
                     "fp": sum(1 for a in false if a.get("kind") == kind),
                     "fn": sum(1 for g in missed if g["kind"] == kind)} for kind in KINDS}
    # "all" counts every alert, one of a kind neither figure nor position included.
    counts["all"] = {"tp": sum(c["tp"] for c in counts.values()), "fp": len(false), "fn": len(missed)}
    return Tally(counts, missed, false)


def add(counts: list[dict[str, dict[str, int]]]) -> dict[str, dict[str, int]]:
    """Counts summed over stories (overall figures are micro-averaged: every alert weighs the same)."""
    return {kind: {key: sum(c[kind][key] for c in counts) for key in ("tp", "fp", "fn")}
            for kind in (*KINDS, "all")}


def rates(tp: int, fp: int, fn: int) -> dict[str, float | None]:
    """Precision, recall and F1; None where a rate has nothing to measure (no alert raised, or
    none required), so a story with no position in it does not read as positions F1 0.
    score.py prints 0.00 there; the counts, which are what the two share, are the same."""
    return {"precision": tp / (tp + fp) if tp + fp else None,
            "recall": tp / (tp + fn) if tp + fn else None,
            # 2PR/(P+R) written in counts: defined whenever anything was raised or required.
            "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None}


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
