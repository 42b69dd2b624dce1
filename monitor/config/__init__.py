"""The TOML config: the store, fetch settings and sources, validated when read. The
[[notifiers]] tables are read in notifiers.py, the checks every table shares are in values.py;
every name callers used from monitor.config is here.

An error names the key, the value and what is allowed:
    config/monitor.toml: sources[2].kind = 'rss': use one of feed, wordpress, page, files
"""
from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..fetch import addresses, http
from .notifiers import (ATOM_ENTRIES, DIGEST_FORMATS, NOTIFIER_KEYS, NOTIFIER_KINDS, NOTIFY_TIMEOUT, TLS_MODES,
                        Notifier, notifiers)
from .values import (BIDI_CONTROLS, DURATION, DURATION_MAX, EVERY_MIN, SECONDS, TIMEOUT_MIN, ConfigError, _bool,
                     _int, _name, _only, _printable_ascii, _relative, _string, _url_host, duration)

KINDS = ("feed", "wordpress", "page", "files")
# A config file larger than this is not one: the sample is 3 KB, a thousand sources about 200 KB.
CONFIG_MAX_BYTES = 1024 * 1024
# A source failing this many times in a row is disabled until `monitor enable` (or a config
# edit that sets enabled again): five failures at 15-minute intervals is over an hour down.
MAX_FAILURES = 5
# Backoff after a failure: the interval doubles from BACKOFF_BASE up to BACKOFF_MAX.
BACKOFF_BASE = 60.0
BACKOFF_MAX = 6 * 3600.0


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    url: str | None = None
    path: str | None = None
    every: float = 900.0
    enabled: bool = True
    fetch_article: bool = True
    per_page: int = 20
    max_pages: int = 5
    glob: str = "**/*"
    allow_private: bool | None = None   # None (made in code): the client's own policy
    allow_outside: bool = False          # files: symlinks leading out of the folder are read
    exclude: tuple[str, ...] = ()        # files: patterns (inside the folder) of files not read

    @property
    def target(self) -> str:
        return self.url or self.path or ""


@dataclass(frozen=True)
class Fetch:
    allow_private: bool = False
    timeout: float = http.TOTAL_SECONDS
    max_bytes: int = http.MAX_BYTES
    max_redirects: int = http.MAX_REDIRECTS
    per_host: int = 2
    max_failures: int = MAX_FAILURES
    user_agent: str = http.USER_AGENT


@dataclass(frozen=True)
class Config:
    path: str
    store: str
    fetch: Fetch = Fetch()
    sources: tuple[Source, ...] = field(default_factory=tuple)
    notifiers: tuple[Notifier, ...] = field(default_factory=tuple)


def load(path: str | Path) -> Config:
    file = Path(path)
    try:
        return parse(_read(file), file)
    except FileNotFoundError as exc:
        raise ConfigError(f"{file}: no such config file") from exc
    except OSError as exc:               # its reason, not "[Errno 13] ...: 'path'" again
        raise ConfigError(f"{file}: unreadable: {(exc.strerror or str(exc)).lower()}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{file}: unreadable: not UTF-8 text (byte {exc.start})") from exc


