"""The `monitor` command line: ingest, alerts (JSON lines and table), digest, errors."""
from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys

import pytest

from conftest import ROOT, alerts_json, count_rows, ingest_one_by_one, invoke

CONTRACT_KEYS = ["kind", "change", "subject", "actor", "value", "previous_value", "stance", "previous_stance",
                 "article", "previous_article", "evidence", "previous_evidence", "published"]
TRUTH = ["denies", "unconfirmed", "likely", "confirms"]
ACTION = ["opposes", "considers", "supports"]


def bad_file(tmp_path, kind: str):
    """A bad input file of `kind`, and a word its error line must carry."""
    path = tmp_path / {"missing": "not-there.txt", "empty": "empty.txt", "binary": "photo.jpg",
                       "broken JSON": "post.json"}[kind]
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "binary":
        path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + random.Random(1).randbytes(4000))
    elif kind == "broken JSON":
        path.write_bytes(b'{"id": 9325, "title": {"rendered": "Are North Koreans')
    return path, {"missing": ("no such", "not found", "missing", "does not exist"), "empty": ("empty",),
                  "binary": ("binary",), "broken JSON": ("json",)}[kind]


BAD_KINDS = ["missing", "empty", "binary", "broken JSON"]


# ---- alerts --json: the contract's shape ---------------------------------------------------

def test_alerts_json_lines_are_objects(seeded_db):
    result = invoke("alerts", "--db", seeded_db, "--json")
    assert result.exit_code == 0
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines and all(isinstance(json.loads(line), dict) for line in lines)


def test_alerts_json_has_every_contract_key(seed_alerts):
    for alert in seed_alerts:
        assert set(CONTRACT_KEYS) <= set(alert), f"missing {set(CONTRACT_KEYS) - set(alert)} in {alert}"


def test_alerts_json_kind_and_change_labels(seed_alerts):
    for alert in seed_alerts:
        assert alert["kind"] in ("figure", "position")
        assert alert["change"] in (("revised", "new_estimate") if alert["kind"] == "figure" else ("stance_changed",))


def test_figure_alerts_carry_numbers(seed_alerts):
    figures = [a for a in seed_alerts if a["kind"] == "figure"]
    assert figures
    for alert in figures:
        assert isinstance(alert["value"], (int, float)) and isinstance(alert["previous_value"], (int, float))
        assert alert["stance"] is None and alert["previous_stance"] is None


def test_position_alerts_carry_contract_stances(seed_alerts):
    positions = [a for a in seed_alerts if a["kind"] == "position"]
    assert positions
    for alert in positions:
        scale = TRUTH if alert["stance"] in TRUTH else ACTION
        assert alert["stance"] in scale and alert["previous_stance"] in scale
        assert alert["stance"] != alert["previous_stance"]


def test_alerts_carry_both_evidence_sentences(seed_alerts):
    for alert in seed_alerts:
        assert alert["evidence"] and alert["previous_evidence"]
        assert alert["article"] and alert["previous_article"]


def test_published_is_an_iso_date_or_null(seed_alerts):
    for alert in seed_alerts:
        if alert["published"] is not None:
            dt.date.fromisoformat(alert["published"][:10])


def test_article_is_the_path_given_to_ingest(seed_alerts, seed_files):
    given = {str(path) for path in seed_files}
    assert {a["article"] for a in seed_alerts} <= given


def test_alerts_are_oldest_first(seed_alerts, seed_files):
    arrival = {str(path): i for i, path in enumerate(seed_files)}
    order = [arrival[a["article"]] for a in seed_alerts]
    assert order == sorted(order)


def test_empty_store_prints_no_json_lines(db, seed_files):
    ingest_one_by_one(db, seed_files[:1])
    assert alerts_json(db) == []


# ---- ingest: arrivals, duplicates -------------------------------------------------------------

def test_first_article_is_baseline(db, seed_files):
    result = invoke("ingest", "--db", db, seed_files[0])
    assert result.exit_code == 0
    assert count_rows(db, "articles") == 1
    assert count_rows(db, "alerts") == 0


def test_ingesting_the_same_file_again_adds_nothing(db, seed_files):
    ingest_one_by_one(db, seed_files[:2])
    articles, alerts = count_rows(db, "articles"), alerts_json(db)
    again = invoke("ingest", "--db", db, seed_files[1])
    assert again.exit_code == 0
    assert count_rows(db, "articles") == articles
    assert alerts_json(db) == alerts


def test_ingesting_the_same_file_twice_in_one_call_adds_it_once(db, seed_files):
    result = invoke("ingest", "--db", db, seed_files[0], seed_files[0])
    assert result.exit_code == 0
    assert count_rows(db, "articles") == 1


def test_ingesting_the_whole_story_again_raises_nothing_new(tmp_path, seed_files):
    db = tmp_path / "again.db"
    ingest_one_by_one(db, seed_files)
    alerts = alerts_json(db)
    ingest_one_by_one(db, seed_files)
    assert alerts_json(db) == alerts


