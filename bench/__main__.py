"""`python -m bench`: how fast monitor is, how big it gets, and what it costs.

Runs, from the repository root after the README's set-up, with no network:
  1. ingest throughput: 2,000 articles made from the 181 scrapinghub benchmark pages, through
     the whole pipeline in a process of its own (time per stage from the pipeline's
     stopwatch), against trafilatura.extract alone on the same pages (bench/ingest.py);
  2. diff cost with 1k, 10k and 100k claims of history already stored (bench/diffgrowth.py);
  3. a fetch pass over 1,000 real feeds served on 127.0.0.1-8, then a second pass that is
     all 304s, against sequential feedparser.parse(url) (bench/fetchpass.py);
  4. peak memory of the 2,000-article ingest and of a 10,000-article one.
The 10,000-article ingest measures memory only, and runs last, alone: the timed benchmarks
run on a quiet machine, one after another (an earlier version ran the memory run beside
them at nice 19, so that every timing shared the machine with it).
The ingests clean ahead in a worker process where there is more than one core
(monitor/clean/ahead.py); their memory is that of the whole process tree (bench/memory.py).

Prints a table, writes bench/results/bench.json, and ends with the line
    ingest ratio R; diff growth G; fetch speedup F; second pass S; peak MB M
"""
from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import diffgrowth, fetchpass, ingest, memory

RESULTS = Path(__file__).resolve().parent / "results"
SPOTS = RESULTS / "spots.json"
# The sizes; BENCH_ARTICLES and BENCH_MEMORY_ARTICLES make a quick trial run.
THROUGHPUT_ARTICLES = int(os.environ.get("BENCH_ARTICLES", 2_000))
MEMORY_ARTICLES = int(os.environ.get("BENCH_MEMORY_ARTICLES", 10_000))
TARGETS = {"ingest_ratio": ("<=", 1.3), "diff_growth": ("<=", 1.2), "fetch_speedup": (">=", 10.0),
           "second_pass": (">=", 5.0), "peak_mb": ("<=", 300.0)}


def main() -> None:
    started = time.monotonic()
    pages = ingest.load_pages()
    spots = _spots(pages)
    work = Path(tempfile.mkdtemp(prefix="monitor-bench-"))
    say = lambda text: print(f"[{time.monotonic() - started:5.0f} s] {text}", file=sys.stderr, flush=True)
    say("baseline: trafilatura.extract on the corpus's pages")
    baseline = ingest.baseline(THROUGHPUT_ARTICLES, pages, spots)
    say("diff cost with 1k, 10k and 100k claims stored")
    growth = diffgrowth.run(work, pages, spots)
    say("fetch passes over 1,000 feeds, and sequential feedparser")
    fetch = fetchpass.run()
    say(f"ingest of {THROUGHPUT_ARTICLES:,} articles")
    small = _finish(_start_ingest(THROUGHPUT_ARTICLES, work / "small.db"))
    say(f"ingest of {MEMORY_ARTICLES:,} articles, for its memory")
    big = _finish(_start_ingest(MEMORY_ARTICLES, work / "big.db"))
    shutil.rmtree(work)
    say("done")
    results = _results(baseline, growth, fetch, small, big)
    results["seconds"] = round(time.monotonic() - started, 1)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bench.json").write_text(json.dumps(results, indent=2) + "\n")
    print(_table(results))
    f = results["figures"]
    print(f"ingest ratio {f['ingest_ratio']:.2f}; diff growth {f['diff_growth']:.2f}; "
          f"fetch speedup {f['fetch_speedup']:.1f}; second pass {f['second_pass']:.1f}; peak MB {f['peak_mb']:.0f}")


def _spots(pages: list[bytes]) -> list:
    """Where each page takes its mark (bench/ingest.py), computed once and kept with the results."""
    if SPOTS.exists():
        spots = json.loads(SPOTS.read_text())
        if len(spots) == len(pages):
            return spots
    spots = [ingest.spot(page) for page in pages]
    RESULTS.mkdir(exist_ok=True)
    SPOTS.write_text(json.dumps(spots) + "\n")
    return spots


def _start_ingest(articles: int, db: Path) -> tuple[subprocess.Popen, memory.TreeMemory | None]:
    process = subprocess.Popen([sys.executable, "-m", "bench.ingest", "--articles", str(articles), "--db", str(db),
                                "--spots", str(SPOTS)], stdout=subprocess.PIPE, text=True)
    return process, memory.TreeMemory(process.pid) if memory.available() else None