def parse(text: str, file: Path) -> Config:
    """The config in `text`, as if read from `file` (its paths are relative to its folder):
    how an edit is checked before it is written (edit.py)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML: {exc}") from exc
    return _config(file, data)


FILE_TYPES = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
              (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _read(file: Path) -> str:
    """The config's text. Opened without blocking and checked to be a regular file before a
    byte is read: a FIFO would wait for a writer for ever, /dev/zero would fill memory."""
    fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in FILE_TYPES if test(mode)), "a special file")
            raise ConfigError(f"{file}: not a regular file ({kind}); give the path of a TOML config file")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(CONFIG_MAX_BYTES + 1)
    finally:
        os.close(fd)
    if len(raw) > CONFIG_MAX_BYTES:
        raise ConfigError(f"{file}: over {CONFIG_MAX_BYTES:,} bytes, too large for a config file")
    return raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")   # as text mode read it


def _config(file: Path, data: dict) -> Config:
    _only(file, "", data, {"store", "fetch", "sources", "notifiers"})
    store = data.get("store", {})
    _only(file, "store", store, {"path"})
    store_path = _string(file, "store.path", store.get("path", "monitor.db"))
    fetch = _fetch(file, data.get("fetch", {}))
    sources = data.get("sources", [])
    if not isinstance(sources, list):
        raise ConfigError(f"{file}: sources must be an array of tables ([[sources]])")
    parsed = tuple(_source(file, i, s, fetch.allow_private) for i, s in enumerate(sources))
    names = [s.name for s in parsed]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate:
        raise ConfigError(f"{file}: sources: the name {duplicate!r} is used twice; names must be unique")
    return Config(path=str(file), store=str(_relative(file, store_path)),
                  fetch=fetch, sources=parsed,
                  notifiers=notifiers(file, data.get("notifiers", [])))


def _fetch(file: Path, table: dict) -> Fetch:
    _only(file, "fetch", table, {"allow_private", "timeout", "max_bytes", "max_redirects", "per_host",
                                 "max_failures", "user_agent"})
    d = Fetch()
    return Fetch(
        allow_private=_bool(file, "fetch.allow_private", table.get("allow_private", d.allow_private)),
        timeout=duration(file, "fetch.timeout", table.get("timeout", d.timeout), TIMEOUT_MIN),
        max_bytes=_int(file, "fetch.max_bytes", table.get("max_bytes", d.max_bytes), 1024),
        max_redirects=_int(file, "fetch.max_redirects", table.get("max_redirects", d.max_redirects), 0),
        per_host=_int(file, "fetch.per_host", table.get("per_host", d.per_host), 1),
        max_failures=_int(file, "fetch.max_failures", table.get("max_failures", d.max_failures), 1),
        user_agent=_printable_ascii(file, "fetch.user_agent", table.get("user_agent", d.user_agent)))


def _source(file: Path, i: int, table, allow_private: bool) -> Source:
    key = f"sources[{i}]"
    if not isinstance(table, dict):
        raise ConfigError(f"{file}: {key} must be a table")
    _only(file, key, table, {"name", "kind", "url", "path", "glob", "every", "enabled", "fetch_article", "per_page",
                                 "max_pages", "allow_private", "allow_outside", "exclude"})
    kind = table.get("kind")
    if kind not in KINDS:
        raise ConfigError(f"{file}: {key}.kind = {kind!r}: use one of {', '.join(KINDS)}")
    name = _name(file, f"{key}.name", table.get("name"))
    allow_private = _bool(file, f"{key}.allow_private", table.get("allow_private", allow_private))
    url, path = table.get("url"), table.get("path")
    if kind == "files":
        path = str(_relative(file, _string(file, f"{key}.path", path)))
    elif not isinstance(url, str) or not re.match(r"^https?://[^\s/]+", url):
        raise ConfigError(f"{file}: {key}.url = {url!r}: a {kind} source needs an http:// or https:// URL")
    else:
        _url_host(file, f"{key}.url", url)
        _reachable(file, f"{key}.url", url, allow_private)
    return Source(name=name, kind=kind, url=url if kind != "files" else None, path=path if kind == "files" else None,
                  every=duration(file, f"{key}.every", table.get("every", "15m"), EVERY_MIN),
                  enabled=_bool(file, f"{key}.enabled", table.get("enabled", True)),
                  fetch_article=_bool(file, f"{key}.fetch_article", table.get("fetch_article", True)),
                  per_page=_int(file, f"{key}.per_page", table.get("per_page", 20), 1, 100),
                  max_pages=_int(file, f"{key}.max_pages", table.get("max_pages", 5), 1),
                  glob=_glob(file, f"{key}.glob", table.get("glob", "**/*")), allow_private=allow_private,
                  allow_outside=_bool(file, f"{key}.allow_outside", table.get("allow_outside", False)),
                  exclude=_excludes(file, f"{key}.exclude", table.get("exclude", [])))


def _reachable(file: Path, key: str, url: str, allow_private: bool) -> None:
    """A URL whose host is a literal address the fetcher would refuse is refused now, where
    the key can be named (a host name is checked when it resolves, at each fetch)."""
    try:
        literal = addresses.literal_address(urlsplit(url).hostname or "")
    except ValueError as exc:
        raise ConfigError(f"{file}: {key} = {url!r}: not a usable URL ({exc})") from exc
    reason = literal and addresses.address_refused(literal, allow_private)
    if not reason:
        return
    if "metadata" in reason:
        raise ConfigError(f"{file}: {key} = {url!r}: {reason}, never fetched")
    raise ConfigError(f"{file}: {key} = {url!r}: {reason}; use a public address, or set allow_private = true "
                      f"on this source if it is meant to reach this network")


def _excludes(file: Path, key: str, value) -> tuple[str, ...]:
    """A files source's `exclude`: a list of patterns like `glob` ("drafts/**", "*.tmp")."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ConfigError(f"{file}: {key} = {value!r}: a list of patterns is required, such as [\"drafts/**\"]")
    return tuple(_glob(file, f"{key}[{i}]", pattern) for i, pattern in enumerate(value))


def _glob(file: Path, key: str, value) -> str:
    """A pattern that stays inside the source's folder (Path.glob raises on an absolute one,
    and ".." climbs out)."""
    pattern = _string(file, key, value)
    if pattern.startswith(("/", "\\")) or Path(pattern).is_absolute() or ".." in re.split(r"[/\\]", pattern):
        raise ConfigError(f"{file}: {key} = {value!r}: a pattern inside the folder is required, such as \"*.txt\" "
                          f"or \"**/*.md\" (not absolute, no \"..\")")
    return pattern


__all__ = ["ATOM_ENTRIES", "BACKOFF_BASE", "BACKOFF_MAX", "BIDI_CONTROLS", "CONFIG_MAX_BYTES", "Config", "ConfigError",
           "DIGEST_FORMATS", "DURATION", "DURATION_MAX", "EVERY_MIN", "Fetch", "KINDS", "MAX_FAILURES", "NOTIFIER_KEYS",
           "NOTIFIER_KINDS", "NOTIFY_TIMEOUT", "Notifier", "SECONDS", "parse", "Source", "TIMEOUT_MIN", "TLS_MODES", "duration",
           "load"]
