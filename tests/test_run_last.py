"""`--run last` reads scheduled passes too (issue 15, item 1): after `monitor run` the last run is
that pass, not the last `ingest`; and where no run has raised alerts it shows none, never every
alert. Real store, real files source, the CLI as a user runs it."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))


def monitor(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor", *args], capture_output=True, text=True, cwd=ROOT)


def test_run_last_is_the_last_scheduled_pass(tmp_path):
    db, folder = tmp_path / "store.db", tmp_path / "incoming"
    folder.mkdir()
    assert monitor("ingest", "-q", "--db", str(db), *map(str, SEEDS[:2])).returncode == 0
    for seed in SEEDS[2:]:
        shutil.copy(seed, folder / seed.name)
    config = tmp_path / "monitor.toml"
    config.write_text(f'[store]\npath = "{db}"\n\n[[sources]]\nname = "Incoming"\nkind = "files"\n'
                      f'path = "{folder}"\nglob = "*.txt"\n')
    assert monitor("run", "-q", "--config", str(config)).returncode == 0
    every = [json.loads(line) for line in monitor("alerts", "--db", str(db), "--json").stdout.splitlines()]
    last = [json.loads(line) for line in monitor("alerts", "--db", str(db), "--json", "--run", "last").stdout.splitlines()]
    scheduled = {str(folder / seed.name) for seed in SEEDS[2:]} | {seed.name for seed in SEEDS[2:]}
    assert last and len(last) < len(every)
    assert all(a["article"] in scheduled or Path(a["article"]).name in scheduled for a in last)
    assert "run " in monitor("digest", "--db", str(db), "--run", "last").stdout


def test_run_last_with_no_run_that_raised_alerts_shows_none(tmp_path):
    db = tmp_path / "store.db"
    assert monitor("ingest", "-q", "--db", str(db), str(SEEDS[0])).returncode == 0   # a first sighting: no alert
    assert monitor("alerts", "--db", str(db), "--json", "--run", "last").stdout.strip() == ""
    digest = monitor("digest", "--db", str(db), "--run", "last").stdout
    assert "all alerts" not in digest.lower()


def test_run_is_quiet_under_cron_but_for_errors(tmp_path):
    """Issue 15, item 4: off a terminal (cron) a pass that went well prints nothing; -v prints
    its totals."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    shutil.copy(SEEDS[0], folder / SEEDS[0].name)
    config = tmp_path / "monitor.toml"
    config.write_text(f'[store]\npath = "{tmp_path / "store.db"}"\n\n[[sources]]\nname = "Incoming"\nkind = "files"\n'
                      f'path = "{folder}"\nglob = "*.txt"\n')
    quiet = monitor("run", "--config", str(config))
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
    loud = monitor("run", "-v", "--config", str(config), "--source", "Incoming")
    assert loud.returncode == 0 and "source(s) fetched" in loud.stderr
