"""Cleaning ahead in worker processes (monitor/clean/ahead.py) changes when the cleaner runs,
never what the store holds: the same articles, claims, alerts and errors, in the same
order, as cleaning in the caller; a worker killed mid-batch costs one document an error."""
from __future__ import annotations

import os
import pickle
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from monitor import pipeline
from monitor.clean import ahead
from monitor.errors import InputError
from monitor.records import Document
from monitor.store import Store

pytestmark = pytest.mark.skipif(ahead.workers() == 0, reason="one core: nothing is cleaned ahead")


def _batch(seed_files, tmp_path: Path) -> list[str]:
    """The seed story with an empty file and a binary one among its articles, twice over."""
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "binary.bin").write_bytes(b"\x00\x01\x02 not text")
    files = [str(f) for f in seed_files]
    return files[:2] + [str(tmp_path / "empty.html")] + files[2:] + [str(tmp_path / "binary.bin"),
                                                                      str(tmp_path / "missing.txt")] + files


def _contents(db: Path) -> dict:
    with sqlite3.connect(db) as conn:
        return {table: conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
                for table in ("claims", "people", "story_terms")} | {
            "articles": conn.execute("SELECT fingerprint, story_id, version FROM articles ORDER BY id").fetchall(),
            "alerts": conn.execute("SELECT kind, subject, story_id FROM alerts ORDER BY id").fetchall()}


def test_a_batch_cleaned_ahead_stores_what_the_caller_would(seed_files, tmp_path, monkeypatch):
    files = _batch(seed_files, tmp_path)
    reports = {}
    for name, threshold in (("inline", 10**9), ("ahead", 2)):
        monkeypatch.setattr(ahead, "AHEAD_MIN", threshold)
        store = Store(tmp_path / f"{name}.db")
        reports[name] = pipeline.ingest_paths(store, files)
        store.close()
    assert reports["ahead"].errors == reports["inline"].errors
    assert len(reports["ahead"].errors) == 3 and "empty.html" in reports["ahead"].errors[0]
    assert [a.subject for a in reports["ahead"].alerts] == [a.subject for a in reports["inline"].alerts]
    assert reports["ahead"].alerts and reports["ahead"].clock.cleaner > 0
    assert _contents(tmp_path / "ahead.db") == _contents(tmp_path / "inline.db")


def test_input_errors_cross_processes_whole():
    error = pickle.loads(pickle.dumps(InputError("feeds/a.xml", "no article text found")))
    assert (error.origin, error.reason, str(error)) == ("feeds/a.xml", "no article text found",
                                                        "feeds/a.xml: no article text found")


def _workers(pid: int) -> list[int]:
    """The clean workers: children of our forkserver child (not the resource tracker)."""
    parents, commands = {}, {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            parents[int(proc.name)] = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            commands[int(proc.name)] = (proc / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
    servers = [p for p, parent in parents.items() if parent == pid and b"forkserver" in commands[p]]
    return [p for p, parent in parents.items() if parent in servers]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers through /proc")
def test_a_killed_worker_costs_one_document_and_the_rest_go_on(seed_files):
    documents = [Document(origin=f"{i}-{f.name}", body=f.read_bytes()) for i, f in enumerate(seed_files * 4)]
    results = ahead.clean_each(iter(documents), ahead=True)
    first = next(results)
    assert isinstance(first[1], list)
    workers = _workers(os.getpid())
    assert workers
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    rest = list(results)
    assert [r[0].origin for r in [first, *rest]] == [d.origin for d in documents]
    died = [r for r in rest if isinstance(r[1], InputError)]
    assert len(died) == 1 and "worker process died" in died[0][1].reason
    assert all(isinstance(r[1], list) and r[1] for r in rest if r not in died)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers through /proc")
def test_workers_do_not_outlive_a_killed_ingest(seed_files, tmp_path):
    """`kill -9` of the caller leaves no worker behind holding memory (clean/ahead.py, _watch)."""
    files = []
    for i in range(ahead.AHEAD_MIN + 20):
        source = seed_files[i % len(seed_files)]
        files.append(tmp_path / f"{i:04d}.txt")
        files[-1].write_text(source.read_text(encoding="utf-8") + f"\n\nEdition {'abcdefghij'[i % 10]}.\n")
    caller = subprocess.Popen([sys.executable, "-m", "monitor", "ingest", "-q", "--db", str(tmp_path / "k.db"),
                               *map(str, files)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = []
    for _ in range(300):                                  # until the pool has started (at most 30 s)
        workers = _workers(caller.pid)
        if workers or caller.poll() is not None:
            break
        time.sleep(0.1)
    assert workers, "the ingest finished before its pool was seen"
    caller.kill()
    caller.wait()
    for _ in range(100):                                  # a worker looks every WATCH_SECONDS
        if not any(Path(f"/proc/{pid}").exists() for pid in workers):
            break
        time.sleep(0.1)
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


class _NoSemaphores(ahead.ProcessPoolExecutor):
    """A machine without /dev/shm (some containers): SemLock fails with ENOSYS. Not something
    this machine can be made into, so the pool is told to fail the way it fails there."""

    def __init__(self, *args, **kwargs):
        raise OSError(38, "Function not implemented")


class _NoNewProcesses(ahead.ProcessPoolExecutor):
    """A process limit reached: starting a worker fails with EAGAIN."""

    def submit(self, *args, **kwargs):
        raise OSError(11, "Resource temporarily unavailable")


@pytest.mark.parametrize("pool", [_NoSemaphores, _NoNewProcesses])
def test_without_a_pool_documents_are_cleaned_in_the_caller(seed_files, monkeypatch, caplog, pool):
    monkeypatch.setattr(ahead, "ProcessPoolExecutor", pool)
    documents = [Document(origin=f.name, body=f.read_bytes()) for f in seed_files]
    results = list(ahead.clean_each(iter(documents), ahead=True))
    assert [r[0].origin for r in results] == [d.origin for d in documents]
    assert all(isinstance(r[1], list) and r[1] for r in results)
    assert "cleaned in this process" in caplog.text
