"""A fetch pass over 1,000 feeds served on 127.0.0.1-8 by bench/feedserver.py (a process of
its own): the first pass, then a second in which every feed answers 304.

Ours is the fetch phase of `monitor run` (schedule.fetch_all: worker threads, per-host
limits, the guarded HTTP client, conditional GET with the validators the first pass got).
Baseline, in the same run: `feedparser.parse(url)` over the same URLs, one after another.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

FEEDS = 1000
HOSTS = 8


def run() -> dict:
    server = subprocess.Popen([sys.executable, "-m", "bench.feedserver", "--hosts", str(HOSTS)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        info = json.loads(server.stdout.readline())
        urls = [f"http://{host}:{port}/f/{i}" for i in range(FEEDS)
                for host, port in [info["servers"][i % len(info["servers"])]]]
        return {"feeds": FEEDS, "distinct_feeds": info["feeds"], "hosts": HOSTS, **_ours(urls), **_baseline(urls)}
    finally:
        server.stdin.close()
        server.wait(timeout=30)


def _ours(urls: list[str]) -> dict:
    from monitor import fetch, schedule
    from monitor.config import Fetch, Source

    for kind in fetch.FETCHERS:             # imported before the clock starts, as feedparser is for
        fetch.fetcher(kind)                 # the baseline: a pass of a running monitor pays no imports

    sources = [Source(name=f"feed{i}", kind="feed", url=url, fetch_article=False) for i, url in enumerate(urls)]
    client = schedule.client_for(_config(Fetch(allow_private=True)))
    states, out = {}, {}
    for label in ("first_pass", "second_pass"):
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=schedule.WORKERS) as pool:
            pairs = schedule.fetch_all(pool, sources, states, client, Fetch().per_host)
            batches = {s.name: f.result() for s, f in pairs}
        out[label] = time.perf_counter() - start
        out[f"{label}_not_modified"] = sum(b.not_modified for b in batches.values())
        out[f"{label}_documents"] = sum(len(b.documents) for b in batches.values())
        states = {name: b.state for name, b in batches.items()}
    client.close()
    return out


def _config(fetch):
    from monitor.config import Config
    return Config(path="bench", store=":memory:", fetch=fetch)


def _baseline(urls: list[str]) -> dict:
    import feedparser

    start = time.perf_counter()
    entries = sum(len(feedparser.parse(url).entries) for url in urls)
    return {"baseline_sequential_feedparser": time.perf_counter() - start, "baseline_entries": entries}
