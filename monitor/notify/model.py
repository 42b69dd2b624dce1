"""The digest as data: what every format (Markdown, HTML, text, email, Atom) shows.

`build` reads what the alerts point at through the store's methods (never SQL) and returns
a frozen `Digest`: per story, per subject or topic, the alerts, and for a figure its whole
history (each source's values in arrival order, the changes marked) so that a reader sees
the change against everything said before, not only the last value.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

import dateutil.parser
from urllib.parse import quote, urlsplit

# A figure's table shows its latest rows; a subject followed for months would otherwise fill
# a phone screen with corroborations. The chart still draws every point up to CHART_POINTS.
TABLE_ROWS = 20
CHART_POINTS = 60
# Alert fields a digest shows as text: made one printable line each, whatever the article held.
DISPLAYED = ("subject", "actor", "evidence", "previous_evidence", "title", "story", "article", "previous_article",
             "published", "previous_published")
# What a history row shows for an article that gives no date (its place is its arrival order).
UNDATED = "undated"


@dataclass(frozen=True)
class Point:
    """One figure claim in a subject's history."""

    article_id: int
    date: str                   # the article's published date, or UNDATED
    source: str
    source_key: str
    value: float
    shown: str                  # "at least 3,000", "100–999 (vague)"
    sentence: str
    link: str | None            # the article's URL or path
    title: str | None
    change: str | None = None   # "revised" / "new_estimate" where this claim raised an alert


@dataclass(frozen=True)
class Section:
    """One subject (figure) or topic (position) of a story, with its alerts."""

    kind: str                   # figure | position
    subject: str
    alerts: tuple[dict, ...]
    history: tuple[Point, ...] = ()      # figures only
    earlier: int = 0                      # history rows not shown in the table


@dataclass(frozen=True)
class Story:
    label: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Failure:
    source: str
    error: str
    when: str
    count: int = 1


@dataclass(frozen=True)
class Digest:
    title: str
    window: str                 # "since 2026-12-01 00:00 UTC", "run 12", "all alerts"
    generated: str
    alerts: tuple[dict, ...]
    stories: tuple[Story, ...] = ()
    failures: tuple[Failure, ...] = ()
    warnings: tuple[Failure, ...] = ()     # sources read with warnings: one each, its latest line
    stats: dict = field(default_factory=dict, compare=False)

    @property
    def totals(self) -> str:
        """One line: how many changes of each kind, in how many stories, and what failed."""
        figures = sum(1 for a in self.alerts if a["kind"] == "figure")
        positions = len(self.alerts) - figures
        line = (f"{len(self.alerts)} alert{'s' * (len(self.alerts) != 1)}: {figures} figure change"
                f"{'s' * (figures != 1)}, {positions} position change{'s' * (positions != 1)}, in "
                f"{len(self.stories)} stor{'ies' if len(self.stories) != 1 else 'y'}")
        failed = len({f.source for f in self.failures})      # sources, not lines: one may fail twice
        if failed:
            line += f"; {failed} source{'s' * (failed != 1)} failed"
        if self.warnings:
            line += f"; {len(self.warnings)} source{'s' * (len(self.warnings) != 1)} with warnings"
        return line + "."


