"""Edits of the config file by `monitor sources`: add or remove a [[sources]] table.

tomlkit keeps the file as the user wrote it: comments, blank lines, key order and the
commented-out examples all survive an edit. Every edit is checked by reading the new text
as a config (config.parse) before it replaces the file, and the file is replaced
atomically (a temporary file in the same folder, then rename), so a bad edit or a crash
leaves the old config whole.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import tomlkit

from . import Config, ConfigError, _read, parse


def _document(path: Path):
    try:
        return tomlkit.parse(_read(path))
    except tomlkit.exceptions.ParseError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc


def add_sources(path: str | Path, tables: list[dict]) -> Config:
    """Append these [[sources]] tables; the config they make, or ConfigError (nothing written)."""
    file = Path(path)
    doc = _document(file)
    sources = doc.get("sources")
    if sources is None:
        sources = tomlkit.aot()
        doc.add(tomlkit.nl())                 # a blank line before the first [[sources]]
        doc.append("sources", sources)
    for table in tables:
        if len(sources):
            sources[-1].add(tomlkit.nl())     # a blank line between the last table and the new one
        item = tomlkit.table()
        for key, value in table.items():
            if value is not None:
                item.add(key, value)
        sources.append(item)
    return _write(file, doc)


def remove_source(path: str | Path, name: str) -> Config:
    """Remove the [[sources]] table called `name`; ConfigError when there is none."""
    file = Path(path)
    doc = _document(file)
    sources = doc.get("sources") or []
    index = next((i for i, table in enumerate(sources) if table.get("name") == name), None)
    if index is None:
        raise ConfigError(f"{file}: no source called {name!r}")
    del sources[index]
    if not len(sources):
        del doc["sources"]
    return _write(file, doc)


def _write(file: Path, doc) -> Config:
    text = tomlkit.dumps(doc)
    config = parse(text, file)               # refuses what `load` would refuse, with the same words
    fd, temp = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.absolute().parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        if file.exists():
            os.chmod(temp, file.stat().st_mode & 0o777)
        os.replace(temp, file)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise ConfigError(f"{file}: cannot write the config: {(exc.strerror or str(exc)).lower()}") from exc
    return config
