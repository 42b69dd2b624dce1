"""Peak memory of a process and the processes it starts (the clean workers, their forkserver).

Each process's peak resident set is exact for itself (ru_maxrss) but says nothing of its
workers, and adding resident sets counts twice the pages a forked worker shares with its
forkserver. So the tree's proportional set size (PSS: each shared page split between the
processes that map it, from /proc/PID/smaps_rollup) is summed every SAMPLE_SECONDS, and the
peak reported is the larger of that sum's peak and the caller's own exact peak.
"""
from __future__ import annotations

import threading
from pathlib import Path

# A fifth of a second: the ingest's memory moves with the article in hand (tens of ms), and
# a peak of the store's cache or a large page lasts far longer than that.
SAMPLE_SECONDS = 0.2


class TreeMemory:
    """Samples the PSS of `pid` and its descendants on a thread until `stop()`."""

    def __init__(self, pid: int):
        self.pid, self.peak_kb = pid, 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> float:
        """The peak seen, in MB."""
        self._done.set()
        self._thread.join()
        return self.peak_kb / 1024

    def _run(self) -> None:
        while not self._done.wait(SAMPLE_SECONDS):
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in _tree(self.pid)))


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants, from each thread's list of children (Linux 3.5 on)."""
    found, frontier = [pid], [pid]
    while frontier:
        children = []
        for parent in frontier:
            for task in Path(f"/proc/{parent}/task").glob("*"):
                try:
                    children += [int(c) for c in (task / "children").read_text().split()]
                except OSError:
                    continue                   # a thread or process gone meanwhile
        found += children
        frontier = children
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass                                   # gone between the listing and the read: nothing held
    return 0


def available() -> bool:
    return Path("/proc/self/smaps_rollup").exists() and any(Path("/proc/self/task").glob("*/children"))
