"""The TOML config: the store, fetch settings and sources, validated when read.

An error names the key, the value and what is allowed:
    config/monitor.toml: sources[2].kind = 'rss': use one of feed, wordpress, page, files
"""
from __future__ import annotations

import ipaddress
import os
import re
import stat
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .errors import MonitorError
from .fetch import addresses, http

KINDS = ("feed", "wordpress", "page", "files")
NOTIFIER_KINDS = ("file", "email", "webhook", "atom", "apprise")
DIGEST_FORMATS = ("html", "md", "text")
TLS_MODES = ("starttls", "ssl", "none")
# How long a notifier waits for an SMTP server or a webhook receiver before it fails (and
# retries on the next pass): a stalled receiver must not hold up the next fetch pass.
NOTIFY_TIMEOUT = 30.0
# Entries an Atom feed of alerts keeps: feed readers poll often, and a longer feed only
# makes every poll heavier (urlwatch and most blogs keep 10–100).
ATOM_ENTRIES = 100
DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$")
SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# The longest duration the config takes: a source fetched less than once a year is not being
# watched, so a longer value is a typo; it also keeps `now + every` far inside the dates
# datetime can hold, which inf or 1e308 overflowed in `status` and the daemon.
DURATION_MAX = 366 * 86400.0
# A config file larger than this is not one: the sample is 3 KB, a thousand sources about 200 KB.
CONFIG_MAX_BYTES = 1024 * 1024
# Characters a name may not hold: names are printed at the start of log lines, so a line
# break, an escape sequence or a bidi override in one would forge or disguise a line.
# (Zero-width joiners stay: Persian and Indic names need them.)
BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
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
    allow_private: bool | None = None   # None (made in code): the client's own policy

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
class Notifier:
    """Where alerts go after each pass: one of NOTIFIER_KINDS, with that kind's keys."""

    name: str
    kind: str
    path: str | None = None             # file: the output folder; atom: the feed file
    format: str = "html"                # file and email: the digest's format
    url: str | None = None              # webhook
    urls: tuple[str, ...] = ()          # apprise
    host: str | None = None             # email
    port: int = 587
    tls: str = "starttls"
    username: str | None = None
    password: str | None = None         # prefer password_env: the config may be readable by others
    password_env: str | None = None
    sender: str | None = None           # the From address ("from" in the config)
    to: tuple[str, ...] = ()
    ca_file: str | None = None          # a private CA to trust (an internal mail relay)
    title: str = "monitor alerts"       # atom: the feed's title
    max_entries: int = ATOM_ENTRIES
    timeout: float = NOTIFY_TIMEOUT


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
        data = tomllib.loads(_read(file))
    except FileNotFoundError as exc:
        raise ConfigError(f"{file}: no such config file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: unreadable: {exc}") from exc
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
                  notifiers=_notifiers(file, data.get("notifiers", [])))


def _notifiers(file: Path, tables) -> tuple[Notifier, ...]:
    if not isinstance(tables, list):
        raise ConfigError(f"{file}: notifiers must be an array of tables ([[notifiers]])")
    parsed = tuple(_notifier(file, f"notifiers[{i}]", t) for i, t in enumerate(tables))
    names = [n.name for n in parsed]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate:
        raise ConfigError(f"{file}: notifiers: the name {duplicate!r} is used twice; names must be unique")
    return parsed


# The keys each notifier kind takes beyond name, kind and timeout; the first ones are required.
NOTIFIER_KEYS = {
    "file": (("path",), ("format",)),
    "atom": (("path",), ("title", "max_entries")),
    "webhook": (("url",), ()),
    "email": (("host", "from", "to"), ("port", "tls", "username", "password", "password_env", "format",
                                        "ca_file")),
    "apprise": (("urls",), ()),
}


def _notifier(file: Path, key: str, table) -> Notifier:
    if not isinstance(table, dict):
        raise ConfigError(f"{file}: {key} must be a table")
    kind = table.get("kind")
    if kind not in NOTIFIER_KINDS:
        raise ConfigError(f"{file}: {key}.kind = {kind!r}: use one of {', '.join(NOTIFIER_KINDS)}")
    required, optional = NOTIFIER_KEYS[kind]
    _only(file, key, table, {"name", "kind", "timeout", *required, *optional})
    for name in required:
        if name not in table:
            raise ConfigError(f"{file}: {key}.{name} is required for a {kind} notifier")
    get = lambda name, default=None: table.get(name, default)
    fmt = get("format", "html")
    if fmt not in DIGEST_FORMATS:
        raise ConfigError(f"{file}: {key}.format = {fmt!r}: use one of {', '.join(DIGEST_FORMATS)}")
    tls = get("tls", "starttls")
    if tls not in TLS_MODES:
        raise ConfigError(f"{file}: {key}.tls = {tls!r}: use one of {', '.join(TLS_MODES)}")
    if kind == "email":
        _no_password_in_clear(file, key, table)
    url = get("url")
    if url is not None and (not isinstance(url, str) or not re.match(r"^https?://[^\s/]+", url)):
        raise ConfigError(f"{file}: {key}.url = {url!r}: a webhook needs an http:// or https:// URL")
    path = get("path")
    for name in ("to", "urls"):
        if name in required and get(name) in ([], ""):
            raise ConfigError(f"{file}: {key}.{name} is empty: a {kind} notifier needs at least one")
    return Notifier(
        name=_name(file, f"{key}.name", get("name", kind)), kind=kind, format=fmt, url=url,
        path=str(_relative(file, _string(file, f"{key}.path", path))) if path is not None else None,
        urls=_strings(file, f"{key}.urls", get("urls", [])), host=_optional(file, f"{key}.host", get("host")),
        port=_int(file, f"{key}.port", get("port", 465 if tls == "ssl" else 587), 1, 65535), tls=tls,
        username=_optional(file, f"{key}.username", get("username")),
        password=_optional(file, f"{key}.password", get("password")),
        password_env=_optional(file, f"{key}.password_env", get("password_env")),
        sender=_address(file, f"{key}.from", get("from")) if kind == "email" else None,
        to=tuple(_address(file, f"{key}.to", a) for a in _strings(file, f"{key}.to", get("to", []))),
        ca_file=str(_relative(file, get("ca_file"))) if isinstance(get("ca_file"), str) else None,
        title=_string(file, f"{key}.title", get("title", "monitor alerts")),
        max_entries=_int(file, f"{key}.max_entries", get("max_entries", ATOM_ENTRIES), 1, 10_000),
        timeout=duration(file, f"{key}.timeout", get("timeout", NOTIFY_TIMEOUT)))


