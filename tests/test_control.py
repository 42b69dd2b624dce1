"""Issue 15, item 6: control over what comes in and goes out. `monitor sources
list|add|remove|import-opml|export-opml` edit the config with its comments kept and refuse
what the config would refuse; `mute`/`unmute` keep alerts stored and marked but never
delivered; `alerts --format csv`; `prune` from the command line (its store-level proof that
later alerts do not change is tests/test_prune.py). Real files, real stores, the real CLI."""
from __future__ import annotations

import csv
import io
import json

from conftest import ROOT, invoke

from monitor import config as config_module

SEEDS = ROOT / "fixtures" / "seeds"
ORDER = json.loads((SEEDS / "expected-alerts.json").read_text())["articles"]
COMMENTED = """# my newsroom's monitor
[store]
path = "monitor.db"   # beside this file

# the wires we watch
[[sources]]
name = "Seeds"        # the bundled articles
kind = "files"
path = "{seeds}"
glob = "0*.txt"
"""


def config(tmp_path, notifiers: str = ""):
    path = tmp_path / "monitor.toml"
    path.write_text(COMMENTED.format(seeds=SEEDS) + notifiers, encoding="utf-8")
    return path


def test_sources_add_list_and_remove_keep_the_comments(tmp_path):
    cfg = config(tmp_path)
    added = invoke("sources", "add", "--config", cfg, "Wire", "https://example.org/feed.xml", "--every", "1h")
    assert added.exit_code == 0, added.stderr
    text = cfg.read_text()
    assert "# my newsroom's monitor" in text and "# the bundled articles" in text and "# beside this file" in text
    assert [s.name for s in config_module.load(cfg).sources] == ["Seeds", "Wire"]
    listed = invoke("sources", "list", "--config", cfg).stdout
    assert "Wire" in listed and "https://example.org/feed.xml" in listed and "1h" in listed
    removed = invoke("sources", "remove", "--config", cfg, "Seeds")
    assert removed.exit_code == 0 and [s.name for s in config_module.load(cfg).sources] == ["Wire"]
    assert "# my newsroom's monitor" in cfg.read_text()


def test_a_source_the_config_would_refuse_is_not_written(tmp_path):
    cfg = config(tmp_path)
    before = cfg.read_text()
    for args in (["Seeds", "https://example.org/x.xml"],              # the name is taken
                 ["Bad", "ftp://example.org/x"],                      # not http(s)
                 ["Local", "http://127.0.0.1/feed.xml"]):             # loopback, refused
        result = invoke("sources", "add", "--config", cfg, *args)
        assert result.exit_code == 2 and result.stderr.startswith("error: "), result.stderr
        assert cfg.read_text() == before
    missing = invoke("sources", "remove", "--config", cfg, "Nothing")
    assert missing.exit_code == 2 and "no source called 'Nothing'" in missing.stderr


OPML = """<?xml version="1.0"?>
<opml version="2.0"><head><title>Reader export</title></head><body>
  <outline text="World">
    <outline type="rss" text="Wire A" xmlUrl="https://a.example.org/rss"/>
    <outline type="rss" title="Seeds" xmlUrl="https://b.example.org/feed"/>
    <outline type="rss" text="C &amp; D" xmlUrl="https://c.example.org/atom"/>
  </outline>
  <outline type="rss" text="Wire A again" xmlUrl="https://a.example.org/rss"/>
</body></opml>
"""


