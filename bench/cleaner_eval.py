"""Score the cleaner on the scrapinghub article-extraction benchmark (181 news pages).

Usage, from the repository root:

    python -m bench.cleaner_eval [--data DIR]

Compares `monitor.clean.clean` with `trafilatura.extract(html)` (default settings) on the
same pages, scored as the benchmark's evaluate.py does: `\\w+` tokens (case kept), bags of
4-token shingles per page, tp/fp/fn normalised by their sum so every page weighs the same,
precision averaged over pages with tp+fp > 0, recall over pages with tp+fn > 0, F1 the
harmonic mean of those two averages. The same figures over single tokens (n=1) are
reported too. A page that raises or yields no text scores as an empty prediction and is
counted as failed; every exception `clean` raises is listed. Writes bench/results/cleaner.json.
No network is used: sockets are refused while the run lasts.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import socket
import statistics
import time
from collections import Counter
from pathlib import Path

import trafilatura

from monitor.clean import clean
from monitor.records import Document

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared/external/article-extraction/scrapinghub_aeb"
RESULTS = ROOT / "bench/results/cleaner.json"
TOKEN = re.compile(r"\w+")
SHINGLE_N = {"shingle4": 4, "token": 1}   # benchmark's own metric first


def _refuse_network() -> None:
    def refuse(*_args, **_kwargs):
        raise OSError("bench.cleaner_eval: network access is not allowed")
    socket.socket.connect = refuse
    socket.create_connection = refuse


def load_pages(data: Path) -> dict[str, tuple[bytes, str]]:
    """page id -> (html bytes, true article body), in ground-truth order."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    return {key: (gzip.decompress((data / "html" / f"{key}.html.gz").read_bytes()),
                  entry.get("articleBody", "") or "")
            for key, entry in truth.items()}


def run_clean(key: str, html: bytes) -> str:
    articles = clean(Document(origin=f"aeb/{key}.html", body=html))
    return "\n\n".join(a.text for a in articles)


def run_trafilatura(key: str, html: bytes) -> str:
    return trafilatura.extract(html) or ""


def warm_up(pages: dict) -> None:
    """One untimed call each, so lazy imports and lexicon loading are not billed to one side."""
    key, (html, _) = next(iter(pages.items()))
    for extract in (run_clean, run_trafilatura):
        try:
            extract(key, html)
        except Exception:
            pass  # the timed run records it


def predict(extract, pages: dict) -> tuple[dict[str, str], dict[str, str], float]:
    """(page id -> text, page id -> 'Type: message' for raised pages, seconds)."""
    texts, errors = {}, {}
    start = time.perf_counter()
    for key, (html, _) in pages.items():
        try:
            texts[key] = extract(key, html)
        except Exception as exc:  # a bug to report, the run goes on
            texts[key] = ""
            errors[key] = f"{type(exc).__name__}: {exc}"
    return texts, errors, time.perf_counter() - start


def shingles(text: str, n: int) -> Counter:
    tokens = TOKEN.findall(text)
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1))
                   if tokens[i:i + n])


def match(true: str, pred: str, n: int) -> tuple[float, float, float]:
    """(tp, fp, fn) over shingle bags, normalised to sum to 1 when any is non-zero."""
    t, p = shingles(true, n), shingles(pred, n)
    tp = sum((t & p).values())
    fp, fn = sum((p - t).values()), sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def page_f1(tp: float, fp: float, fn: float) -> float:
    return 1.0 if fp == fn == 0 else 2 * tp / (2 * tp + fp + fn)


def aggregate(counts: list[tuple[float, float, float]]) -> dict[str, float]:
    """Benchmark averaging: per-page P and R (1.0 when fp == fn == 0), then F1 of the means."""
    precision = statistics.mean(1.0 if fp == fn == 0 else tp / (tp + fp)
                                for tp, fp, fn in counts if tp + fp > 0)
    recall = statistics.mean(1.0 if fp == fn == 0 else tp / (tp + fn)
                             for tp, fp, fn in counts if tp + fn > 0)
    return {"precision": precision, "recall": recall,
            "f1": 2 * precision * recall / (precision + recall)}


def score(name: str, extract, pages: dict) -> dict:
    texts, errors, seconds = predict(extract, pages)
    result = {"system": name, "pages": len(pages), "seconds": round(seconds, 2),
              "failed": sorted(k for k, t in texts.items() if not t.strip()),
              "exceptions": errors}
    for metric, n in SHINGLE_N.items():
        counts = {k: match(truth, texts[k], n) for k, (_, truth) in pages.items()}
        result[metric] = aggregate(list(counts.values()))
        result[f"{metric}_page_f1"] = {k: round(page_f1(*c), 4) for k, c in counts.items()}
    return result


def worst_pages(ours: dict, base: dict, top: int = 10) -> list[dict]:
    """Pages where our F1 (benchmark metric) falls furthest below trafilatura alone."""
    a, b = ours["shingle4_page_f1"], base["shingle4_page_f1"]
    gaps = sorted(((b[k] - a[k], k) for k in a), reverse=True)[:top]
    return [{"page": k, "gap": round(g, 4), "ours": a[k], "trafilatura": b[k]}
            for g, k in gaps if g > 0]


def print_table(results: list[dict]) -> None:
    print(f"{'system':<12} {'metric':<9} {'P':>6} {'R':>6} {'F1':>6} {'pages':>6} {'failed':>7} {'secs':>7}")
    for r in results:
        for metric in SHINGLE_N:
            m = r[metric]
            print(f"{r['system']:<12} {metric:<9} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f}"
                  f" {r['pages']:6d} {len(r['failed']):7d} {r['seconds']:7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="benchmark folder")
    args = parser.parse_args()
    _refuse_network()
    pages = load_pages(args.data)
    warm_up(pages)
    ours = score("clean", run_clean, pages)
    base = score("trafilatura", run_trafilatura, pages)
    print_table([ours, base])
    worst = worst_pages(ours, base)
    for w in worst:
        print(f"  worse than trafilatura: {w['page'][:16]}  F1 {w['ours']:.3f} vs {w['trafilatura']:.3f}")
    for key, message in ours["exceptions"].items():
        print(f"  clean raised on {key}: {message}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"data": str(args.data), "systems": [ours, base],
                                   "worst_vs_trafilatura": worst}, indent=2) + "\n")
    print(f"written {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
