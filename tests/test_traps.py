"""Issue 15, item 8: small traps. An unknown --source is an error; a files source reads the
same files from any working folder and keeps one form of path; `exclude`; no "None" or raw
errno text in messages; a refused private address names allow_private; a refused STARTTLS
names tls; one "error:" voice; -h; `ingest FOLDER`."""
from __future__ import annotations

import os
import smtplib

import pytest
from conftest import ROOT, invoke, rows

from monitor import config as config_module
from monitor.cli import main

SEEDS = ROOT / "fixtures" / "seeds"


def files_config(folder, **extra):
    folder.mkdir(parents=True, exist_ok=True)
    lines = ['[store]', 'path = "monitor.db"', '', '[[sources]]', 'name = "Seeds"', 'kind = "files"',
             f'path = "{os.path.relpath(SEEDS, folder)}"', 'glob = "0*.txt"']
    lines += [f"{k} = {v}" for k, v in extra.items()]
    path = folder / "monitor.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_unknown_source_is_an_error_not_a_silent_pass(tmp_path):
    cfg = files_config(tmp_path)
    result = invoke("run", "--config", cfg, "--source", "Sedes")
    assert result.exit_code == 2
    assert result.stderr == f"error: --source 'Sedes': no source of that name in {cfg} (its sources: Seeds)\n"


def test_a_files_source_reads_the_same_from_any_folder(tmp_path, monkeypatch):
    cfg = files_config(tmp_path / "conf")
    monkeypatch.chdir(tmp_path / "conf")
    assert invoke("run", "--config", "monitor.toml").exit_code == 0
    monkeypatch.chdir(tmp_path)
    again = invoke("run", "-v", "--config", cfg, "--source", "Seeds")            # forced: due or not
    assert again.exit_code == 0 and "0 article(s) added" in again.stderr, again.stderr
    origins = [o for (o,) in rows(tmp_path / "conf" / "monitor.db", "select origin from articles")]
    assert origins and all(os.path.isabs(o) for o in origins), origins
    paths = [a for (a,) in rows(tmp_path / "conf" / "monitor.db", "select article from alerts")]
    paths += [a for (a,) in rows(tmp_path / "conf" / "monitor.db", "select previous_article from alerts")]
    assert paths and all(os.path.isabs(p) for p in paths), paths


def test_exclude_leaves_files_out(tmp_path):
    cfg = files_config(tmp_path, exclude='["000_*", "001_*"]')
    assert config_module.load(cfg).sources[0].exclude == ("000_*", "001_*")
    ran = invoke("run", "-v", "--config", cfg)
    assert ran.exit_code == 0
    origins = [os.path.basename(o) for (o,) in rows(tmp_path / "monitor.db", "select origin from articles")]
    assert origins and not any(o.startswith(("000_", "001_")) for o in origins)


def test_an_exclude_pattern_outside_the_folder_is_refused(tmp_path):
    cfg = files_config(tmp_path, exclude='["../*"]')
    result = invoke("run", "--config", cfg)
    assert result.exit_code == 2 and "sources[0].exclude[0]" in result.stderr


def test_a_missing_key_is_named_missing_not_none(tmp_path):
    cfg = tmp_path / "monitor.toml"
    cfg.write_text('[[sources]]\nname = "Folder"\nkind = "files"\n')
    result = invoke("status", "--config", cfg)
    assert result.exit_code == 2 and "sources[0].path is missing" in result.stderr and "None" not in result.stderr


def test_an_unreadable_config_says_why_without_errno(tmp_path):
    if os.geteuid() == 0:
        folder = tmp_path / "monitor.toml"                     # root reads every file: use a folder's
        folder.mkdir()                                         # own refusal instead
        result = invoke("status", "--config", folder)
    else:
        cfg = tmp_path / "monitor.toml"
        cfg.write_text("[store]\n")
        cfg.chmod(0)
        result = invoke("status", "--config", cfg)
    assert result.exit_code == 2 and "[Errno" not in result.stderr and result.stderr.startswith("error: ")


def test_a_refused_private_address_names_allow_private(server, tmp_path):
    from localserver import rss, write_config
    server.document("/feed.xml", rss([{"title": "t", "link": server.url("/a"), "guid": "a",
                                       "description": "The ministry said 40 people died."}]))
    name_for_loopback = server.url("/feed.xml").replace("127.0.0.1", "localhost")
    cfg = write_config(tmp_path, [{"name": "Local", "kind": "feed", "url": name_for_loopback,
                                   "fetch_article": False}], fetch={"allow_private": False})
    result = invoke("run", "--config", cfg)
    assert result.exit_code == 1
    assert "loopback address" in result.stderr and "allow_private = true" in result.stderr


def test_a_refused_starttls_names_tls(tmp_path):
    from monitor.notify.mail import _reason
    said = _reason(smtplib.SMTPNotSupportedError("STARTTLS extension not supported by server."))
    assert 'tls = "ssl"' in said and 'tls = "none"' in said
    refused = _reason(ConnectionRefusedError(111, "Connection refused"))
    assert refused == "connection refused (ConnectionRefusedError)" and "Errno" not in refused


def test_a_notifier_that_cannot_connect_says_so_in_the_one_voice(tmp_path):
    from localserver import write_config
    import socket
    with socket.socket() as sock:                           # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cfg = write_config(tmp_path, [], notifiers=[{"name": "hook", "kind": "webhook",
                                                 "url": f"http://127.0.0.1:{port}/hook"}])
    assert invoke("ingest", "--db", tmp_path / "monitor.db", SEEDS / "000_413534c7782e8021.txt",
                  SEEDS / "001_9bb39093bd7addb8.txt").exit_code == 0
    result = invoke("notify", "--config", cfg)
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and "connection refused" in line.lower(), line
    assert "Error:" not in line and "[Errno" not in line, line


def test_help_with_h_and_one_error_voice(tmp_path):
    for args in (["-h"], ["run", "-h"], ["sources", "add", "-h"]):
        result = invoke(*args)
        assert result.exit_code == 0 and result.stdout.startswith("Usage: "), args
    for args in (["nonsense"], ["alerts", "--bogus"], ["digest", "--format", "pdf", "--db", tmp_path / "x.db"]):
        result = invoke(*args)
        assert result.exit_code == 2 and result.stderr.startswith("error: ") and "Error:" not in result.stderr


def test_ingest_takes_a_folder(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("000_413534c7782e8021.txt", "001_9bb39093bd7addb8.txt"):
        (folder / name).write_bytes((SEEDS / name).read_bytes())
    (folder / ".hidden.txt").write_text("not an article")
    result = invoke("ingest", "--db", tmp_path / "m.db", folder)
    assert result.exit_code == 0, result.stderr
    assert "2 article(s) added" in result.stderr


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_has_short_help(name):
    result = invoke(name, "-h")
    assert result.exit_code == 0 and result.stdout.startswith("Usage: ") and "-h, --help" in result.stdout


def test_run_v_gives_a_failed_sources_reason_once(server, tmp_path):
    from localserver import write_config
    cfg = write_config(tmp_path, [{"name": "Broken", "kind": "feed", "url": server.url("/nothing.xml"),
                                   "fetch_article": False}])
    result = invoke("run", "-v", "--config", cfg)
    assert result.exit_code == 1
    assert "Broken: failed (below)" in result.stderr
    assert result.stderr.count("HTTP 404") == 1, result.stderr
