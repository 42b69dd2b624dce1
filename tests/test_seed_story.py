"""The seed story end to end, judged like /work/shared/eval/score.py judges it.

A fresh store, one `monitor ingest` call per article in the listed order, then
`monitor alerts --json`, matched against expected-alerts.json: every required alert is
matched, and no alert matches nothing (optional ones absorb alerts but are not required).
The matching rules below re-implement score.py's; they are not imported from /work/shared.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import alerts_json, ingest_one_by_one

STORIES = Path(__file__).parent / "stories"


# ---- score.py's matching rules -------------------------------------------------------------

def mentions(text: str | None, words: list[str]) -> bool:
    text = text or ""
    return any(re.search(r"(?<![A-Za-z])" + re.escape(w) + r"(?![A-Za-z])", text, re.I) for w in words)


def value_matches(alert: dict, want: float) -> bool:
    got = alert.get("value")
    if isinstance(got, (int, float)) and abs(got - want) <= 0.01 * max(abs(want), 1):
        return True
    low, high = alert.get("low"), alert.get("high")
    return isinstance(low, (int, float)) and isinstance(high, (int, float)) and low <= want <= high


def matches(alert: dict, gold: dict) -> bool:
    if alert.get("kind") != gold["kind"]:
        return False
    if Path(str(alert.get("article") or "")).name != gold["article"]:
        return False
    if gold["kind"] == "figure":
        if gold.get("value") is not None and not value_matches(alert, gold["value"]):
            return False
        if "subject_any" in gold and not mentions(f'{alert.get("subject")} {alert.get("evidence")}',
                                                  gold["subject_any"]):
            return False
        if "source_any" in gold and not mentions(alert.get("actor"), gold["source_any"]):
            return False
        return True
    if "actor_any" in gold and not mentions(alert.get("actor"), gold["actor_any"]):
        return False
    if "stance_any" in gold and alert.get("stance") not in gold["stance_any"]:
        return False
    return True


def tally(alerts: list[dict], golds: list[dict]) -> tuple[list[dict], list[dict]]:
    """(missed required golds, false alerts). One expected alert absorbs one alert;
    required golds are tried before optional ones."""
    taken = [False] * len(golds)
    false_alerts = []
    order = [i for i, g in enumerate(golds) if g.get("required", True)] + \
            [i for i, g in enumerate(golds) if not g.get("required", True)]
    for alert in alerts:
        hit = next((i for i in order if not taken[i] and matches(alert, golds[i])), None)
        if hit is None:
            false_alerts.append(alert)
        else:
            taken[hit] = True
    missed = [golds[i] for i in order if golds[i].get("required", True) and not taken[i]]
    return missed, false_alerts


def brief(alert: dict) -> str:
    what = alert.get("value") if alert.get("kind") == "figure" else alert.get("stance")
    return f'{alert.get("kind")} {Path(str(alert.get("article"))).name} {alert.get("actor")} ' \
           f'{alert.get("subject")} -> {what}'


def play(folder: Path, tmp_path: Path) -> tuple[list[dict], list[dict], list[dict]]:
    spec = json.loads((folder / "expected-alerts.json").read_text())
    db = tmp_path / "story.db"
    ingest_one_by_one(db, [folder / name for name in spec["articles"]])
    alerts = alerts_json(db)
    missed, false_alerts = tally(alerts, spec["alerts"])
    return alerts, missed, false_alerts


def explain(missed, false_alerts) -> str:
    lines = [f'missed: {g["kind"]} {g["article"]} {g.get("value", g.get("actor_any"))} — {g.get("why", "")}'
             for g in missed]
    return "\n".join(lines + [f"false: {brief(a)}" for a in false_alerts])


# ---- the matcher itself --------------------------------------------------------------------

def test_matcher_takes_a_value_inside_low_high():
    gold = {"kind": "figure", "article": "a.txt", "value": 3000}
    assert matches({"kind": "figure", "article": "/x/a.txt", "value": 2000, "low": 2000, "high": 5000}, gold)


def test_matcher_needs_the_same_article_file_name():
    gold = {"kind": "figure", "article": "a.txt", "value": 3000}
    assert not matches({"kind": "figure", "article": "/x/b.txt", "value": 3000}, gold)


def test_matcher_words_are_whole_words():
    assert mentions("US Pentagon", ["US"]) and not mentions("USA Today", ["US"])


def test_one_gold_absorbs_one_alert():
    gold = [{"kind": "position", "article": "a.txt", "stance_any": ["confirms"]}]
    alert = {"kind": "position", "article": "a.txt", "stance": "confirms"}
    missed, false_alerts = tally([alert, alert], gold)
    assert missed == [] and false_alerts == [alert]


# ---- the seed story ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_result(seeds_dir, tmp_path_factory):
    return play(seeds_dir, tmp_path_factory.mktemp("seed-story"))


def test_seed_story_every_required_alert_is_raised(seed_result):
    _, missed, false_alerts = seed_result
    assert missed == [], explain(missed, false_alerts)


def test_seed_story_raises_no_false_alert(seed_result):
    _, missed, false_alerts = seed_result
    assert false_alerts == [], explain(missed, false_alerts)


def test_seed_story_first_article_raises_nothing(seed_result, seed_files):
    alerts, _, _ = seed_result
    assert not [a for a in alerts if Path(a["article"]).name == seed_files[0].name]


def test_seed_story_kremlin_repeat_is_no_alert(seed_result):
    alerts, _, _ = seed_result
    assert not [a for a in alerts if a["kind"] == "position" and "Kremlin" in (a["actor"] or "")]


# ---- the dev stories of other genres (tests/stories) ------------------------------------------

def story_folders() -> list[Path]:
    """The development stories (tests/stories) and the validation stories (tests/validation)."""
    roots = [STORIES, STORIES.parent / "validation"]
    return sorted(p for root in roots if root.is_dir() for p in root.iterdir() if (p / "expected-alerts.json").is_file())


@pytest.mark.parametrize("folder", story_folders(), ids=lambda p: p.name)
def test_dev_story_matches_expected_alerts(folder, tmp_path):
    _, missed, false_alerts = play(folder, tmp_path)
    assert missed == [] and false_alerts == [], explain(missed, false_alerts)
