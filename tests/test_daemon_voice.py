"""Issue 15, item 2: the daemon speaks. A line at start and one per pass on stderr (wherever
it runs: systemd's journal keeps stderr), -v/-q/--log-level on every command, SIGHUP reloads
the config (a bad one is refused and the old one kept), and a `run` beside a daemon says
that a daemon is in charge instead of a bare "0 source(s) fetched". A real daemon process,
a real HTTP server on 127.0.0.1, a real store."""
from __future__ import annotations

import signal
import subprocess
import sys

import pytest
from conftest import invoke
from localserver import rss, write_config
from test_schedule import handles, start_daemon, stop, wait_until

from monitor.cli import main

ARTICLE = ("The ministry said at least 40 people were killed in the floods. Rescuers were still searching "
           "the valley on Tuesday, officials said.")


def feed(name: str, url: str, **kw) -> dict:
    return {"name": name, "kind": "feed", "url": url, "every": "1h", "fetch_article": False, **kw}


def one_item(server, path: str = "/feed.xml", title: str = "Floods kill 40", text: str = ARTICLE) -> str:
    server.document(path, rss([{"title": title, "link": server.url(path + "/a"), "guid": path, "description": text}]))
    return server.url(path)


def test_the_daemon_says_it_started_and_logs_a_line_per_pass(server, tmp_path):
    cfg = write_config(tmp_path, [feed("wire", one_item(server))])
    proc, log = start_daemon(cfg, tmp_path)
    try:
        said = wait_until(lambda: "wire: ok, 1 article(s) added" in log.read_text(), 20, proc, log)
    finally:
        code = stop(proc)
    text = log.read_text()
    assert said and code == 0, text
    first = text.splitlines()[0]
    assert first.startswith("daemon started (pid ") and "1 source(s)" in first and str(tmp_path / "monitor.db") in first
    assert "; next pass: wire at " in first                    # a daemon waiting for a source says for what
    [line] = [line for line in text.splitlines() if line.startswith("wire: ok")]
    assert "1 article(s) added" in line and "alert(s)" in line and " s (run " in line     # totals and time
    assert text.splitlines()[-1] == "daemon stopped"


def test_sighup_reloads_the_config_and_a_bad_one_is_refused(server, tmp_path):
    cfg = write_config(tmp_path, [feed("wire", one_item(server))])
    proc, log = start_daemon(cfg, tmp_path)
    try:
        assert wait_until(lambda: "wire: ok" in log.read_text(), 20, proc, log), log.read_text()
        assert wait_until(lambda: handles(proc, signal.SIGHUP), 10, proc, log)
        cfg.write_text(cfg.read_text().replace("[[sources]]", "[[sources]]\nbogus = 1", 1))
        proc.send_signal(signal.SIGHUP)
        assert wait_until(lambda: "config not reloaded" in log.read_text(), 10, proc, log), log.read_text()
        assert proc.poll() is None                          # SIGHUP no longer kills it (exit 129)
        write_config(tmp_path, [feed("wire", one_item(server)), feed("second", one_item(server, "/two.xml", "Toll rises",
                                                                            ARTICLE.replace("40", "52")))])
        proc.send_signal(signal.SIGHUP)
        assert wait_until(lambda: "second: ok, 1 article(s) added" in log.read_text(), 20, proc, log), \
            log.read_text()
    finally:
        code = stop(proc)
    text = log.read_text()
    assert code == 0, text
    [refused] = [line for line in text.splitlines() if "config not reloaded" in line]
    assert refused.startswith("error: config not reloaded, the old one is kept: ") and "bogus" in refused
    assert "config reloaded: 2 source(s)" in text


def test_a_run_beside_a_daemon_says_the_daemon_is_in_charge(server, tmp_path):
    cfg = write_config(tmp_path, [feed("wire", one_item(server))])
    proc, log = start_daemon(cfg, tmp_path)
    try:
        assert wait_until(lambda: "wire: ok" in log.read_text(), 20, proc, log), log.read_text()
        result = invoke("run", "-v", "--config", cfg)
        status = invoke("status", "--config", cfg)
    finally:
        stop(proc)
    assert result.exit_code == 0
    assert f"warning: a daemon (pid {proc.pid}) runs this store's sources on their intervals" in result.stderr
    assert f"a daemon (pid {proc.pid}) is running this store" in status.stderr


def test_a_second_daemon_on_the_same_store_is_refused(server, tmp_path):
    cfg = write_config(tmp_path, [feed("wire", one_item(server))])
    proc, log = start_daemon(cfg, tmp_path)
    try:
        assert wait_until(lambda: "daemon started" in log.read_text(), 20, proc, log), log.read_text()
        second = subprocess.run([sys.executable, "-m", "monitor", "daemon", "--config", str(cfg)],
                                capture_output=True, text=True, timeout=30)
    finally:
        stop(proc)
    assert second.returncode == 3
    assert second.stderr.startswith("error: ") and f"another daemon (pid {proc.pid})" in second.stderr


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_takes_verbose_quiet_and_log_level(name):
    command = main.commands[name]
    commands = command.commands.values() if hasattr(command, "commands") else [command]
    for command in commands:
        options = {opt for param in command.params for opt in getattr(param, "opts", [])}
        assert {"-v", "--verbose", "-q", "--quiet", "--log-level"} <= options, (name, command.name)


def test_log_level_error_silences_the_totals_and_debug_shows_each_source(server, tmp_path):
    cfg = write_config(tmp_path, [feed("wire", one_item(server))])
    quiet = invoke("run", "--log-level", "error", "--config", cfg)
    assert quiet.exit_code == 0 and quiet.stderr == ""
    loud = invoke("run", "--log-level", "debug", "--source", "wire", "--config", cfg)
    assert "wire: ok" in loud.stderr and "1 source(s) fetched" in loud.stderr
