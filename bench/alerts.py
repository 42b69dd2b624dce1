"""`python -m bench.alerts`: how good the alerts are, on stories a reader labelled.

A story is a folder of articles and an `expected-alerts.json` listing them in arrival order
and the alerts a careful reader expects from them under ../shared/docs/alert-contract.md
(format: ../shared/seeds/expected-alerts.json). Each set of stories is played twice:
  1. one story at a time: a fresh store per story, one ingest per article in the listed order,
     then the store's alerts as `monitor alerts --json` prints them;
  2. mixed: all the stories through one store, interleaved (every story's first article, then
     every story's second, ...), as a monitor following many stories at once receives them;
     an alert that crosses stories matches no gold and counts false.
Alerts are matched to the gold by bench/alertscore.py, which counts as
../shared/eval/score.py does. Precision, recall and F1 are printed for figures, positions and
both, per story and overall (summed counts), for each mode.

Articles are ingested in this process, one `pipeline.ingest_paths` call per article on a store
opened afresh each time: what `monitor ingest --db DB ARTICLE` runs, without a Python start per
article. `--via cli` runs the real command per article instead (slower; the alerts are the same).

From the repository root:
    python -m bench.alerts                              # the project's stories, tests/stories/*/
    python -m bench.alerts ../shared/stories/*/         # the development stories
    python -m bench.alerts ../shared/stories            # the same: a folder of story folders
    python -m bench.alerts ../shared/seeds              # the seed story
    python -m bench.alerts -v --out /tmp/a.json DIR...  # list misses and false alerts; JSON elsewhere

Writes bench/results/alerts.json (the date, the commit, the machine, the arguments and every
count and rate), and ends with the line
    alerts F1: one at a time A (figures F, positions P); mixed M (figures F, positions P)
Exit 2 for a folder that is not a story, 1 when a story could not be played.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import alertscore

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_STORIES = ROOT / "tests" / "stories"
GOLD = "expected-alerts.json"
MODES = {"separate": "one story at a time, a fresh store each", "mixed": "all stories in one store, interleaved"}
# Columns of the table: a story name is cut to this width (the longest development story,
# surfside_condo_collapse_2021, fits); a cell holds "0.59 0.37 0.46 (730 500 124)".
NAME_WIDTH = 30
CELL_WIDTH = 28


class NotAStory(Exception):
    """An argument that is not a story folder: a usage error, exit 2."""


class PlayError(Exception):
    """An article the monitor refused (`monitor ingest` would exit 1): the story has no score."""


@dataclass
class Story:
    name: str
    folder: Path
    articles: list[Path]          # in arrival order
    golds: list[dict]


# ---- stories ---------------------------------------------------------------------------------

def find_stories(arguments: list[str]) -> list[Story]:
    """The stories the arguments name: each a story folder, or a folder of story folders."""
    folders = []
    for argument in arguments or [str(DEFAULT_STORIES)]:
        folder = Path(argument)
        if not folder.is_dir():
            raise NotAStory(f"{argument}: no such folder")
        inner = sorted(p for p in folder.iterdir() if (p / GOLD).is_file())
        if not (folder / GOLD).is_file() and not inner:
            raise NotAStory(f"{argument}: not a story folder (no {GOLD}, nor folders holding one)")
        folders += [folder] if (folder / GOLD).is_file() else inner
    stories = [load_story(folder) for folder in folders]
    return _named_apart(stories)


def load_story(folder: Path) -> Story:
    try:
        spec = json.loads((folder / GOLD).read_text(encoding="utf-8"))
        articles, golds = [folder / name for name in spec["articles"]], spec["alerts"]
    except (ValueError, KeyError, TypeError) as exc:
        raise NotAStory(f"{folder / GOLD}: unreadable ({exc})") from exc
    absent = [a.name for a in articles if not a.is_file()]
    if absent:
        raise NotAStory(f"{folder}: {GOLD} lists articles that are not there: {', '.join(absent)}")
    return Story(folder.name, folder, articles, golds)


def _named_apart(stories: list[Story]) -> list[Story]:
    """Stories named by their folder, or by the path given where two folders share a name;
    one folder given twice is played once."""
    seen, unique = set(), []
    for story in stories:
        if story.folder.resolve() not in seen:
            seen.add(story.folder.resolve())
            unique.append(story)
    names = [s.name for s in unique]
    for story in unique:
        if names.count(story.name) > 1:
            story.name = str(story.folder)
    return unique


def interleaved(stories: list[Story]) -> list[Path]:
    """Every story's first article, then every story's second, ...: the arrival order of the
    mixed store (score.py --mixed's order)."""
    longest = max(len(s.articles) for s in stories)
    return [s.articles[rank] for rank in range(longest) for s in stories if rank < len(s.articles)]


# ---- playing ---------------------------------------------------------------------------------

def play(articles: list[Path], via: str) -> list[dict]:
    """A fresh store, one ingest per article in order; its alerts, oldest first, as the
    contract's JSON objects."""
    with tempfile.TemporaryDirectory(prefix="monitor-bench-alerts-") as tmp:
        db = str(Path(tmp) / "store.db")
        ingest, alerts = (_ingest_cli, _alerts_cli) if via == "cli" else (_ingest_here, _alerts_here)
        for article in articles:
            ingest(db, article)
        return alerts(db)


def _ingest_here(db: str, article: Path) -> None:
    # What the `ingest` command runs, on a Store opened for the call as the command opens one
    # (nothing a Store caches outlives the call).
    from monitor import pipeline
    from monitor.store import Store

    store = Store(db)
    try:
        report = pipeline.ingest_paths(store, [str(article)])
    finally:
        store.close()
    if not report.ok:
        raise PlayError(f"ingest {article.name}: {'; '.join(report.errors)}")


def _alerts_here(db: str) -> list[dict]:
    # What `monitor alerts --db DB --json` prints, parsed.
    from monitor import notify
    from monitor.store import Store

    store = Store(db)
    try:
        text = notify.render("json", notify.digest(store, store.alerts(), sections=False))
    finally:
        store.close()
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _ingest_cli(db: str, article: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "monitor", "ingest", "--db", db, str(article)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise PlayError(f"ingest {article.name} exited {done.returncode}: {done.stderr.strip()[-400:]}")


def _alerts_cli(db: str) -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "monitor", "alerts", "--db", db, "--json"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise PlayError(f"alerts exited {done.returncode}: {done.stderr.strip()[-400:]}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


# ---- scoring ---------------------------------------------------------------------------------

def run_separate(stories: list[Story], via: str) -> dict:
    """Each story in a fresh store of its own."""
    started, rows = time.perf_counter(), {}
    for story in stories:
        try:
            rows[story.name] = _row(alertscore.tally(play(story.articles, via), story.golds))
        except PlayError as exc:
            rows[story.name] = {"error": str(exc)}
    return _mode(rows, sum(len(s.articles) for s in stories), time.perf_counter() - started)


def run_mixed(stories: list[Story], via: str) -> dict:
    """All stories through one store. Each alert is scored against the golds of the story its
    article belongs to; an alert on an article of no story (none should be) counts false."""
    started = time.perf_counter()
    try:
        alerts = play(interleaved(stories), via)
    except PlayError as exc:
        return _mode({"mixed": {"error": str(exc)}}, 0, time.perf_counter() - started)
    owner = _owners(stories)
    rows = {s.name: _row(alertscore.tally([a for a in alerts if owner(a) is s], s.golds)) for s in stories}
    strays = [a for a in alerts if owner(a) is None]
    if strays:
        rows["(no story)"] = _row(alertscore.tally(strays, []))
    return _mode(rows, sum(len(s.articles) for s in stories), time.perf_counter() - started)


def _owners(stories: list[Story]):
    """The story an alert's article belongs to: by its path (the monitor reports the path
    given to ingest); by its file name where it reports something else (a URL) and the name
    is one story's only. score.py pools every story's gold and matches on file names alone:
    the same counts while names are unique across stories (the stories' READMEs keep them so),
    and no gold of one story absorbing another's alert where they are not."""
    by_path = {a.resolve(): s for s in stories for a in s.articles}
    names = [a.name for s in stories for a in s.articles]
    by_name = {a.name: s for s in stories for a in s.articles if names.count(a.name) == 1}

    def owner(alert: dict) -> Story | None:
        article = str(alert.get("article") or "")
        found = by_path.get(Path(article).resolve()) if article and "://" not in article else None
        return found or by_name.get(article.rstrip("/").rsplit("/", 1)[-1])
    return owner


def _row(result: alertscore.Tally) -> dict:
    return {"kinds": _rated(result.counts), "missed": [_gold_brief(g) for g in result.missed],
            "false": [_alert_brief(a) for a in result.false]}


def _mode(rows: dict, articles: int, seconds: float) -> dict:
    scored = [r["kinds"] for r in rows.values() if "error" not in r]
    overall = alertscore.add(scored) if scored else alertscore.add([])
    return {"stories": rows, "overall": _rated(overall), "articles": articles, "seconds": round(seconds, 1),
            "failed": sorted(name for name, r in rows.items() if "error" in r)}


def _rated(counts: dict) -> dict:
    return {kind: {**c, **alertscore.rates(c["tp"], c["fp"], c["fn"])} for kind, c in counts.items()}


def _gold_brief(gold: dict) -> str:
    wanted = gold.get("value", gold.get("stance_any"))
    return f"{gold['kind']} {gold['article']} {wanted} — {gold.get('why', '')}"


def _alert_brief(alert: dict) -> str:
    what = alert.get("value") if alert.get("kind") == "figure" else alert.get("stance")
    return (f"{alert.get('kind')} {Path(str(alert.get('article'))).name} {alert.get('actor')!s:.40} | "
            f"{alert.get('subject')!s:.50} -> {what}")


# ---- output ----------------------------------------------------------------------------------

def commit() -> str:
    """The short commit, "+dirty" when the checkout has changes (untracked files included:
    a new module changes what runs); "unknown" outside a git checkout."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        status = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True)
    except OSError:
        return "unknown"
    if head.returncode != 0:
        return "unknown"
    return head.stdout.strip() + ("+dirty" if status.stdout.strip() else "")


def machine() -> str:
    """Cores, CPU model and Python, in bench/__main__.py's words (not imported from it: that
    would load the fetch benchmark and its HTTP stack for nothing)."""
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    cpu = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")),
               platform.processor())
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()}"


def table(results: dict) -> str:
    lines = [f"{results['date']}, commit {results['commit']}, {results['machine']}"]
    for mode, title in MODES.items():
        r = results["modes"][mode]
        lines += ["", f"{title} ({_stories(len(results['stories']))}, {r['articles']} articles, {r['seconds']:.1f} s)",
                  f"{'':<{NAME_WIDTH}}  " + "   ".join(f"{k:<{CELL_WIDTH}}" for k in ("figures", "positions", "all")),
                  f"{'story':<{NAME_WIDTH}}  " + "   ".join(f"{'P    R    F1   (tp fp fn)':<{CELL_WIDTH}}" for _ in range(3))]
        for name, row in r["stories"].items():
            lines.append(f"{name[:NAME_WIDTH]:<{NAME_WIDTH}}  " + (
                f"ERROR {row['error']}" if "error" in row else _cells(row["kinds"])))
        lines.append(f"{'overall':<{NAME_WIDTH}}  {_cells(r['overall'])}")
    return "\n".join(line.rstrip() for line in lines)


def details(results: dict) -> str:
    """The misses and false alerts behind the table, per mode and story."""
    lines = []
    for mode in MODES:
        for name, row in results["modes"][mode]["stories"].items():
            for line in [f"  missed: {g}" for g in row.get("missed", [])] + \
                        [f"  false:  {a}" for a in row.get("false", [])]:
                lines.append(f"[{mode}] {name}{line}")
    return "\n".join(lines)


def _shown(folder: Path) -> str:
    """A folder as the repository root sees it ("tests/stories/aircrash", "../shared/seeds"):
    the JSON is committed, and this checkout's absolute path is nobody else's."""
    return os.path.relpath(folder.resolve(), ROOT)


def _stories(n: int) -> str:
    return f"{n} {'story' if n == 1 else 'stories'}"


def _cells(kinds: dict) -> str:
    return "   ".join(f"{_rate(c['precision'])} {_rate(c['recall'])} {_rate(c['f1'])} "
                      f"({c['tp']} {c['fp']} {c['fn']})".ljust(CELL_WIDTH) for c in (kinds[k] for k in ("figure", "position", "all")))


def _rate(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.2f}".ljust(4)


def summary(results: dict) -> str:
    f1 = lambda mode, kind: _rate(results["modes"][mode]["overall"][kind]["f1"]).strip()
    return "alerts F1: " + "; ".join(
        f"{'one at a time' if mode == 'separate' else mode} {f1(mode, 'all')} "
        f"(figures {f1(mode, 'figure')}, positions {f1(mode, 'position')})" for mode in MODES)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.alerts", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stories", nargs="*", metavar="DIR", help="story folders (default: tests/stories/*/)")
    parser.add_argument("--via", choices=("here", "cli"), default="here",
                        help="ingest in this process (default) or one `monitor ingest` per article")
    parser.add_argument("--out", type=Path, default=RESULTS / "alerts.json", help="where the JSON goes")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the misses and false alerts")
    args = parser.parse_args(argv)
    try:
        stories = find_stories(args.stories)
    except NotAStory as exc:
        print(f"bench.alerts: {exc}", file=sys.stderr)
        return 2
    results = {"date": dt.date.today().isoformat(), "commit": commit(), "machine": machine(),
               "arguments": sys.argv[1:] if argv is None else argv, "via": args.via,
               "stories": {s.name: _shown(s.folder) for s in stories},
               "modes": {"separate": run_separate(stories, args.via), "mixed": run_mixed(stories, args.via)}}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(results))
    if args.verbose and details(results):
        print("\n" + details(results))
    print(summary(results))
    return 1 if any(results["modes"][mode]["failed"] for mode in MODES) else 0


if __name__ == "__main__":
    sys.exit(main())
