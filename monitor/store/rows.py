"""The scheduler's and the notifiers' rows (sources, hosts, notifiers), read whatever was
written into them.

These rows are edited by hand now and then (sqlite-utils, datasette) and can be damaged: a
state that is not a JSON object, failures = 'x'. Such a value reads as a new source's or
notifier's, with a warning naming the row and the column (Store.take_warnings); the next
save writes the repaired row. SourceRows is a part of the Store (monitor/store/__init__.py):
it uses the Store's connection, path and warnings list.
"""
from __future__ import annotations

import json
from typing import Callable

# A source row's numeric columns, and what a value that is not a number (an edited or
# damaged store: failures = 'x') reads as: the value of a source never fetched.
SOURCE_NUMBERS = {"failures": 0, "articles": 0, "disabled": 0, "next_due": 0.0}
NOTIFIER_NUMBERS = {"failures": 0, "delivered": 0}
# The shape of each state key a fetcher reads (feeds, pages, wordpress, files; the
# scheduler's full-fetch clock). A stored value of another shape is dropped with a warning:
# the fetcher then starts that part afresh (a full fetch, every file read again).
STATE_SHAPES = {"etag": str, "last_modified": str, "modified_after": str, "pages": list, "files": dict,
                "last_full_fetch": (int, float)}

Warn = Callable[[str, str, str], None]


class SourceRows:
    """The Store's methods for the sources, hosts and notifiers tables."""

    path: str
    warnings: list[str]

    # notifiers
    def notifier(self, name: str) -> dict:
        row = self._one("select * from notifiers where name = ?", [name])
        if row is None:
            return {"name": name, "failures": 0, "delivered": 0}
        return notifier_row(row, self._warn)

    def save_notifier(self, row: dict) -> None:
        self.db["notifiers"].upsert(row, pk="name")

    # sources and hosts, for the scheduler
    def source(self, name: str) -> dict:
        row = self._one("select * from sources where name = ?", [name])
        if row is None:
            return {"name": name, "state": {}, "failures": 0, "disabled": 0, "next_due": 0.0, "articles": 0}
        return source_row(row, self._warn)

    def save_source(self, row: dict) -> None:
        self.db["sources"].upsert({**row, "state": json.dumps(row.get("state") or {})}, pk="name")

    def sources(self) -> list[dict]:
        return [source_row(r, self._warn) for r in self.db["sources"].rows]

    def host_not_before(self, host: str) -> float:
        row = self._one("select not_before from hosts where host = ?", [host])
        return row["not_before"] if row else 0.0

    def set_host_not_before(self, host: str, when: float) -> None:
        self.db["hosts"].upsert({"host": host, "not_before": when}, pk="host")

    # warnings about damaged rows
    def _warn(self, who: str, column: str, what: str) -> None:
        line = f"{self.path}: the store's {who}: column {column} {what}"
        if line not in self.warnings:
            self.warnings.append(line)

    def take_warnings(self) -> list[str]:
        """The warnings about damaged rows read since the last call; each is said once."""
        taken, self.warnings = self.warnings, []
        return taken


def source_row(row: dict, warn: Warn) -> dict:
    """A sources row as the scheduler reads it: a state that is not a JSON object, or a
    number that is not one, reads as a new source's, with a warning naming the source and
    the column."""
    who = f"source {row['name']!r}"
    out = {**row, "state": state(who, row.get("state"), warn)}
    out.update({c: number(who, c, row.get(c), empty, warn) for c, empty in SOURCE_NUMBERS.items()})
    return out


def notifier_row(row: dict, warn: Warn) -> dict:
    """A notifiers row with its counts read as numbers (a damaged one as a new notifier's)."""
    who = f"notifier {row['name']!r}"
    return {**row, **{c: number(who, c, row.get(c), empty, warn) for c, empty in NOTIFIER_NUMBERS.items()}}


def state(who: str, text, warn: Warn) -> dict:
    """A source's stored state as a dict of the shapes in STATE_SHAPES; what is not is dropped."""
    try:
        value = json.loads(text or "{}")
    except (TypeError, ValueError) as exc:           # not JSON, or not text at all (a number)
        warn(who, "state", f"is not JSON ({exc}); read as empty")
        return {}
    if not isinstance(value, dict):
        warn(who, "state", f"holds a JSON {type(value).__name__}, not an object; read as empty")
        return {}
    for key, shape in STATE_SHAPES.items():
        held = value.get(key)
        if held is not None and (not isinstance(held, shape) or isinstance(held, bool) or
                                 key == "pages" and not all(isinstance(v, str) for v in held)):
            warn(who, "state", f"key {key!r} holds {shown(held)}, not what it should; dropped")
            del value[key]
    return value


def number(who: str, column: str, value, empty, warn: Warn):
    """A numeric column's value, or `empty` (with a warning) when it holds no number."""
    if value is None:
        return empty
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == value:   # NaN != NaN
        return value
    warn(who, column, f"holds {shown(value)}, not a number; read as {empty}")
    return empty


def shown(value) -> str:
    """A stored value as a warning shows it: its repr, cut to 40 characters."""
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"
