"""The README's sessions, run as a new user types them, print what the README shows (issue 15,
deliverable 8).

Each ```console block of README.md, and of docs/*.md, is a session: a line starting "$ " is a
command, the lines after it what the terminal showed. A session runs in a fresh folder that
holds what a clone holds for it (copies of fixtures/ and config/: the quick start is typed
in the clone), with a fresh store, a home of its own (`~`, with the feed reader's export the
"Living with it" session imports in ~/Downloads) and neither $MONITOR_CONFIG nor
$XDG_CONFIG_HOME. Its commands run one after another in one shell, so `cd` carries over, on
a pseudo-terminal: a terminal is what the README's reader has, and some commands say more
there (`ingest` a line per file, `run` a line per source). The `monitor` they call is this
checkout's (`python -m monitor`).

What the terminal showed must be what the README shows, line for line. Only what changes
from one run to the next is normalised, on both sides alike: clock times, the time in a
digest's file name, process ids, durations and store sizes; and trailing blanks. Change a
command's output without changing the README, and this fails with the difference.
"""
from __future__ import annotations

import difflib
import os
import re
import select
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PROMPT = "$ "
# What a session's folder holds, copied from the clone.
CLONE = ("fixtures", "config")
# The feed reader's export the "Living with it" session imports (`~/Downloads/subscriptions.opml`):
# one feed the session has already added, two it has not.
SUBSCRIPTIONS = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Feed reader subscriptions</title></head>
  <body>
    <outline text="World">
      <outline type="rss" text="BBC World" xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml"/>
      <outline type="rss" text="NPR World" xmlUrl="https://feeds.npr.org/1004/rss.xml"/>
      <outline type="rss" text="France 24" xmlUrl="https://www.france24.com/en/rss"/>
    </outline>
  </body>
