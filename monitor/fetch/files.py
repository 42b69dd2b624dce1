"""`files` sources: a folder (and its `glob`); new or changed files are ingested, in name order.

A file is new when its path was not seen before, changed when its size or modification
time moved. Hidden files and folders are skipped.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from . import Batch
from .http import Client, FetchError

# File endings read as articles; the format itself is detected from the content.
SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".json", ".xml", ".rss", ".atom", ".rdf"}


def fetch(source, state: dict, client: Client) -> Batch:
    from ..pipeline import read             # the pipeline's reader: one set of rules for files
    folder = Path(source.path)
    if not folder.is_dir():
        raise FetchError(f"{folder}: not a folder")
    seen = dict(state.get("files", {}))
    batch = Batch(state={"files": seen})
    for path in sorted(p for p in folder.glob(source.glob) if p.is_file() and _wanted(p, folder)):
        stamp = [path.stat().st_mtime_ns, path.stat().st_size]
        if seen.get(str(path)) == stamp:
            continue
        try:
            batch.documents.append(read(str(path)))
        except InputError as exc:
            batch.errors.append(str(exc))
        seen[str(path)] = stamp
    return batch


def _wanted(path: Path, folder: Path) -> bool:
    parts = path.relative_to(folder).parts
    return path.suffix.lower() in SUFFIXES and not any(p.startswith(".") for p in parts)
