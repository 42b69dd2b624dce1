"""Diff cost as the store grows: the same articles ingested into stores holding 1k, 10k and
100k claims of synthetic history.

The history is written straight into the store's tables as a monitor that has run for a
while would have left it: 300 claims a day (about ten stories a day, 30 claims each: two
thirds figures, one third positions), ending now, so that 1k claims is three days of news,
10k a month and 100k most of a year. Its names are made up ("w:syn123"), so the measured
articles are judged against all of it without joining it.

The measured articles are the text of 40 benchmark pages (after one that warms the
connection), undated (so that story assignment
looks at the stories active in the last 30 days, by ingest time). Each size is measured on
REPEATS fresh copies and the fastest kept. The figure is the time per article of the diff
stage (the pipeline's "diff" stopwatch: story assignment's look-ups, the baseline's look-ups
and the comparisons), the work that would grow if history were scanned. Beside it: the diff
with the store's writes and commit around it, and the whole ingest. The writes grow by about
a quarter from 10k to 100k claims, nearly all of it in COMMIT (timed per store call: 0.68 ms
an article at 1k claims, 0.96 ms at 100k): SQLite writing more B-tree pages per article as
its indexes outgrow a few pages. Dropping the story-term index did not change it.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import time
from pathlib import Path

# Claims a day of synthetic history, and their shape (see the module docstring).
CLAIMS_PER_DAY = 300
CLAIMS_PER_ARTICLE = 10
ARTICLES_PER_STORY = 3
SIZES = (1_000, 10_000, 100_000)
MEASURED_ARTICLES = 41
# Fresh copies measured per size; the fastest is kept, the run least disturbed by the rest of
# the machine (a shared virtual machine's neighbours move single runs by a fifth).
REPEATS = 5


def build(path: Path, claims: int, seed: int = 7) -> None:
    """A store at `path` holding `claims` claims of synthetic history."""
    from monitor.store import Store

    rng = random.Random(seed)
    store = Store(path)
    now = dt.datetime.now(dt.timezone.utc)
    articles = claims // CLAIMS_PER_ARTICLE
    span = dt.timedelta(days=claims / CLAIMS_PER_DAY)
    rows = {name: [] for name in ("stories", "articles", "subjects", "topics", "claims", "figure_latest",
                                  "stance_latest", "people")}
    for a in range(articles):
        when = now - span + span * (a / max(articles - 1, 1))
        story = a // ARTICLES_PER_STORY + 1
        if a % ARTICLES_PER_STORY == 0:
            terms = {f"w:syn{story}x{i}": 3 for i in range(40)}
            rows["stories"].append({"id": story, "label": f"Synthetic story {story}", "titled": 1,
                                    "last_published": when.date().isoformat(), "terms": json.dumps(terms),
                                    "created": when.isoformat(timespec="seconds"),
                                    "updated": when.isoformat(timespec="seconds"), "articles": 3})
            for s in range(5):
                rows["subjects"].append({"key": f"{story}:deaths::Syn{story}x{s}:", "story_id": story, "cls": "deaths",
                                         "place": f"Syn{story}x{s}", "label": f"deaths (Syn{story}x{s})"})
            rows["topics"].append({"id": story, "story_id": story, "scale": "truth", "prospect": 0, "main": 1,
                                   "terms": json.dumps([f"syn{story}"]), "label": f"synthetic claim {story}"})
            rows["people"].append({"key": f"p:synperson{story}", "name": f"Syn Person{story}",
                                   "levels": json.dumps([[f"p:synperson{story}", f"Syn Person{story}"],
                                                         [f"g:syn{story}", f"Syn{story}"]])})
        article_id = a + 1
        rows["articles"].append({"id": article_id, "url": f"https://synthetic.example/{a}", "origin": f"syn/{a}",
                                 "canonical": f"https://synthetic.example/{a}", "fingerprint": f"syn{a}",
                                 "title": f"Synthetic article {a}", "published": when.date().isoformat(),
                                 "format": "text", "text": "Synthetic text.", "story_id": story, "version": 1,
                                 "ingested": when.isoformat(timespec="seconds")})
        for c in range(CLAIMS_PER_ARTICLE):
            claim_id = a * CLAIMS_PER_ARTICLE + c + 1
            if c < 7:
                key = f"{story}:deaths::Syn{story}x{c % 5}:"
                value = float(rng.randint(10, 5000))
                rows["claims"].append({"id": claim_id, "article_id": article_id, "kind": "figure", "subject_key": key,
                                       "actor_key": f"b:syn{story}/ministry{c}", "actor": "Syn ministry",
                                       "value": value, "sentence": f"The toll rose to {value:.0f}.", "past": 0})
                rows["figure_latest"].append({"subject_key": key, "source_key": f"b:syn{story}/ministry{c}",
                                              "source": "Syn ministry", "value": value, "vague": 0,
                                              "claim_id": claim_id, "article_id": article_id})
            else:
                rows["claims"].append({"id": claim_id, "article_id": article_id, "kind": "position", "topic_id": story,
                                       "actor_key": f"g:syn{story}x{c}", "actor": "Syn", "scale": "truth",
                                       "stance": "denies", "cue": "denied", "sentence": "Syn denied it.", "past": 0})
                rows["stance_latest"].append({"topic_id": story, "level_key": f"g:syn{story}x{c}", "level": "Syn",
                                              "stance": "denies", "claim_id": claim_id, "article_id": article_id})
    with store.transaction():
        for table, items in rows.items():
            pk = {"figure_latest": ("subject_key", "source_key"), "stance_latest": ("topic_id", "level_key"),
                  "people": "key", "subjects": "key"}.get(table, "id")
            store.db[table].upsert_all(items, pk=pk)
    store.close()


def measured_documents(pages: list[bytes], spots: list) -> list:
    """The text of the first MEASURED_ARTICLES usable pages, as undated text documents."""
    from monitor.clean import clean
    from monitor.records import Document

    docs = []
    for i, (page, spot) in enumerate(zip(pages, spots)):
        if spot is None:
            continue
        article = clean(Document(origin=f"page{i}.html", body=page))[0]
        text = f"{article.title or ''}\n\n{article.text}".encode()
        docs.append(Document(origin=f"bench/text{i}.txt", body=text))
        if len(docs) == MEASURED_ARTICLES:
            break
    return docs


def measure(store_path: Path, documents: list) -> dict:
    """Per-article times of documents[1:]; the first article opens the connection's caches
    (what a daemon pays once, and a cron pass once per pass) and is not counted."""
    from monitor import pipeline
    from monitor.store import Store

    store = Store(store_path)
    pipeline.ingest_documents(store, documents[:1], pipeline.Report(run_id=store.start_run("bench", 1)))
    report = pipeline.Report(run_id=store.start_run("bench", len(documents) - 1))
    start = time.perf_counter()
    pipeline.ingest_documents(store, documents[1:], report)
    total = time.perf_counter() - start
    store.close()
    stages = report.clock.seconds
    return {"diff_ms": 1000 * stages["diff"] / report.added, "store_ms": 1000 * stages["store"] / report.added,
            "diff_store_ms": 1000 * (stages["diff"] + stages["store"]) / report.added,
            "claims_ms": 1000 * stages["claims"] / report.added, "total_ms": 1000 * total / report.added,
            "added": report.added}


def run(work: Path, pages: list[bytes], spots: list) -> dict:
    documents = measured_documents(pages, spots)
    from bench.ingest import _warm
    _warm(pages[0])
    results = {}
    for size in SIZES:
        base = work / f"history{size}.db"
        build(base, size)
        runs = []
        for r in range(REPEATS):
            copy = work / f"run{size}-{r}.db"
            shutil.copy(base, copy)
            runs.append(measure(copy, documents))
            copy.unlink()
        results[size] = {"diff_ms": min(x["diff_ms"] for x in runs), "claims_ms": min(x["claims_ms"] for x in runs),
                         "store_ms": min(x["store_ms"] for x in runs),
                         "diff_store_ms": min(x["diff_store_ms"] for x in runs),
                         "total_ms": min(x["total_ms"] for x in runs), "articles": runs[0]["added"]}
        base.unlink()
    results["growth"] = results[SIZES[-1]]["diff_ms"] / results[SIZES[0]]["diff_ms"]
    results["growth_with_store"] = results[SIZES[-1]]["diff_store_ms"] / results[SIZES[0]]["diff_store_ms"]
    return results