def test_several_files_in_one_call_are_read_in_order(tmp_path, seed_files, seeded_db):
    db = tmp_path / "one-call.db"
    result = invoke("ingest", "--db", db, *seed_files)
    assert result.exit_code == 0
    assert [(a["kind"], a["article"], a["value"], a["stance"]) for a in alerts_json(db)] == \
        [(a["kind"], a["article"], a["value"], a["stance"]) for a in alerts_json(seeded_db)]


def test_ingest_records_a_run(db, seed_files):
    invoke("ingest", "--db", db, seed_files[0])
    assert count_rows(db, "runs") == 1


# ---- ingest: bad input ----------------------------------------------------------------------

@pytest.mark.parametrize("kind", BAD_KINDS)
def test_bad_input_exits_non_zero(tmp_path, db, seed_files, kind):
    path, _ = bad_file(tmp_path, kind)
    result = invoke("ingest", "--db", db, path, seed_files[0])
    assert result.exit_code != 0


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_bad_input_is_one_stderr_line_naming_file_and_reason(tmp_path, db, seed_files, kind):
    path, reasons = bad_file(tmp_path, kind)
    result = invoke("ingest", "--quiet", "--db", db, path, seed_files[0])
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0]
    assert any(word in lines[0].lower() for word in reasons), lines[0]


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_bad_input_is_named_once_with_the_summary(tmp_path, db, seed_files, kind):
    path, _ = bad_file(tmp_path, kind)
    result = invoke("ingest", "--db", db, path, seed_files[0])
    assert len([line for line in result.stderr.splitlines() if path.name in line]) == 1, result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_good_file_in_the_same_call_is_still_stored(tmp_path, db, seed_files, kind):
    path, _ = bad_file(tmp_path, kind)
    invoke("ingest", "--db", db, path, seed_files[0])
    assert count_rows(db, "articles") == 1


def test_good_file_before_a_bad_one_is_still_stored(tmp_path, db, seed_files):
    path, _ = bad_file(tmp_path, "binary")
    result = invoke("ingest", "--db", db, seed_files[0], path)
    assert result.exit_code != 0
    assert count_rows(db, "articles") == 1


def test_all_good_files_exit_zero(db, seed_files):
    assert invoke("ingest", "--db", db, *seed_files[:2]).exit_code == 0


def test_corrupt_store_is_one_error_line(tmp_path, seed_files):
    db = tmp_path / "corrupt.db"
    db.write_bytes(random.Random(3).randbytes(8192))
    result = invoke("ingest", "--db", db, seed_files[0])
    assert result.exit_code != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "corrupt.db" in result.stderr and "Traceback" not in result.output


def test_alerts_on_a_missing_store_exits_non_zero(tmp_path):
    assert invoke("alerts", "--db", tmp_path / "nothing.db", "--json").exit_code != 0


# ---- digest and table -----------------------------------------------------------------------

def test_digest_is_markdown(seeded_db):
    result = invoke("digest", "--db", seeded_db)
    assert result.exit_code == 0
    assert result.stdout.startswith("# ")
    assert "\n## " in result.stdout


def test_digest_shows_each_change_with_an_arrow(seeded_db, seed_alerts):
    out = invoke("digest", "--db", seeded_db).stdout
    assert out.count("→") >= len(seed_alerts)


def test_digest_quotes_both_evidence_sentences(seeded_db, seed_alerts):
    out = invoke("digest", "--db", seeded_db).stdout
    for alert in seed_alerts:
        assert alert["evidence"] in out
        assert alert["previous_evidence"] in out


def test_digest_of_an_empty_store_works(db, seed_files):
    ingest_one_by_one(db, seed_files[:1])
    result = invoke("digest", "--db", db)
    assert result.exit_code == 0 and result.stdout.startswith("# ")


def test_alerts_table_lists_every_alert(seeded_db, seed_alerts):
    result = invoke("alerts", "--db", seeded_db)
    assert result.exit_code == 0
    rows = [line for line in result.stdout.splitlines() if any(c in line for c in ("revised", "new_estimate",
                                                                                   "stance_changed"))]
    assert len(rows) == len(seed_alerts)
    assert all("→" in row for row in rows)


def test_alerts_table_of_an_empty_store_works(db, seed_files):
    ingest_one_by_one(db, seed_files[:1])
    result = invoke("alerts", "--db", db)
    assert result.exit_code == 0 and result.stdout.strip()


# ---- the real entry point -----------------------------------------------------------------

def test_python_dash_m_monitor_runs(tmp_path, seed_files):
    db = tmp_path / "sub.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "monitor", "ingest", "--db", str(db), str(seed_files[0])],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    done = subprocess.run([sys.executable, "-m", "monitor", "alerts", "--db", str(db), "--json"],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""          # the first article is baseline


def test_python_dash_m_monitor_bad_file_exits_one_line(tmp_path):
    missing = tmp_path / "gone.txt"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "monitor", "ingest", "-q", "--db", str(tmp_path / "s.db"),
                           str(missing)], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "gone.txt" in lines[0], done.stderr
