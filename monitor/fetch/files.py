"""`files` sources: a folder (and its `glob`); new or changed files are ingested, in name order.

A file is new when its path was not seen before, changed when its size or modification
time moved; paths are kept relative to the folder, so the state does not depend on where
the monitor runs from. Hidden files and folders are skipped, and those matching one of the
source's `exclude` patterns. A source stays inside its folder: a
symlink (to a file or a folder) that leads out of it is not read, with a warning, unless the
source says `allow_outside = true` (a folder of links to a shared archive); one that stays
inside is read like the file it points to.
"""
from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import Path

from ..errors import InputError
from . import Batch
from .http import Client, FetchError

# File endings read as articles; the format itself is detected from the content.
SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".json", ".xml", ".rss", ".atom", ".rdf"}


def fetch(source, state: dict, client: Client) -> Batch:
    folder = Path(source.path)
    if not folder.is_dir():
        raise FetchError(f"{folder}: not a folder")
    root = folder.resolve()
    seen = dict(state.get("files", {}))
    batch = Batch(state={"files": seen})
    excluded = getattr(source, "exclude", ())
    for path in sorted(p for p in folder.glob(source.glob) if _wanted(p, folder, excluded) and p.is_file()):
        real = path.resolve()
        if root not in real.parents and not source.allow_outside:
            batch.warnings.append(f"{source.name}: {path}: leads to {real}, outside the folder {folder}: not read")
            continue
        stamp = [real.stat().st_mtime_ns, real.stat().st_size]
        key = path.relative_to(folder).as_posix()
        if seen.get(key) == stamp:
            continue
        _read(str(path), real, batch)
        seen[key] = stamp
    return batch


def _read(path: str, real: Path, batch: Batch) -> None:
    """The file at its checked real path, named by its path in the folder; the last part
    is not followed, so a symlink swapped in after the check is refused, not read."""
    from ..pipeline import read             # the pipeline's reader: one set of rules for files
    try:
        batch.documents.append(read(str(real), origin=path, follow=False))
    except InputError as exc:
        batch.errors.append(str(exc))


def _wanted(path: Path, folder: Path, excluded=()) -> bool:
    inside = path.relative_to(folder)
    if any(fnmatchcase(inside.as_posix(), pattern) for pattern in excluded):
        return False
    return path.suffix.lower() in SUFFIXES and not any(p.startswith(".") for p in inside.parts)
