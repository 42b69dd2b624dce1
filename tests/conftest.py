"""Shared fixtures: the seed articles, the external test material, a real store, the real CLI.

No mocks: every test that needs a store gets a real SQLite file in its tmp_path, and every
CLI test runs the real click command (in-process through CliRunner, or as a subprocess).
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

from monitor.cli import main
from monitor.store import Store

ROOT = Path(__file__).parent.parent

# Deterministic property tests that assert no timing and keep Hypothesis's cache under tests/.
set_hypothesis_home_dir(str(Path(__file__).parent / ".hypothesis"))
settings.register_profile("monitor", database=None, deadline=None, derandomize=True, max_examples=100)
settings.load_profile("monitor")


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return Path(__file__).parent.parent / "fixtures" / "seeds"


@pytest.fixture(scope="session")
def seed_files(seeds_dir) -> list[Path]:
    """The seed articles in their arrival order, as expected-alerts.json lists them."""
    spec = json.loads((seeds_dir / "expected-alerts.json").read_text())
    return [seeds_dir / name for name in spec["articles"]]


@pytest.fixture(scope="session")
def external_dir() -> Path:
    """Real feeds, WordPress responses and pages kept outside the project (read only)."""
    folder = Path(__file__).resolve().parents[2] / "shared" / "external"
    if not folder.is_dir():
        pytest.skip(f"external test material not present at {folder}")
    return folder


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "store.db")
    yield s
    s.close()


@pytest.fixture
def db(tmp_path) -> Path:
    """Where a CLI test's store lives; the CLI creates it."""
    return tmp_path / "monitor.db"


def invoke(*args: str):
    """Run `monitor ARGS...` in-process with the real click command; stdout and stderr apart."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def ingest_one_by_one(db: Path, files) -> list:
    """One `monitor ingest` call per file, in order, as the scorer does."""
    results = []
    for path in files:
        result = invoke("ingest", "--db", db, path)
        assert result.exit_code == 0, f"ingest {path} exited {result.exit_code}: {result.stderr}"
        results.append(result)
    return results


def alerts_json(db: Path) -> list[dict]:
    result = invoke("alerts", "--db", db, "--json")
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def rows(db: Path, sql: str, args=()) -> list[tuple]:
    """The rows of one query on a real store file, waiting for a writer as a reader would."""
    conn = sqlite3.connect(db, timeout=30)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


@pytest.fixture
def server():
    """A real HTTP server on 127.0.0.1 for one test (tests/localserver.py)."""
    from localserver import Server
    with Server() as s:
        yield s


def count_rows(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"select count(*) from {table}").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory, seed_files) -> Path:
    """A store that has read the five seeds, one ingest call each. Tests must not write to it."""
    db = tmp_path_factory.mktemp("seeded") / "seeds.db"
    ingest_one_by_one(db, seed_files)
    return db


@pytest.fixture(scope="session")
def seed_alerts(seeded_db) -> list[dict]:
    alerts = alerts_json(seeded_db)
    assert alerts, "the seed story raises alerts; none came out"
    return alerts


# ---- one line for the tests that need ../shared ----------------------------------------------

# The skip reasons of tests that read ../shared/external (the external_dir fixture above and
# the skipif marks in test_fetch.py, test_schedule.py, test_hostile.py, test_security_sources.py).
SHARED_ABSENT = "external test material not"


def pytest_terminal_summary(terminalreporter):
    """One line when tests skipped because ../shared/external is absent; nothing otherwise."""
    skipped = [report for report in terminalreporter.stats.get("skipped", [])
               if SHARED_ABSENT in str(getattr(report, "longrepr", ""))]
    if skipped:
        terminalreporter.write_line(
            f"{len(skipped)} tests skipped: ../shared/external is not present (real feeds, pages and "
            f"benchmark data; see README 'Tests')")
