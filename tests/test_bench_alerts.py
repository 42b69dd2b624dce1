"""`python -m bench.alerts`: the alert-quality benchmark (bench/alerts.py, bench/alertscore.py).

The matching rules on alerts made by hand; the whole bench on the project's own stories
(tests/stories, both modes, and its JSON) and on small story folders made under tmp_path
from the aircrash story's articles, whose gold is written from what the monitor raised on
them, so that each count is known whatever the monitor's quality of the day.
"""
from __future__ import annotations

import doctest
import json
import shutil
from pathlib import Path

from bench import alerts as bench_alerts
from bench import alertscore

STORIES = Path(__file__).parent / "stories"
AIRCRASH, EARTHQUAKE = STORIES / "aircrash", STORIES / "earthquake"
KINDS = ("figure", "position", "all")


def figure(article: str, value: float, subject: str = "deaths", actor: str = "the agency", **extra) -> dict:
    return {"kind": "figure", "article": f"/feeds/{article}", "value": value, "subject": subject, "actor": actor,
            "evidence": f"The agency said {value} people died.", **extra}


def position(article: str, actor: str, stance: str) -> dict:
    return {"kind": "position", "article": f"https://example.org/{article}", "actor": actor, "stance": stance,
            "subject": "a missile downed the airliner", "evidence": "It was a missile, the ministry said."}


# ---- the matching rules ----------------------------------------------------------------------

def test_module_docstring_example_holds():
    assert doctest.testmod(alertscore).failed == 0


def test_a_required_gold_missed_counts_fn_and_a_matched_one_tp():
    golds = [{"article": "1.txt", "kind": "figure", "value": 120},
             {"article": "2.txt", "kind": "figure", "value": 300}]
    result = alertscore.tally([figure("1.txt", 120)], golds)
    assert result.counts["figure"] == {"tp": 1, "fp": 0, "fn": 1}
    assert result.missed == [golds[1]] and result.false == []


def test_an_optional_gold_matched_is_not_fp_nor_tp_and_unmatched_is_not_fn():
    golds = [{"article": "1.txt", "kind": "figure", "value": 120, "required": False},
             {"article": "1.txt", "kind": "position", "actor_any": ["Seoul"], "required": False}]
    result = alertscore.tally([figure("1.txt", 120)], golds)
    assert result.counts["all"] == {"tp": 0, "fp": 0, "fn": 0}
    assert alertscore.rates(**result.counts["all"]) == {"precision": None, "recall": None, "f1": None}


def test_an_alert_no_gold_absorbs_is_fp():
    golds = [{"article": "1.txt", "kind": "figure", "value": 120}]
    wrong_article, wrong_kind = figure("2.txt", 120), position("1.txt", "the agency", "confirms")
    result = alertscore.tally([wrong_article, wrong_kind], golds)
    assert result.false == [wrong_article, wrong_kind]
    assert result.counts["figure"] == {"tp": 0, "fp": 1, "fn": 1}
    assert result.counts["position"] == {"tp": 0, "fp": 1, "fn": 0}


def test_one_gold_absorbs_one_alert_and_required_golds_are_taken_first():
    golds = [{"article": "1.txt", "kind": "figure", "value": 120, "required": False},
             {"article": "1.txt", "kind": "figure", "value": 120}]
    # The first alert takes the required gold although the optional one is listed first; the
    # second takes the optional one; the third, a repeat, finds no gold free.
    result = alertscore.tally([figure("1.txt", 120)] * 3, golds)
    assert result.counts["figure"] == {"tp": 1, "fp": 1, "fn": 0}


def test_counts_split_by_kind_and_sum_in_all():
    golds = [{"article": "1.txt", "kind": "figure", "value": 120},
             {"article": "2.txt", "kind": "position", "actor_any": ["Pentagon"], "stance_any": ["confirms"]},
             {"article": "3.txt", "kind": "position", "actor_any": ["Kremlin"], "stance_any": ["denies"]}]
    alerts = [figure("1.txt", 120), figure("1.txt", 150),
              position("2.txt", "Pentagon (United States)", "confirms"), position("3.txt", "Kremlin", "likely")]
    counts = alertscore.tally(alerts, golds).counts
    assert counts == {"figure": {"tp": 1, "fp": 1, "fn": 0}, "position": {"tp": 1, "fp": 1, "fn": 1},
                      "all": {"tp": 2, "fp": 2, "fn": 1}}
    assert alertscore.rates(**counts["position"]) == {"precision": 0.5, "recall": 0.5, "f1": 0.5}


def test_figure_conditions_value_range_subject_evidence_and_source():
    gold = {"article": "1.txt", "kind": "figure", "value": 3000, "subject_any": ["troops"], "source_any": ["US"]}
    assert alertscore.matches(figure("1.txt", 3020, "troops", "White House (US)"), gold)      # within 1%
    assert not alertscore.matches(figure("1.txt", 3040, "troops", "White House (US)"), gold)  # beyond
    assert alertscore.matches(figure("1.txt", None, "troops", "US", low=2000, high=4000), gold)
    assert alertscore.matches(figure("1.txt", 3000, "deployed", "US", evidence="3,000 troops moved"), gold)
    assert not alertscore.matches(figure("1.txt", 3000, "troops", "USGS"), gold)           # whole words only
    assert not alertscore.matches(figure("1.txt", 3000, "troopships", "US"), gold)


def test_position_conditions_actor_and_stance():
    gold = {"article": "4.txt", "kind": "position", "actor_any": ["Pentagon"], "stance_any": ["confirms", "likely"]}
    assert alertscore.matches(position("4.txt", "Pentagon (United States)", "likely"), gold)
    assert not alertscore.matches(position("4.txt", "Pentagon (United States)", "denies"), gold)
    assert not alertscore.matches(position("4.txt", "Kremlin (Russia)", "confirms"), gold)


