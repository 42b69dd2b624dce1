"""Issue 15, item 5: one way in. --config on every command (read commands take the store
from it), the config found by $MONITOR_CONFIG, ./monitor.toml or
$XDG_CONFIG_HOME/monitor/monitor.toml, `monitor init` writing the packaged sample, the
store's folder made, and `status` never making a store."""
from __future__ import annotations

import tomllib

import pytest
from conftest import ROOT, invoke

from monitor import config as config_module
from monitor.cli import main

SEEDS = ROOT / "fixtures" / "seeds"


def seed_config(folder, store="monitor.db"):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "monitor.toml"
    path.write_text(f'[store]\npath = "{store}"\n\n[[sources]]\nname = "Seeds"\nkind = "files"\n'
                    f'path = "{SEEDS}"\nglob = "0*.txt"\n', encoding="utf-8")
    return path


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No config to be found but what the test puts there."""
    monkeypatch.delenv("MONITOR_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("name", sorted(set(main.commands) - {"init"}))
def test_every_command_takes_config(name):
    command = main.commands[name]
    for command in command.commands.values() if hasattr(command, "commands") else [command]:
        assert "--config" in {o for p in command.params for o in getattr(p, "opts", [])}, (name, command.name)


def test_read_commands_take_the_store_from_the_config(clean_env, tmp_path):
    cfg = seed_config(tmp_path / "conf")
    assert invoke("run", "--config", cfg).exit_code == 0
    shown = invoke("alerts", "--config", cfg, "--json")
    assert shown.exit_code == 0 and shown.stdout.count("\n") >= 4
    assert invoke("digest", "--config", cfg).stdout.startswith("# Monitor digest")
    assert invoke("history", "--config", cfg, "troops").exit_code == 0


@pytest.mark.parametrize("where", ["env", "here", "xdg"])
def test_a_config_is_found_without_config(clean_env, tmp_path, monkeypatch, where):
    folder = {"env": tmp_path / "elsewhere", "here": tmp_path, "xdg": tmp_path / "xdg" / "monitor"}[where]
    cfg = seed_config(folder)
    if where == "env":
        monkeypatch.setenv("MONITOR_CONFIG", str(cfg))
    ran = invoke("run", "-v")
    assert ran.exit_code == 0 and "1 source(s) fetched" in ran.stderr, ran.stderr
    assert (folder / "monitor.db").is_file()
    assert invoke("alerts").stdout.count("\n") >= 4


def test_no_config_anywhere_says_where_it_looked(clean_env):
    for args in (["run"], ["alerts"], ["status"]):
        result = invoke(*args)
        assert result.exit_code == 2
        assert result.stderr.startswith("error: no ") and "--config" in result.stderr and "monitor init" in \
            result.stderr


def test_init_writes_the_packaged_sample_and_it_runs(clean_env, tmp_path):
    made = invoke("init", "site")
    assert made.exit_code == 0, made.stderr
    written = tmp_path / "site" / "monitor.toml"
    text = written.read_text()
    assert text.startswith("# monitor's config, written by `monitor init`")
    config = config_module.load(written)
    assert config.store == str(tmp_path / "site" / "monitor.db") and config.notifiers
    again = invoke("init", "site")
    assert again.exit_code == 2 and "already there" in again.stderr and written.read_text() == text
    assert invoke("run", "--config", written).exit_code == 0
    tomllib.loads(text)


def test_the_stores_folder_is_made(clean_env, tmp_path):
    cfg = seed_config(tmp_path, store="data/deep/monitor.db")
    result = invoke("run", "--config", cfg)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "data" / "deep" / "monitor.db").is_file()
    db = tmp_path / "new" / "folder" / "ingest.db"
    assert invoke("ingest", "--db", db, SEEDS / "000_413534c7782e8021.txt").exit_code == 0 and db.is_file()


def test_status_does_not_make_a_store(clean_env, tmp_path):
    cfg = seed_config(tmp_path)
    result = invoke("status", "--config", cfg)
    assert result.exit_code == 0 and "Seeds" in result.stdout
    assert "no store yet" in result.stderr
    assert not (tmp_path / "monitor.db").exists()


def test_a_read_command_on_a_missing_store_makes_none(clean_env, tmp_path):
    result = invoke("alerts", "--db", tmp_path / "nothing.db")
    assert result.exit_code == 1 and "no store there yet" in result.stderr
    assert not (tmp_path / "nothing.db").exists()