def build(store, alerts: list[dict], errors: list[dict] = (), window: str = "all alerts",
          title: str = "Monitor digest", sections: bool = True) -> Digest:
    """The digest of `alerts` (store rows, oldest first) and run `errors` (store.run_errors rows,
    the warnings among them listed apart, one per source);
    without `sections`, only the alerts (for the JSON lines and the table)."""
    labels = store.story_labels()
    # The heading a reader sees is the story's latest headline, not its first (issue 15).
    labels.update(store.current_labels(row.get("story_id") for row in alerts))
    alerts = [{**row, "story": labels.get(row.get("story_id"))} for row in alerts]
    if not sections:
        return Digest(title=title, window=window, generated=_now(), alerts=tuple(alerts))
    alerts = [{k: flat(v) if k in DISPLAYED and v is not None else v for k, v in row.items()} for row in alerts]
    labels = {k: flat(v) for k, v in labels.items() if v is not None}
    by_story: dict = defaultdict(lambda: defaultdict(list))
    for row in alerts:
        by_story[row.get("story_id")][(row["kind"], _group(row))].append(row)
    stories = tuple(Story(label=labels.get(story_id) or "Unassigned",
                          sections=tuple(_section(store, kind, rows) for (kind, _), rows in subjects.items()))
                    for story_id, subjects in by_story.items())
    return Digest(title=title, window=window, generated=_now(), alerts=tuple(alerts), stories=stories,
                  failures=_failures(errors), warnings=_warnings(errors))


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def since(text: str, now: dt.datetime | None = None) -> dt.datetime:
    """The start of a window: "24h", "30m", "7d" back from now, or a date or time ("2024-10-23",
    "2024-10-23T08:00+02:00"; a time without a zone is UTC). ValueError when it is neither."""
    now = now or dt.datetime.now(dt.timezone.utc)
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*", text)
    if match:
        return now - dt.timedelta(seconds=float(match.group(1)) * WINDOW_UNITS[match.group(2)])
    try:
        when = dateutil.parser.isoparse(text.strip())
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"{text!r}: use a duration (\"24h\", \"7d\") or a date (\"2024-10-23\")") from exc
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


WINDOW_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def _group(row: dict) -> str:
    """A figure's subject key; a position's topic ("topic:7:g:russia" -> "topic:7"), all levels together."""
    key = row.get("subject_key") or row["subject"]
    return ":".join(key.split(":")[:2]) if row["kind"] == "position" and key.startswith("topic:") else key


def _section(store, kind: str, rows: list[dict]) -> Section:
    subject = _subject(rows)
    if kind != "figure" or not rows[0].get("subject_key"):
        return Section(kind=kind, subject=subject, alerts=tuple(rows))
    history = _history(store.figure_history(rows[0]["subject_key"]), rows)
    shown = history[-TABLE_ROWS:]
    return Section(kind=kind, subject=subject, alerts=tuple(rows), history=tuple(history),
                   earlier=len(history) - len(shown))


def _subject(rows: list[dict]) -> str:
    """Position alerts of one topic at several actor levels share the topic's label."""
    return rows[-1]["subject"]


def _history(claims: list[dict], alerts: list[dict]) -> list[Point]:
    """The subject's figure claims, one per (article, source, value), with alerts marked."""
    changed = {(a["article_id"], flat(a.get("actor") or ""), a.get("value")): a["change"] for a in alerts}
    points, seen = [], set()
    for c in claims:
        key = (c["article_id"], c["actor_key"], c["value"])
        if key in seen or c.get("past"):
            continue
        seen.add(key)
        points.append(Point(article_id=c["article_id"], date=flat((c["published"] or "")[:10]) or UNDATED,
                            source=flat(c["actor"] or "the outlet"), source_key=c["actor_key"] or "",
                            value=c["value"], shown=show_value(c["value"], c.get("unit"), c),
                            sentence=flat(c["sentence"]), link=c["url"] or c["origin"],
                            title=flat(c["title"]) if c["title"] else None,
                            change=changed.get((c["article_id"], flat(c["actor"] or ""), c["value"]))))
    return points


def _failures(errors) -> tuple[Failure, ...]:
    """One line per source and error, with how often it happened in the window."""
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in (r for r in errors if r.get("kind", "error") == "error"):
        source, _, reason = row["error"].partition(": ")
        grouped[(source, reason or row["error"])].append(row["started"] or "")
    return tuple(Failure(source=s, error=e, when=max(w), count=len(w)) for (s, e), w in grouped.items())


