"""Ingest throughput: articles made from the 181 benchmark pages, through the whole pipeline.

Each article is one of the pages with a few words of its first paragraph made unique ("In
edition qbx,"), so no copy is a duplicate and every one costs what its page costs. The
store is a fresh SQLite file; the stage times come from the pipeline's own stopwatch.
The documents reach the pipeline as one batch, as `monitor ingest` hands over its files: on
more than one core they are cleaned ahead in a worker process (monitor/clean/ahead.py),
whose start is inside the timing.

Baseline: `trafilatura.extract(html)` with its defaults, timed on each distinct page and
weighted by how often the page occurs in the corpus: the same work as running it over the
corpus, without spending minutes on copies.

Run alone (for the memory figure, in a process of its own):
    python -m bench.ingest --articles 2000 --db /tmp/bench.db
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import string
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT.parent / "shared/external/article-extraction/scrapinghub_aeb"
PARAGRAPH = re.compile(rb"<p(?:\s[^>]*)?>(.*?)</p>", re.I | re.S)


def load_pages(data: Path = PAGES) -> list[bytes]:
    """The benchmark's pages, in the ground truth's order."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    return [gzip.decompress((data / "html" / f"{key}.html.gz").read_bytes()) for key in truth]


def edition(n: int) -> bytes:
    """A word made of letters only, different for every n: no number the claim stage could read."""
    letters, word = string.ascii_lowercase, ""
    n += 26 * 26
    while n:
        n, r = divmod(n, 26)
        word = letters[r] + word
    return word.encode()


def spot(page: bytes, tries: int = 6) -> int | None:
    """Where a mark put into the page survives the cleaner: the start of one of its longest
    paragraphs, checked by cleaning the page once per try. None: no paragraph of the page
    reaches its article text (such pages are left out of the corpus)."""
    from monitor.clean import clean
    from monitor.errors import InputError
    from monitor.records import Document

    spans = sorted(((len(m.group(1)), m.start(1)) for m in PARAGRAPH.finditer(page)), reverse=True)
    for _, where in spans[:tries]:
        try:
            articles = clean(Document(origin="spot.html", body=page[:where] + b"Zqxjv kwpzy, " + page[where:]))
        except InputError:
            return None
        if any("Zqxjv kwpzy" in a.text for a in articles):
            return where
    return None


def corpus(pages: list[bytes], n: int, spots: list[int]):
    """n documents cycling through the pages (those with a spot), each made unique by a mark
    of letters at its spot; yields (page index, Document)."""
    from monitor.records import Document

    usable = [(page, where) for page, where in zip(pages, spots) if where is not None]
    for i in range(n):
        page, where = usable[i % len(usable)]
        mark = b"In edition " + edition(i) + b", "
        yield i % len(usable), Document(origin=f"bench/{i:05d}.html", body=page[:where] + mark + page[where:])


def ingest(n: int, db: Path, pages: list[bytes], spots: list[int], ahead: bool = True) -> dict:
    """Ingest n articles into a fresh store at `db`: counts, seconds and seconds per stage."""
    from monitor import pipeline
    from monitor.store import Store

    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    _warm(pages[0])
    store = Store(db)
    report = pipeline.Report(run_id=store.start_run("bench", n))
    start, cpu = time.perf_counter(), time.process_time()
    pipeline.ingest_documents(store, (document for _, document in corpus(pages, n, spots)), report, ahead=ahead)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    store.finish_run(report.run_id, "ok", report.added, len(report.alerts), report.errors)
    store.close()
    return {"articles": n, "added": report.added, "duplicates": report.duplicates, "errors": len(report.errors),
            "alerts": len(report.alerts), "seconds": seconds, "per_second": n / seconds,
            "workers": clean_stage_workers() if ahead else 0,
            "stages": {k: round(v, 3) for k, v in sorted(report.clock.seconds.items())},
            "cleaner_cpu": round(report.clock.cleaner, 3), "caller_cpu": round(cpu, 3)}


def clean_stage_workers() -> int:
    from monitor.clean import ahead
    return ahead.workers()


def _warm(page: bytes) -> None:
    """Imports, lexicons and compiled patterns loaded before the clock starts, as the
    baseline's are: a long-running monitor pays them once."""
    from monitor import claims, clean
    from monitor.records import Document

    for article in clean.clean(Document(origin="warm.html", body=page)):
        claims.extract(article, {})


def baseline(n: int, pages: list[bytes], spots: list[int]) -> dict:
    """trafilatura.extract alone: each distinct page of the corpus timed once, weighted by how
    often it occurs in the n articles."""
    import trafilatura

    pages = [page for page, where in zip(pages, spots) if where is not None]
    trafilatura.extract(pages[0])                   # its lazy imports and caches, as ours are warm
    counts = [n // len(pages) + (1 if i < n % len(pages) else 0) for i in range(len(pages))]
    seconds = 0.0
    for page, count in zip(pages, counts):
        start = time.perf_counter()
        trafilatura.extract(page)
        seconds += (time.perf_counter() - start) * count
    return {"articles": n, "seconds": seconds, "per_second": n / seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--spots", type=Path, help="the JSON list of spots, from a parent run")
    args = parser.parse_args()
    pages = load_pages()
    spots = json.loads(args.spots.read_text()) if args.spots else [spot(page) for page in pages]
    print(json.dumps({**ingest(args.articles, args.db, pages, spots), "caller_peak_mb": _own_peak_mb()}))


def _own_peak_mb() -> float | None:
    """This process's peak resident set since it was started (VmHWM). Not ru_maxrss: a child
    started by fork keeps its parent's resident set at the fork as its own maximum, so the
    benchmark's parent, holding the pages and the fetch results, showed through it."""
    status = Path("/proc/self/status")
    if not status.exists():
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = next(line for line in status.read_text().splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


if __name__ == "__main__":
    main()