</opml>
"""
# Values that differ from run to run, each to one placeholder.
RUN_TIME = [
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:\+00:00|Z)"), "<time>"),   # ISO times (UTC)
    (re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC"), "<time> UTC"),                      # a digest's "made ..."
    (re.compile(r"\b\d{8}T\d{6}Z\b"), "<stamp>"),                                       # digest file names
    (re.compile(r"\(pid \d+\)"), "(pid N)"),
    (re.compile(r"\b\d+(?:\.\d+)? (s|MB)\b"), r"N \1"),                                 # durations, sizes
]
TIMEOUT = 180


# ---- reading the README ----------------------------------------------------------------------

def sessions(text: str) -> list[tuple[str, str]]:
    """(the heading it is under, the block) for each ```console block, in order."""
    found, heading = [], "README"
    for match in re.finditer(r"^(#{2,4}) ([^\n]+)$|^```console\n(.*?)^```", text, re.M | re.S):
        if match.group(2):
            heading = match.group(2).strip()
        else:
            found.append((heading, match.group(3)))
    return found


def commands(block: str) -> list[str]:
    return [line[len(PROMPT):] for line in block.splitlines() if line.startswith(PROMPT)]


def normalise(text: str) -> str:
    for pattern, placeholder in RUN_TIME:
        text = pattern.sub(placeholder, text)
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


# ---- running a session -----------------------------------------------------------------------

def script(lines: list[str]) -> str:
    """A shell script that prints each command after the prompt, then runs it."""
    return "\n".join(f"printf '%s\\n' {shlex.quote(PROMPT + line)}\n{line}" for line in lines) + "\n"


def on_a_terminal(argv: list[str], cwd: Path, env: dict) -> str:
    """What a terminal shows while `argv` runs: stdout and stderr as they came, in order."""
    try:
        master, slave = os.openpty()
    except OSError as exc:
        pytest.skip(f"no pseudo-terminal here: {exc}")
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=slave, stdout=slave, stderr=slave,
                            start_new_session=True)
    os.close(slave)
    out, deadline = bytearray(), time.monotonic() + TIMEOUT
    try:
        while True:
            ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                proc.kill()
                pytest.fail(f"the session did not end in {TIMEOUT} s; it printed:\n{out.decode(errors='replace')}")
            try:
                chunk = os.read(master, 65536)
            except OSError:                       # EIO: the last writer closed the terminal
                break
            if not chunk:
                break
            out += chunk
    finally:
        proc.wait()
        os.close(master)
    return out.decode().replace("\r\n", "\n")


def prepare(tmp_path: Path) -> tuple[Path, dict]:
    """A clone-like folder, a home with the feed reader's export, and `monitor` on the PATH."""
    clone, home, bin_dir = tmp_path / "monitor", tmp_path / "home", tmp_path / "bin"
    for name in CLONE:
        shutil.copytree(ROOT / name, clone / name, ignore=shutil.ignore_patterns("*.db", "*.db-*", "__pycache__"))
    (home / "Downloads").mkdir(parents=True)
    (home / "Downloads" / "subscriptions.opml").write_text(SUBSCRIPTIONS)
    bin_dir.mkdir()
    shim = bin_dir / "monitor"
    shim.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -m monitor \"$@\"\n")
    shim.chmod(0o755)
    env = {k: v for k, v in os.environ.items()
           if k not in ("MONITOR_CONFIG", "XDG_CONFIG_HOME", "PYTHONSTARTUP", "COLUMNS", "LINES")}
    env.update(HOME=str(home), PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '/usr/bin:/bin')}",
               PYTHONPATH=str(ROOT), LC_ALL="C.UTF-8", PYTHONIOENCODING="utf-8", TERM="dumb")
    return clone, env


def run_session(block: str, tmp_path: Path) -> str:
    clone, env = prepare(tmp_path)
    return on_a_terminal(["sh", "-c", script(commands(block))], clone, env)


# ---- the tests -------------------------------------------------------------------------------

# The README's sessions, then any in docs/ (the same rules: docs/alerts.md's example).
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
SESSIONS = [(f"{page.relative_to(ROOT)}: {heading}", block)
            for page in PAGES if page.is_file() for heading, block in sessions(page.read_text())]
SESSIONS = [(where if [w for w, _ in SESSIONS].count(where) == 1 else f"{where} ({n})", block)
            for n, (where, block) in enumerate(SESSIONS, 1)]


def test_the_quick_start_is_a_session_right_under_its_heading():
    text = README.read_text()
    after = text[text.index("\n## Quick start\n"):]
    after = after[:after.index("\n## ", 5)]
    assert "```console\n" in after, "the Quick start section has no ```console session"
    quick = dict(SESSIONS)["README.md: Quick start"]
    names = {shlex.split(line)[1] for line in commands(quick) if line.startswith("monitor ")}
    assert {"ingest", "alerts"} <= names


@pytest.mark.parametrize("where, block", SESSIONS, ids=[where for where, _ in SESSIONS])
def test_a_session_prints_what_the_page_shows(where, block, tmp_path):
    assert commands(block), f"the session under {where!r} has no '$ ' command"
    shown, printed = normalise(block), normalise(run_session(block, tmp_path))
    diff = "\n".join(difflib.unified_diff(shown.splitlines(), printed.splitlines(), "shown", "printed",
                                          lineterm=""))
    assert printed == shown, f"the session under {where!r} prints something else than it shows:\n{diff}"


def test_normalising_keeps_every_count_and_word():
    """Only run-time values are replaced: a changed count, word or column still fails."""
    line = "  5 article(s) added, 0 already known, 5 alert(s); run 3 in 0.4 s at 2026-12-07T11:04:05+00:00"
    assert normalise(line) == "  5 article(s) added, 0 already known, 5 alert(s); run 3 in N s at <time>"
    assert normalise("made 2026-12-07 11:04 UTC; 0.2 MB") == "made <time> UTC; N MB"
    assert normalise("digest-20261207T110405Z-1-5.html") == "digest-<stamp>-1-5.html"


def test_a_changed_output_is_caught(tmp_path):
    """The comparison fails when the README shows other output than the command prints."""
    block = "$ monitor ingest --db seeds.db fixtures/seeds/000_413534c7782e8021.txt\n" \
            "1 article(s) added, 0 already known, 0 alert(s), 0 error(s)\n"
    printed = normalise(run_session(block, tmp_path))
    assert printed == normalise(block)
    assert normalise(block.replace("0 alert(s)", "1 alert(s)")) != printed
