"""Writing output files whole or not at all, and only inside the folder they belong to."""
from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from ..errors import MonitorError


class OutputError(MonitorError):
    pass


def write_atomically(folder: Path, name: str, data: bytes) -> Path:
    """Write `folder/name` through a temporary file and a rename: a reader (or a crash) sees the
    old file or the new one, never half of one. `name` must be a plain file name."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        raise OutputError(f"{name!r}: not a plain file name")
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder.resolve() / name
        if target.parent != folder.resolve():
            raise OutputError(f"{target}: outside the output folder {folder}")
        # Created like any new file (0666 less the umask), not mkstemp's 0600: a digest folder is
        # often served or shared.
        temporary = folder / f".tmp-{secrets.token_hex(8)}.part"
        _remove_stale(folder)
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _sync_folder(folder)
    except OSError as exc:
        raise OutputError(f"{folder / name}: cannot write: {exc.strerror or exc}") from exc
    return target


# A temporary file older than this was left by a writer that was killed mid-write (a live
# one finishes a digest in well under a second); the next write removes it.
STALE_SECONDS = 60


def _remove_stale(folder: Path) -> None:
    cutoff = time.time() - STALE_SECONDS
    for part in folder.glob(".tmp-*.part"):
        try:
            if part.stat().st_mtime < cutoff:
                part.unlink()
        except FileNotFoundError:
            pass                        # another writer removed it first


def _sync_folder(folder: Path) -> None:
    """The rename itself is durable only once the folder is synced."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