def _no_password_in_clear(file: Path, key: str, table: dict) -> None:
    """tls = "none" with a login sends the password as readable text: only to this machine."""
    if table.get("tls") != "none" or not any(table.get(k) for k in ("username", "password", "password_env")):
        return
    host = table.get("host")
    if isinstance(host, str) and not _local(host):
        raise ConfigError(f"{file}: {key}.tls = 'none': the password would cross the network in clear text to "
                          f"{host!r}; use tls = \"starttls\" or \"ssl\" (\"none\" only for a relay on this machine, "
                          f"such as localhost)")


def _local(host: str) -> bool:
    """A host on this machine: localhost or a loopback address (no DNS asked)."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _optional(file: Path, key: str, value) -> str | None:
    return None if value is None else _string(file, key, value)


def _strings(file: Path, key: str, value) -> tuple[str, ...]:
    """A string or a non-empty list of strings."""
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip() for v in values):
        if value == []:
            return ()
        raise ConfigError(f"{file}: {key} = {value!r}: a string or a list of strings is required")
    return tuple(values)


def _address(file: Path, key: str, value) -> str:
    """A mail address: one line, an @, nothing a header could be split on."""
    if not isinstance(value, str) or not re.fullmatch(r"[^\s@<>,;]+@[^\s@<>,;]+", value):
        raise ConfigError(f"{file}: {key} = {value!r}: a mail address such as alerts@example.org is required")
    return value


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


def _source(file: Path, i: int, table, allow_private: bool) -> Source:
    key = f"sources[{i}]"
    if not isinstance(table, dict):
        raise ConfigError(f"{file}: {key} must be a table")
    _only(file, key, table, {"name", "kind", "url", "path", "glob", "every", "enabled", "fetch_article", "per_page",
                                 "max_pages", "allow_private"})
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
        _reachable(file, f"{key}.url", url, allow_private)
    return Source(name=name, kind=kind, url=url if kind != "files" else None, path=path if kind == "files" else None,
                  every=duration(file, f"{key}.every", table.get("every", "15m")),
                  enabled=_bool(file, f"{key}.enabled", table.get("enabled", True)),
                  fetch_article=_bool(file, f"{key}.fetch_article", table.get("fetch_article", True)),
                  per_page=_int(file, f"{key}.per_page", table.get("per_page", 20), 1, 100),
                  max_pages=_int(file, f"{key}.max_pages", table.get("max_pages", 5), 1),
                  glob=_glob(file, f"{key}.glob", table.get("glob", "**/*")), allow_private=allow_private)


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


def _glob(file: Path, key: str, value) -> str:
    """A pattern that stays inside the source's folder (Path.glob raises on an absolute one,
    and ".." climbs out)."""
    pattern = _string(file, key, value)
    if pattern.startswith(("/", "\\")) or Path(pattern).is_absolute() or ".." in re.split(r"[/\\]", pattern):
        raise ConfigError(f"{file}: {key} = {value!r}: a pattern inside the folder is required, such as \"*.txt\" "
                          f"or \"**/*.md\" (not absolute, no \"..\")")
    return pattern


def _name(file: Path, key: str, value) -> str:
    name = _string(file, key, value)
    if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") or c in BIDI_CONTROLS for c in name):
        raise ConfigError(f"{file}: {key} = {value!r}: a name without control characters (line breaks, tabs, "
                          f"escapes, bidi overrides) is required")
    return name


def duration(file: Path, key: str, value) -> float:
    """Seconds from "30s", "15m", "1h", "1d" or a number of seconds: finite, over 0 and at
    most DURATION_MAX."""
    seconds = _seconds(value)
    if seconds is None or not 0 < seconds <= DURATION_MAX:       # NaN fails both comparisons
        raise ConfigError(f"{file}: {key} = {value!r}: use a duration such as \"30s\", \"15m\", \"1h\" or \"1d\", "
                          f"up to a year (\"366d\")")
    return seconds


def _seconds(value) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            return None
    match = DURATION.match(value) if isinstance(value, str) else None
    return float(match.group(1)) * SECONDS[match.group(2)] if match else None


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