def _finish(started: tuple[subprocess.Popen, memory.TreeMemory | None]) -> dict:
    """The child's JSON result with its peak memory: its own peak resident set (it reports it)
    or, when larger, the peak PSS of it and its clean workers together (bench/memory.py)."""
    process, tree = started
    out = json.loads(process.stdout.read())
    if process.wait() != 0:
        raise SystemExit(f"bench: an ingest run exited {process.returncode}")
    together = tree.stop() if tree else 0.0
    return {**out, "peak_mb": max(out["caller_peak_mb"], together), "tree_peak_pss_mb": together}


def _results(baseline: dict, growth: dict, fetch: dict, small: dict, big: dict) -> dict:
    per_article = small["seconds"] / small["articles"]
    figures = {
        "ingest_ratio": per_article / (baseline["seconds"] / baseline["articles"]),
        "diff_growth": growth["growth"],
        "fetch_speedup": fetch["baseline_sequential_feedparser"] / fetch["first_pass"],
        "second_pass": fetch["first_pass"] / fetch["second_pass"],
        "peak_mb": max(small["peak_mb"], big["peak_mb"]),
    }
    # Not a target: the CPU an article costs in all processes, against trafilatura's. Cleaning
    # ahead moves the wall figure, not this one.
    cpu = small["caller_cpu"] + (small["cleaner_cpu"] if small["workers"] else 0.0)
    cpu_ratio = (cpu / small["articles"]) / (baseline["seconds"] / baseline["articles"])
    return {"date": dt.date.today().isoformat(), "machine": _machine(), "figures": figures, "cpu_ratio": cpu_ratio,
            "targets": {k: f"{op} {v:g}" for k, (op, v) in TARGETS.items()},
            "ingest": small, "ingest_10k": big, "baseline": baseline, "diff": growth, "fetch": fetch}


def _machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()}"


def _met(name: str, value: float) -> str:
    op, target = TARGETS[name]
    return "met" if (value <= target if op == "<=" else value >= target) else "MISSED"


def _table(r: dict) -> str:
    f, s, b, g, fe = r["figures"], r["ingest"], r["baseline"], r["diff"], r["fetch"]
    per = lambda seconds: 1000 * seconds / s["articles"]
    stages = ", ".join(f"{'clean (waited)' if k == 'clean' and s['workers'] else k} {per(v):.1f}"
                       for k, v in s["stages"].items())
    rows = [
        ("ingest", f"{s['per_second']:.1f} articles/s ({per(s['seconds']):.1f} ms each: {stages} ms); "
                   f"trafilatura.extract alone {b['per_second']:.1f}/s", f"ratio {f['ingest_ratio']:.2f}",
         _met("ingest_ratio", f["ingest_ratio"])),
        ("", f"CPU: cleaner {per(s['cleaner_cpu']):.1f} ms an article in {s['workers'] or 'no'} worker process"
             f"{'es' if s['workers'] != 1 else ''}, the rest {per(s['caller_cpu']):.1f} ms", f"CPU ratio {r['cpu_ratio']:.2f}",
         "(not a target)"),
        ("diff", " / ".join(f"{k // 1000}k claims {g[k]['diff_ms']:.2f} ms" for k in diffgrowth.SIZES),
         f"growth {f['diff_growth']:.2f}", _met("diff_growth", f["diff_growth"])),
        ("", "with the store's writes: " + " / ".join(f"{g[k]['diff_store_ms']:.2f}" for k in diffgrowth.SIZES) + " ms",
         f"growth {g['growth_with_store']:.2f}", "(not a target)"),
        ("fetch", f"first pass {fe['first_pass']:.2f} s, sequential feedparser {fe['baseline_sequential_feedparser']:.2f} s",
         f"speedup {f['fetch_speedup']:.1f}", _met("fetch_speedup", f["fetch_speedup"])),
        ("304s", f"second pass {fe['second_pass']:.2f} s ({fe['second_pass_not_modified']} not modified)",
         f"{f['second_pass']:.1f}x faster", _met("second_pass", f["second_pass"])),
        ("memory", f"{s['articles']:,} articles {s['peak_mb']:.0f} MB, {r['ingest_10k']['articles']:,} articles "
                   f"{r['ingest_10k']['peak_mb']:.0f} MB", f"peak {f['peak_mb']:.0f} MB", _met("peak_mb", f["peak_mb"])),
    ]
    width = max(len(row[1]) for row in rows)
    lines = [f"{r['date']}, {r['machine']}, {r['seconds']:.0f} s", ""]
    lines += [f"{name:<7} {detail:<{width}}  {figure:<14} {verdict}" for name, detail, figure, verdict in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
