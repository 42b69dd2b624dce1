"""The config's [[notifiers]] tables: where alerts go, each kind with its own keys, checked
when the config is read (hosts the resolver can look up, mail addresses a message can carry,
no password in clear text across the network).
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.headerregistry import Address
from pathlib import Path

from .values import (TIMEOUT_MIN, ConfigError, _host, _int, _name, _only, _relative, _string, _url_host,
                     duration)

NOTIFIER_KINDS = ("file", "email", "webhook", "atom", "apprise")
DIGEST_FORMATS = ("html", "md", "text")
TLS_MODES = ("starttls", "ssl", "none")
# How long a notifier waits for an SMTP server or a webhook receiver before it fails (and
# retries on the next pass): a stalled receiver must not hold up the next fetch pass.
NOTIFY_TIMEOUT = 30.0
# Entries an Atom feed of alerts keeps: feed readers poll often, and a longer feed only
# makes every poll heavier (urlwatch and most blogs keep 10–100).
ATOM_ENTRIES = 100


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


def notifiers(file: Path, tables) -> tuple[Notifier, ...]:
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
    if url is not None:
        _url_host(file, f"{key}.url", url)
    if isinstance(get("host"), str):
        _host(file, f"{key}.host", get("host"), get("host").strip("[]"))
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
        timeout=duration(file, f"{key}.timeout", get("timeout", NOTIFY_TIMEOUT), TIMEOUT_MIN))


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
    """A mail address as the message will carry it: one line, an @, nothing a header could be
    split on, what email.headerregistry.Address takes, and no RFC 2047 encoded word (which
    mail_message refuses, so every delivery would fail)."""
    if isinstance(value, str) and re.fullmatch(r"[^\s@<>,;]+@[^\s@<>,;]+", value) and "=?" not in value:
        try:
            Address(addr_spec=value)
            return value
        except (HeaderParseError, ValueError, IndexError):
            pass
    raise ConfigError(f"{file}: {key} = {value!r}: a mail address such as alerts@example.org is required "
                      f"(no encoded words, no quoting)")
