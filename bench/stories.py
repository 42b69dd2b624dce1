"""`python -m bench.stories [DIR...]`: how story assignment splits and merges events.

Each DIR is one true story: numbered articles in arrival order (with its
expected-alerts.json listing them, else every file but the json and SOURCES.md, sorted).
Without DIRs: the development stories (../shared/stories/*/), the seeds (../shared/seeds),
tests/stories/*/ and tests/validation*/*/.

Two measures, through the whole pipeline in process (as `monitor ingest` of one file at a
time does):
  alone: each story in a fresh store; how many story ids its articles get (ideal 1);
  mixed: all stories in ONE store, one article of each in turn (as score.py --mixed does);
         for each true story the number of story ids it lands in (splits), and for each
         story id the number of true stories it mixes (merges; worse than splits: the
         contract's §4 says a subject of one story is never another's).
Prints one line per story and the totals: splits (extra ids over all stories) and merges
(extra true stories over all ids), alone and mixed.
"""
from __future__ import annotations

import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def default_stories() -> list[Path]:
    folders = sorted((SHARED / "stories").glob("*/")) + [SHARED / "seeds"]
    folders += sorted((ROOT / "tests" / "stories").glob("*/"))
    folders += sorted(p for p in (ROOT / "tests").glob("validation*/*/"))
    return [f for f in folders if f.is_dir() and _articles(f)]


def _articles(folder: Path) -> list[Path]:
    spec = folder / "expected-alerts.json"
    if spec.exists():
        return [folder / name for name in json.loads(spec.read_text())["articles"]]
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix != ".json" and p.name != "SOURCES.md"
                  and p.name != "README.md")


def _ingest(db: Path, queue: list[tuple[str, Path]]) -> list[tuple[str, Path, set[int]]]:
    """Ingest the queue's files one at a time; each with the story ids its articles got."""
    from monitor import pipeline
    from monitor.store import Store

    store = Store(db)
    out = []
    for story, path in queue:
        before = store.db.execute("select coalesce(max(id), 0) from articles").fetchone()[0]
        report = pipeline.Report(run_id=store.start_run("bench", 1))
        pipeline.ingest_documents(store, [pipeline.read(str(path))], report, ahead=False)
        ids = {r[0] for r in store.db.execute("select story_id from articles where id > ?", [before])}
        out.append((story, path, ids))
    store.close()
    return out


def alone(folders: list[Path]) -> dict[str, list[int]]:
    """Each story in a fresh store: its articles' story ids in order (renumbered from 1)."""
    result = {}
    for folder in folders:
        with tempfile.TemporaryDirectory() as tmp:
            got = _ingest(Path(tmp) / "store.db", [(folder.name, p) for p in _articles(folder)])
        result[folder.name] = _renumber([min(ids) if ids else 0 for _, _, ids in got])
    return result


def mixed(folders: list[Path]) -> tuple[dict[str, list[int]], dict[int, set[str]]]:
    lists = [(f.name, _articles(f)) for f in folders]
    queue = [(name, arts[rank]) for rank in range(max(len(a) for _, a in lists))
             for name, arts in lists if rank < len(arts)]
    with tempfile.TemporaryDirectory() as tmp:
        got = _ingest(Path(tmp) / "store.db", queue)
    per_story, per_id = defaultdict(list), defaultdict(set)
    for story, _, ids in got:
        for i in ids:
            per_id[i].add(story)
        per_story[story].append(min(ids) if ids else 0)
    return dict(per_story), dict(per_id)


def _renumber(ids: list[int]) -> list[int]:
    seen = {}
    return [seen.setdefault(i, len(seen) + 1) for i in ids]


def main(argv: list[str]) -> None:
    folders = [Path(a) for a in argv if Path(a).is_dir()] or default_stories()   # (a glob may hold a README)
    solo = alone(folders)
    per_story, per_id = mixed(folders)
    print(f"{'story':40} {'alone':>5} {'mixed':>5} {'mixes':>5}  sequence alone | mixed")
    splits_alone = splits_mixed = 0
    for folder in folders:
        name = folder.name
        ids = per_story.get(name, [])
        mixes = max((len(per_id[i]) for i in set(ids)), default=0)
        n_alone, n_mixed = len(set(solo[name])), len(set(ids))
        splits_alone += n_alone - 1
        splits_mixed += n_mixed - 1
        print(f"{name:40} {n_alone:5} {n_mixed:5} {mixes:5}  {''.join(map(_digit, solo[name]))} | "
              f"{''.join(map(_digit, _renumber(ids)))}")
    merged = {i: sorted(s) for i, s in per_id.items() if len(s) > 1}
    for i, names in sorted(merged.items()):
        print(f"story id {i} mixes: {', '.join(names)}")
    merges = sum(len(s) - 1 for s in per_id.values())
    print(f"splits alone {splits_alone}; splits mixed {splits_mixed}; merges mixed {merges} "
          f"({len(folders)} stories, {len(per_id)} story ids)")


def _digit(i: int) -> str:
    return "0123456789abcdefghijklmnopqrstuvwxyz"[i] if i < 36 else "+"


if __name__ == "__main__":
    main(sys.argv[1:])
