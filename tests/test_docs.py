"""Tests that check the docs (as sqlite-utils does): the README's commands exist, it stays
short and its links to docs/ lead somewhere, every command's docstring "Example:" runs against
a temporary store, and the security review (docs/security.md) names tests that exist.
tests/test_readme.py runs the README's sessions and compares what they print."""
from __future__ import annotations

import glob
import inspect
import re
import shlex

import pytest

from conftest import ROOT, count_rows, ingest_one_by_one, invoke
from monitor.cli import main

README = ROOT / "README.md"
DOCS = ROOT / "docs"
SECURITY = DOCS / "security.md"
DOCUMENTED = ["ingest", "alerts", "digest"]
# The README keeps to what a user needs first (issue 15); the detail lives in docs/.
README_MAX_LINES = 250


def readme_commands() -> list[list[str]]:
    """`monitor ...` command lines inside the README's fenced code blocks."""
    text = README.read_text()
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", text, re.M | re.S)
    lines = [line.strip().removeprefix("$ ") for block in blocks for line in block.splitlines()]
    return [shlex.split(line, comments=True) for line in lines if re.match(r"(?:python -m )?monitor\s", line)]


def examples(command) -> list[str]:
    """The command lines under "Example:" (or "Examples:") in a click command's docstring."""
    doc = inspect.cleandoc(command.help or "")
    after = re.split(r"Examples?:", doc, maxsplit=1)[-1] if re.search(r"Examples?:", doc) else ""
    return [line.strip() for line in after.splitlines() if line.strip().startswith("monitor ")]


def subcommand(argv: list[str]) -> str | None:
    args = argv[2:] if argv[:2] == ["python", "-m"] else argv
    return next((a for a in args[1:] if not a.startswith("-")), None)


# ---- README ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def readme():
    if not README.is_file():
        pytest.skip("README.md is absent")
    return readme_commands()


@pytest.mark.parametrize("name", DOCUMENTED)
def test_readme_shows_command(readme, name):
    assert any(subcommand(argv) == name for argv in readme), f"no `monitor {name}` in the README's code blocks"


def test_readme_commands_exist(readme):
    unknown = {subcommand(argv) for argv in readme} - set(main.commands) - {None}
    assert not unknown, f"the README shows commands the CLI does not have: {sorted(unknown)}"


def test_readme_is_short():
    lines = len(README.read_text().splitlines())
    assert lines < README_MAX_LINES, f"README.md has {lines} lines; move detail into docs/ (under {README_MAX_LINES})"


def markdown_links(page) -> list[str]:
    """The targets of a page's Markdown links, without their #anchor: relative ones only."""
    targets = re.findall(r"\]\(([^)\s]+)\)", page.read_text())
    return [t.split("#")[0] for t in targets if not re.match(r"[a-z]+:", t) and t.split("#")[0]]


def test_readme_links_into_docs_exist():
    links = [t for t in markdown_links(README) if t.startswith("docs/")]
    assert {"docs/alerts.md", "docs/config.md", "docs/store.md", "docs/measured.md", "docs/security.md"} <= set(links)
    missing = [t for t in links if not (ROOT / t).is_file()]
    assert not missing, f"the README links to files docs/ does not have: {missing}"


@pytest.mark.parametrize("page", sorted(DOCS.glob("*.md")), ids=lambda p: p.name)
def test_links_between_docs_exist(page):
    missing = [t for t in markdown_links(page) if not (page.parent / t).exists()]
    assert not missing, f"{page.name} links to files that do not exist: {missing}"


def test_readme_shows_every_command():
    """Each command of `monitor --help` appears in the README, run or named."""
    text = README.read_text()
    absent = [name for name in main.commands if not re.search(rf"monitor(?:\s+-\S+)*\s+{name}\b", text)]
    assert not absent, f"the README never shows: {absent}"


# ---- docstring examples ----------------------------------------------------------------------