def test_opml_import_adds_each_new_feed_once_without_entities_and_exports_again(tmp_path):
    cfg = config(tmp_path)
    opml = tmp_path / "export.opml"
    opml.write_text(OPML, encoding="utf-8")
    result = invoke("sources", "import-opml", "--config", cfg, opml)
    assert result.exit_code == 0, result.stderr
    assert "3 feed(s) added" in result.stderr and "1 already there" in result.stderr
    sources = {s.name: s for s in config_module.load(cfg).sources}
    assert sources["Wire A"].url == "https://a.example.org/rss"
    assert sources["Seeds (2)"].url == "https://b.example.org/feed"            # the name was taken
    assert sources["C & D"].url == "https://c.example.org/atom"
    again = invoke("sources", "import-opml", "--config", cfg, opml)
    assert "0 feed(s) added" in again.stderr
    exported = invoke("sources", "export-opml", "--config", cfg)
    assert exported.stdout.count('type="rss"') == 3 and "1 source(s) that are not feeds" in exported.stderr
    back = tmp_path / "back.opml"
    back.write_text(exported.stdout, encoding="utf-8")
    other = tmp_path / "other"
    other.mkdir()
    fresh = other / "monitor.toml"
    fresh.write_text('[store]\npath = "m.db"\n', encoding="utf-8")
    assert invoke("sources", "import-opml", "--config", fresh, back).exit_code == 0
    assert {s.url for s in config_module.load(fresh).sources} == {s.url for s in sources.values() if s.url}


def test_a_file_that_is_not_opml_is_refused(tmp_path):
    cfg = config(tmp_path)
    before = cfg.read_text()
    bad = tmp_path / "bad.opml"
    bad.write_text("<html><body>not a list</body></html>")
    result = invoke("sources", "import-opml", "--config", cfg, bad)
    assert result.exit_code == 2 and "not OPML" in result.stderr
    # an external entity is never read: the file is refused, the config left as it was
    hostile = tmp_path / "hostile.opml"
    hostile.write_text('<?xml version="1.0"?>\n<!DOCTYPE opml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
                       '<opml version="2.0"><body><outline text="&secret;" xmlUrl="https://e.example.org/"/>'
                       '</body></opml>')
    refused = invoke("sources", "import-opml", "--config", cfg, hostile)
    assert refused.exit_code == 2 and "external entity" in refused.stderr and "root:" not in refused.stderr
    assert cfg.read_text() == before


def ingest_seeds(db):
    for name in ORDER:
        assert invoke("ingest", "--db", db, SEEDS / name).exit_code == 0


def test_muted_alerts_are_stored_marked_and_never_delivered(tmp_path):
    out = tmp_path / "out"
    cfg = config(tmp_path, f'\n[[notifiers]]\nname = "Files"\nkind = "file"\npath = "{out}"\nformat = "md"\n')
    db = tmp_path / "monitor.db"
    assert invoke("mute", "--config", cfg, "actor", "kirby").exit_code == 0
    assert invoke("mute", "--config", cfg, "subject", "casualties", "--until", "2000-01-01").exit_code == 2
    ingest_seeds(db)
    rows = [json.loads(line) for line in invoke("alerts", "--db", db, "--json").stdout.splitlines()]
    muted = [r for r in rows if r.get("muted")]
    assert muted and all("Kirby" in r["actor"] for r in muted) and muted[0]["muted"] == "actor 'kirby'"
    assert all("Kirby" not in r["actor"] for r in rows if not r.get("muted"))
    assert "(muted)" in invoke("alerts", "--db", db).stdout
    assert invoke("notify", "--config", cfg).exit_code == 0
    delivered = (out / "latest.md").read_text()
    assert delivered.splitlines()[2].startswith(f"{len(rows) - len(muted)} alerts: ")      # the muted ones not sent
    digest = invoke("digest", "--db", db)
    assert f"{len(muted)} muted alert(s) left out" in digest.stderr
    assert f"{len(rows) - len(muted)} alert" in digest.stdout.splitlines()[2]
    listed = invoke("mute", "--db", db).stdout
    assert "kirby" in listed and "actor" in listed
    assert invoke("unmute", "--db", db, "actor", "Kirby").exit_code == 0
    assert invoke("mute", "--db", db).stdout.strip() == "No mutes."


def test_muted_alerts_are_not_pending_for_any_notifier(tmp_path):
    from monitor.store import Store
    db = tmp_path / "monitor.db"
    assert invoke("mute", "--db", db, "story", "north korea").exit_code == 0
    ingest_seeds(db)
    store = Store(db)
    assert store.alerts() and all(a["muted"] for a in store.alerts())
    assert store.pending_alerts("anyone") == []


