"""The TOML config: the store, fetch settings and sources, validated when read.

An error names the key, the value and what is allowed:
    config/monitor.toml: sources[2].kind = 'rss': use one of feed, wordpress, page, files
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import MonitorError
from .fetch import http

KINDS = ("feed", "wordpress", "page", "files")
DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$")
SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# A source failing this many times in a row is disabled until `monitor enable` (or a config
# edit that sets enabled again): five failures at 15-minute intervals is over an hour down.
MAX_FAILURES = 5
# Backoff after a failure: the interval doubles from BACKOFF_BASE up to BACKOFF_MAX.
BACKOFF_BASE = 60.0
BACKOFF_MAX = 6 * 3600.0


class ConfigError(MonitorError):
    pass


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


def load(path: str | Path) -> Config:
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{file}: no such config file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: unreadable: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML: {exc}") from exc
    return _config(file, data)


def _config(file: Path, data: dict) -> Config:
    _only(file, "", data, {"store", "fetch", "sources"})
    store = data.get("store", {})
    _only(file, "store", store, {"path"})
    store_path = _string(file, "store.path", store.get("path", "monitor.db"))
    sources = data.get("sources", [])
    if not isinstance(sources, list):
        raise ConfigError(f"{file}: sources must be an array of tables ([[sources]])")
    parsed = tuple(_source(file, i, s) for i, s in enumerate(sources))
    names = [s.name for s in parsed]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate:
        raise ConfigError(f"{file}: sources: the name {duplicate!r} is used twice; names must be unique")
    return Config(path=str(file), store=str(_relative(file, store_path)),
                  fetch=_fetch(file, data.get("fetch", {})), sources=parsed)


def _fetch(file: Path, table: dict) -> Fetch:
    _only(file, "fetch", table, {"allow_private", "timeout", "max_bytes", "max_redirects", "per_host",
                                 "max_failures", "user_agent"})
    d = Fetch()
    return Fetch(
        allow_private=_bool(file, "fetch.allow_private", table.get("allow_private", d.allow_private)),
        timeout=duration(file, "fetch.timeout", table.get("timeout", d.timeout)),
        max_bytes=_int(file, "fetch.max_bytes", table.get("max_bytes", d.max_bytes), 1024),
        max_redirects=_int(file, "fetch.max_redirects", table.get("max_redirects", d.max_redirects), 0),
        per_host=_int(file, "fetch.per_host", table.get("per_host", d.per_host), 1),
        max_failures=_int(file, "fetch.max_failures", table.get("max_failures", d.max_failures), 1),
        user_agent=_string(file, "fetch.user_agent", table.get("user_agent", d.user_agent)))


def _source(file: Path, i: int, table) -> Source:
    key = f"sources[{i}]"
    if not isinstance(table, dict):
        raise ConfigError(f"{file}: {key} must be a table")
    _only(file, key, table, {"name", "kind", "url", "path", "glob", "every", "enabled", "fetch_article", "per_page",
                                 "max_pages"})
    kind = table.get("kind")
    if kind not in KINDS:
        raise ConfigError(f"{file}: {key}.kind = {kind!r}: use one of {', '.join(KINDS)}")
    name = _string(file, f"{key}.name", table.get("name"))
    url, path = table.get("url"), table.get("path")
    if kind == "files":
        path = str(_relative(file, _string(file, f"{key}.path", path)))
    elif not isinstance(url, str) or not re.match(r"^https?://[^\s/]+", url):
        raise ConfigError(f"{file}: {key}.url = {url!r}: a {kind} source needs an http:// or https:// URL")
    return Source(name=name, kind=kind, url=url if kind != "files" else None, path=path if kind == "files" else None,
                  every=duration(file, f"{key}.every", table.get("every", "15m")),
                  enabled=_bool(file, f"{key}.enabled", table.get("enabled", True)),
                  fetch_article=_bool(file, f"{key}.fetch_article", table.get("fetch_article", True)),
                  per_page=_int(file, f"{key}.per_page", table.get("per_page", 20), 1, 100),
                  max_pages=_int(file, f"{key}.max_pages", table.get("max_pages", 5), 1),
                  glob=_string(file, f"{key}.glob", table.get("glob", "**/*")))


def duration(file: Path, key: str, value) -> float:
    """Seconds from "30s", "15m", "1h", "1d" or a number of seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    match = DURATION.match(value) if isinstance(value, str) else None
    if not match or float(match.group(1)) <= 0:
        raise ConfigError(f"{file}: {key} = {value!r}: use a duration such as \"30s\", \"15m\", \"1h\" or \"1d\"")
    return float(match.group(1)) * SECONDS[match.group(2)]


def _only(file: Path, key: str, table: dict, allowed: set[str]) -> None:
    if not isinstance(table, dict):
        raise ConfigError(f"{file}: {key} must be a table")
    unknown = sorted(set(table) - allowed)
    if unknown:
        where = f"{key}." if key else ""
        raise ConfigError(f"{file}: {where}{unknown[0]}: unknown key; allowed: {', '.join(sorted(allowed))}")


def _string(file: Path, key: str, value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{file}: {key} = {value!r}: a non-empty string is required")
    return value


def _bool(file: Path, key: str, value) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{file}: {key} = {value!r}: use true or false")
    return value


def _int(file: Path, key: str, value, low: int, high: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < low or (high is not None and value > high):
        allowed = f"from {low} to {high}" if high is not None else f"{low} or more"
        raise ConfigError(f"{file}: {key} = {value!r}: a whole number {allowed} is required")
    return value


def _relative(file: Path, path: str) -> Path:
    """Paths in the config are relative to the config file's folder."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else (file.parent / p)