# ---- the bench -------------------------------------------------------------------------------

def test_project_stories_score_full_marks_in_both_modes_and_the_json_holds_it(tmp_path, capsys):
    out = tmp_path / "alerts.json"
    assert bench_alerts.main(["--out", str(out)]) == 0
    results = json.loads(out.read_text())
    assert set(results) >= {"date", "commit", "machine", "arguments", "stories", "modes"}
    assert results["arguments"] == ["--out", str(out)] and results["commit"]
    assert set(results["stories"]) == {p.name for p in STORIES.iterdir() if (p / "expected-alerts.json").is_file()}
    golds = [g for p in STORIES.glob("*/expected-alerts.json") for g in json.loads(p.read_text())["alerts"]]
    for mode in ("separate", "mixed"):
        run = results["modes"][mode]
        assert set(run["stories"]) == set(results["stories"]) and run["failed"] == []
        for kind in ("figure", "position"):
            wanted = sum(1 for g in golds if g["kind"] == kind and g.get("required", True))
            assert run["overall"][kind] == {"tp": wanted, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0,
                                            "f1": 1.0}
        for row in run["stories"].values():
            assert set(row["kinds"]) == set(KINDS) and row["missed"] == row["false"] == []
    printed = capsys.readouterr().out
    assert "one story at a time" in printed and "all stories in one store" in printed
    assert printed.splitlines()[-1] == "alerts F1: one at a time 1.00 (figures 1.00, positions 1.00); " \
                                       "mixed 1.00 (figures 1.00, positions 1.00)"


def articles_of(story: Path) -> list[Path]:
    return [story / name for name in json.loads((story / "expected-alerts.json").read_text())["articles"]]


def made_story(folder: Path, source: Path, golds: list[dict]) -> Path:
    """A story folder of another story's articles with a gold of our own."""
    folder.mkdir()
    for article in articles_of(source):
        shutil.copy(article, folder / article.name)
    (folder / "expected-alerts.json").write_text(json.dumps({"articles": [a.name for a in articles_of(source)],
                                                             "alerts": golds}))
    return folder


def gold_for(alert: dict, required: bool = True) -> dict:
    """The gold a reader would write for this alert."""
    gold = {"article": Path(alert["article"]).name, "kind": alert["kind"], "required": required}
    if alert["kind"] == "figure":
        return {**gold, "value": alert["value"]}
    return {**gold, "actor_any": [alert["actor"].split(" (")[0]], "stance_any": [alert["stance"]]}


def test_made_up_folders_counted_by_kind_in_both_modes(tmp_path):
    raised = bench_alerts.play(articles_of(AIRCRASH), "here")
    others = bench_alerts.play(articles_of(EARTHQUAKE), "here")
    figures = [a for a in raised if a["kind"] == "figure"]
    positions = [a for a in raised if a["kind"] == "position"]
    assert len(figures) >= 2 and len(positions) >= 2 and others, "both stories raise alerts"
    never = {"article": "004_crash-scraped.md", "kind": "figure", "value": 987654}
    golds = ([gold_for(figures[0]), never, gold_for(figures[1], required=False)]      # tp, fn, neither
             + [gold_for(a) for a in positions[:-1]])                               # tp each; the last is fp
    made_story(tmp_path / "labelled", AIRCRASH, golds)
    made_story(tmp_path / "unlabelled", EARTHQUAKE, [])          # every alert false
    out = tmp_path / "alerts.json"
    assert bench_alerts.main([str(tmp_path / "labelled"), str(tmp_path / "unlabelled"), "--out", str(out)]) == 0
    results = json.loads(out.read_text())
    for mode in ("separate", "mixed"):
        labelled, unlabelled = (results["modes"][mode]["stories"][name]["kinds"]
                                for name in ("labelled", "unlabelled"))
        assert labelled["figure"] == {"tp": 1, "fp": len(figures) - 2, "fn": 1,
                                      **alertscore.rates(1, len(figures) - 2, 1)}
        assert labelled["position"] == {"tp": len(positions) - 1, "fp": 1, "fn": 0,
                                        **alertscore.rates(len(positions) - 1, 1, 0)}
        assert unlabelled["all"] == {"tp": 0, "fp": len(others), "fn": 0, "precision": 0.0, "recall": None,
                                     "f1": 0.0}
        assert results["modes"][mode]["overall"]["all"]["fp"] == labelled["all"]["fp"] + len(others)


def test_in_process_play_raises_what_the_command_raises():
    # All but when each alert was written: the wall clock's.
    timeless = lambda alerts: [{k: v for k, v in a.items() if k != "created"} for a in alerts]
    articles = articles_of(AIRCRASH)[:3]
    here = bench_alerts.play(articles, "here")
    assert here and timeless(here) == timeless(bench_alerts.play(articles, "cli"))


def test_mixed_order_is_round_robin_by_rank():
    a = bench_alerts.Story("a", Path("a"), [Path("a/1"), Path("a/2"), Path("a/3")], [])
    b = bench_alerts.Story("b", Path("b"), [Path("b/1")], [])
    assert bench_alerts.interleaved([a, b]) == [Path("a/1"), Path("b/1"), Path("a/2"), Path("a/3")]


def test_a_folder_that_is_not_a_story_is_one_line_and_exit_2(tmp_path, capsys):
    assert bench_alerts.main([str(tmp_path / "absent"), "--out", str(tmp_path / "a.json")]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0
    assert bench_alerts.main([str(tmp_path), "--out", str(tmp_path / "a.json")]) == 2
    assert "not a story folder" in capsys.readouterr().err
    assert not (tmp_path / "a.json").exists()