def test_a_mute_that_ended_mutes_nothing(tmp_path):
    from monitor.store import Store
    db = tmp_path / "monitor.db"
    store = Store(db)
    store.add_mute("actor", "kirby", "2001-01-01T00:00:00+00:00")
    store.close()
    ingest_seeds(db)
    assert not any(a["muted"] for a in Store(db).alerts())


def test_alerts_as_csv(tmp_path):
    db = tmp_path / "monitor.db"
    ingest_seeds(db)
    text = invoke("alerts", "--db", db, "--format", "csv").stdout
    table = list(csv.DictReader(io.StringIO(text)))
    as_json = [json.loads(line) for line in invoke("alerts", "--db", db, "--json").stdout.splitlines()]
    assert len(table) == len(as_json) >= 4
    assert list(table[0])[:6] == ["id", "run_id", "created", "story", "kind", "change"]
    assert [r["subject"] for r in table] == [r["subject"] for r in as_json]
    assert [r["evidence"] for r in table] == [r["evidence"] for r in as_json]


def test_csv_cells_cannot_run_as_formulas():
    from monitor.notify.tabular import _cell
    assert _cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert _cell("@SUM(A1)") == "'@SUM(A1)" and _cell("-12") == "-12" and _cell(3000) == "3000"


def test_prune_from_the_command_line(tmp_path):
    db = tmp_path / "monitor.db"
    ingest_seeds(db)
    before = invoke("alerts", "--db", db, "--json").stdout
    kept = invoke("prune", "--db", db, "--older-than", "30d")
    assert kept.exit_code == 0 and kept.stderr.startswith("0 article(s)")
    __import__("time").sleep(1.1)                 # ingestion times are kept to the second
    done = invoke("prune", "--db", db, "--older-than", "0s")
    assert done.exit_code == 0 and done.stderr.startswith(f"{len(ORDER)} article(s)"), done.stderr
    assert invoke("alerts", "--db", db, "--json").stdout == before
    bad = invoke("prune", "--db", db, "--older-than", "soon")
    assert bad.exit_code == 2 and "--older-than 'soon'" in bad.stderr


def test_an_intranet_feed_is_added_with_allow_private(tmp_path):
    cfg = config(tmp_path)
    refused = invoke("sources", "add", "--config", cfg, "Intranet", "http://10.0.0.5/wires.xml")
    assert refused.exit_code == 2 and "allow_private = true" in refused.stderr
    added = invoke("sources", "add", "--config", cfg, "Intranet", "http://10.0.0.5/wires.xml", "--allow-private")
    assert added.exit_code == 0, added.stderr
    [source] = [s for s in config_module.load(cfg).sources if s.name == "Intranet"]
    assert source.allow_private is True
    assert "\n\n[[sources]]\nname = \"Intranet\"" in cfg.read_text()            # its own paragraph


def test_muting_the_same_again_sets_its_end_not_a_second_mute(tmp_path):
    db = tmp_path / "monitor.db"
    assert invoke("mute", "--db", db, "subject", "Injured").exit_code == 0
    assert invoke("mute", "--db", db, "subject", "injured", "--until", "7d").exit_code == 0
    listed = invoke("mute", "--db", db).stdout.splitlines()
    assert len(listed) == 3 and "Injured" in listed[2], listed          # header, rule, one mute
    assert invoke("unmute", "--db", db, "subject", "INJURED").exit_code == 0


def test_a_refused_add_names_the_options_typed(tmp_path):
    cfg = config(tmp_path)
    bad = invoke("sources", "add", "--config", cfg, "Wire", "https://example.org/feed.xml", "--every", "5x")
    assert bad.exit_code == 2 and "--every '5x'" in bad.stderr and "sources[" not in bad.stderr
    where = invoke("sources", "add", "--config", cfg, "Wire", "ftp://example.org/x")
    assert "WHERE 'ftp://example.org/x'" in where.stderr
