"""The files `monitor ingest` is given: a folder stands for the files inside it.

A folder's files are taken by name (so "001_...", "002_..." arrive in order), recursively,
skipping hidden files and folders (".git", editor swap files); anything else is passed on
as given, and the pipeline says what is wrong with it (missing, unreadable, a FIFO).
"""
from __future__ import annotations

from pathlib import Path


def expand(paths) -> list[str]:
    out: list[str] = []
    for given in paths:
        folder = Path(given)
        if not folder.is_dir():
            out.append(given)
            continue
        out.extend(str(p) for p in sorted(folder.rglob("*"), key=lambda p: p.relative_to(folder).parts)
                   if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))
    return out