def _warnings(errors) -> tuple[Failure, ...]:
    """One line per source read with warnings in the window: its latest warning (a pass
    records one line per source, whose counts change from pass to pass), and in how many
    runs it had one."""
    latest: dict[str, Failure] = {}
    for row in (r for r in errors if r.get("kind") == "warning"):       # oldest run first
        source, _, line = row["error"].partition(": ")
        count = latest[source].count + 1 if source in latest else 1
        latest[source] = Failure(source=source, error=line or row["error"], when=row["started"] or "", count=count)
    return tuple(latest.values())


# ---- values as people read them ---------------------------------------------------------------

def change_text(row: dict) -> str:
    """'10,000 (Zelenskyy) → at least 3,000 (Kirby)' for a figure, each value with whose it is (issue
    14: the reader sees whose number the "before" was); 'unconfirmed → confirms' for a position."""
    if row["kind"] == "figure":
        before = show_value(row.get('previous_value'), row.get('unit'))
        after = show_value(row.get('value'), row.get('unit'), row)
        if row.get("previous_actor"):
            before, after = f"{before} ({short_actor(row['previous_actor'])})", f"{after} ({short_actor(row.get('actor'))})"
        return f"{before} → {after}"
    return f"{row.get('previous_stance')} → {row.get('stance')}"


def short_actor(actor: str | None) -> str:
    """'Lloyd Austin' of 'Lloyd Austin (Pentagon, United States)': the name a change line needs."""
    return (actor or "unattributed").split(" (", 1)[0]


# A range whose top is this many times its bottom is a vague quantity ("hundreds": 100–999).
VAGUE_SPAN = 9


def show_value(value, unit=None, row: dict | None = None) -> str:
    if value is None:
        return "?"
    if row and row.get("low") is not None and row.get("high") is not None and row["high"] >= VAGUE_SPAN * row["low"]:
        return f"{row['low']:,.0f}–{row['high']:,.0f} (vague)"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    if unit == "%":
        text += "%"
    if row and row.get("low") is not None and row.get("high") is None and row["low"] == value:
        text = "at least " + text
    elif row and row.get("high") is not None and row.get("low") is None and row["high"] == value:
        text = "up to " + text
    return text


def link_of(row: dict, previous: bool = False) -> str | None:
    """The article an alert side stands on: its URL when known, else the path given to ingest."""
    if previous:
        return row.get("previous_url") or row.get("previous_article")
    return row.get("url") or row.get("article")


def outlet(target: str | None) -> str | None:
    """The site an article comes from, shown beside its evidence ("apnews.com" of
    "https://www.apnews.com/article/..."); None for a file given to ingest, whose path is
    shown anyway, or a URL with no host."""
    if not is_web(target):
        return None
    try:
        host = urlsplit(target.strip()).hostname
    except ValueError:          # a malformed URL ("http://[x"): no outlet rather than a crash
        return None
    return flat(host.removeprefix("www.")) if host else None


def is_web(target: str | None) -> bool:
    """Only http(s) targets become links; a path or any other scheme stays text."""
    return bool(target) and target.lower().startswith(("http://", "https://"))


def web_url(target: str) -> str:
    """An http(s) URL with every character that could end an attribute, a Markdown link or an
    XML value percent-encoded (quotes, angle brackets, spaces, controls, and invisible format
    characters such as bidi overrides); the rest kept."""
    return quote(str(target).strip(), safe=URL_SAFE)


# RFC 3986 reserved and unreserved characters, and % so that existing escapes stay as they are.
URL_SAFE = ":/?#[]@!$&'()*+,;=%-._~"


def flat(text) -> str:
    """One line of printable text: a title or a sentence cannot add lines to a digest or a header,
    and no invisible format character (bidi overrides and isolates U+202A-E, U+2066-9, the marks
    U+200E/F and U+061C, zero-width spaces) can reorder or hide what a terminal or reader shows.
    Format characters are removed, since they stand between letters; other non-printable
    characters (line breaks, controls) become spaces, since they separate words."""
    text = str(text)
    if not text.isprintable():
        text = "".join(c if c.isprintable() else "" if unicodedata.category(c) == "Cf" else " " for c in text)
    return " ".join(text.split())