@pytest.mark.parametrize("name", DOCUMENTED)
def test_documented_commands_exist(name):
    assert name in main.commands


@pytest.mark.parametrize("name", sorted(main.commands))
def test_command_docstring_has_an_example(name):
    assert examples(main.commands[name]), f"`monitor {name}` has no 'Example:' line in its docstring"


def run_example(line: str, tmp_path, db):
    """Run one docstring example: its store becomes `db`, globs expand from the project root,
    and a `> file` redirection writes stdout to a file in tmp_path."""
    line, _, redirect = line.partition(">")
    argv = shlex.split(line)[1:]                 # drop "monitor"
    args = []
    for arg in argv:
        if arg.endswith(".toml"):
            args.append(str(example_config(tmp_path, db)))
        elif arg.endswith(".db"):
            args.append(str(db))
        elif any(c in arg for c in "*?["):
            matched = sorted(glob.glob(str(ROOT / arg)))
            assert matched, f"example glob {arg!r} matches nothing under {ROOT}"
            args += matched
        else:
            args.append(arg.replace("~", str(tmp_path / "home"), 1) if arg.startswith("~") else arg)
    result = invoke(*args)
    if redirect.strip():
        (tmp_path / redirect.strip()).write_text(result.stdout)
    return result, (tmp_path / redirect.strip()) if redirect.strip() else None


def example_config(tmp_path, db):
    """A config like the bundled one, but on the test's store and the seed folder."""
    config = tmp_path / "example.toml"
    config.write_text(f'[store]\npath = "{db}"\n\n[[sources]]\nname = "Example feed"\nkind = "files"\n'
                      f'path = "{ROOT / "fixtures" / "seeds"}"\nglob = "*.txt"\n')
    return config


# The daemon runs until it is signalled; tests/test_schedule.py stops it with SIGTERM.
LONG_RUNNING = {"daemon"}


@pytest.mark.parametrize("name", sorted(set(main.commands) - LONG_RUNNING))
def test_command_docstring_example_runs(name, tmp_path, seed_files, monkeypatch):
    if name == "init":
        monkeypatch.chdir(tmp_path)             # `monitor init` writes ./monitor.toml: here, not in the project
    db = tmp_path / "example.db"
    if name != "ingest":
        ingest_one_by_one(db, seed_files)       # the other commands read a store that has articles
    for line in examples(main.commands[name]):
        result, written = run_example(line, tmp_path, db)
        assert result.exit_code == 0, f"{line!r} exited {result.exit_code}: {result.stderr}"
        if written is not None:
            assert written.read_text().strip(), f"{line!r} wrote an empty {written.name}"
        else:
            assert result.stdout.strip() or result.stderr.strip()


def test_ingest_example_stores_the_articles(tmp_path):
    db = tmp_path / "example.db"
    for line in examples(main.commands["ingest"]):
        run_example(line, tmp_path, db)
    assert count_rows(db, "articles") >= 1


# ---- the security review ----------------------------------------------------------------------

def security_references() -> list[tuple[str, str]]:
    """(file, test) for each `tests/FILE.py::TEST` or `FILE.py::TEST` in docs/security.md;
    `::TEST` alone is in the file named last."""
    text = SECURITY.read_text()
    refs, current = [], None
    for file, test in re.findall(r"`(?:tests/)?(test_\w+\.py)?::(test_\w+)`", text):
        current = file or current
        refs.append((current, test))
    return refs


def test_the_security_review_names_tests_that_exist():
    refs = security_references()
    assert len(refs) >= 25
    for file, test in refs:
        source = (ROOT / "tests" / file).read_text()
        assert re.search(rf"^def {test}\(", source, re.M), f"docs/security.md names {file}::{test}: no such test"
    files = {file for file, _ in refs}
    assert {"test_fetch.py", "test_hostile.py", "test_digest.py", "test_notify.py", "test_concurrency.py"} <= files
