"""The config's values: the one voice its errors speak in, and the checks every table shares
(durations, names, strings, numbers, hosts, paths).

An error names the key, the value and what is allowed:
    config/monitor.toml: sources[2].every = '0.5s': ... at least "1s"
"""
from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import httpx

from ..errors import MonitorError

DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$")
SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# The longest duration the config takes: a source fetched less than once a year is not being
# watched, so a longer value is a typo; it also keeps `now + every` far inside the dates
# datetime can hold, which inf or 1e308 overflowed in `status` and the daemon.
DURATION_MAX = 366 * 86400.0
# The shortest interval a source may be fetched at. 1e-7 passed, and the daemon's interval job
# would have fired ten million times a second. The floor stops that and a unit typed wrong
# (0.0001 meant as minutes): 10 ms is the shortest the test suite uses, for sources that must
# be due on every `run` (tests/test_fetch.py, test_schedule.py, test_security_sources.py).
# A real source wants minutes (the default is 15); raising the floor to 1 s needs those
# tests to force their second pass instead.
EVERY_MIN = 0.01
# The shortest timeout (fetch or notifier): below a tenth of a second not even a TLS handshake
# across a city completes, so every request would fail; the tests' loopback servers use 0.5 s.
TIMEOUT_MIN = 0.1
# Characters a name may not hold: names are printed at the start of log lines, so a line
# break, an escape sequence or a bidi override in one would forge or disguise a line.
# (Zero-width joiners stay: Persian and Indic names need them.)
BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class ConfigError(MonitorError):
    pass


def _name(file: Path, key: str, value) -> str:
    name = _string(file, key, value)
    if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") or c in BIDI_CONTROLS for c in name):
        raise ConfigError(f"{file}: {key} = {value!r}: a name without control characters (line breaks, tabs, "
                          f"escapes, bidi overrides) is required")
    return name


def duration(file: Path, key: str, value, least: float = 0.0) -> float:
    """Seconds from "30s", "15m", "1h", "1d" or a number of seconds: finite, over 0 (and at
    least `least`) and at most DURATION_MAX."""
    seconds = _seconds(value)
    if seconds is None or not 0 < seconds <= DURATION_MAX:       # NaN fails both comparisons
        raise ConfigError(f"{file}: {key} = {value!r}: use a duration such as \"30s\", \"15m\", \"1h\" or \"1d\", "
                          f"up to a year (\"366d\")")
    if seconds < least:
        raise ConfigError(f"{file}: {key} = {value!r}: a duration of at least \"{least:g}s\" is required")
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
    if value is None:                    # not "path = None": the key is not in the file
        raise ConfigError(f"{file}: {key} is missing: a non-empty string is required")
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
    """Paths in the config are relative to the config file's folder, made absolute: a
    command run from another folder reads the same files and store (a files source's
    articles keep one path, never relative here and absolute there)."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else Path(os.path.normpath(file.absolute().parent / p))


def _printable_ascii(file: Path, key: str, value) -> str:
    """One line of printable ASCII: what an HTTP header value may safely hold. A line break
    would end the header (httpx refuses it as `Illegal header value`, failing every source)."""
    text = _string(file, key, value)
    if not all(" " <= c <= "~" for c in text):
        raise ConfigError(f"{file}: {key} = {value!r}: printable ASCII on one line is required (no line breaks, "
                          f"tabs or other control characters)")
    return text


def _host(file: Path, key: str, value: str, host: str) -> None:
    """A host the resolver can look up: Python's IDNA codec, which getaddrinfo applies, refuses
    a label over 63 characters or an empty one (with a UnicodeError, at every delivery)."""
    try:
        host.encode("idna")
    except UnicodeError as exc:
        raise ConfigError(f"{file}: {key} = {value!r}: the host {host!r} cannot be looked up: each dot-separated "
                          f"label must be 1 to 63 characters ({exc})") from exc


def _url_host(file: Path, key: str, url: str) -> None:
    """The host of an http(s) URL, read as httpx reads it (IDNA 2008 for a non-ASCII name),
    checked as the resolver will see it."""
    try:
        host = httpx.URL(url).raw_host.decode("ascii")
    except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
        raise ConfigError(f"{file}: {key} = {url!r}: not a usable URL ({exc})") from exc
    _host(file, key, url, host)
