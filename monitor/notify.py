"""Notify stage: alerts as people and programs read them.

Public entry point: `render(kind, alerts, stories) -> str`, with kinds in a registry
(urlwatch-style): "json" (the contract's JSON lines), "table" (for a terminal) and
"markdown" (the digest).
"""
from __future__ import annotations

import json
from collections import defaultdict

from tabulate import tabulate

# The contract's keys, in its order; the rest of an alert row follows as extras.
CONTRACT_KEYS = ["kind", "change", "subject", "actor", "value", "previous_value", "stance", "previous_stance",
                 "article", "previous_article", "evidence", "previous_evidence", "published"]
EXTRA_KEYS = ["low", "high", "unit", "level", "previous_published", "url", "title", "story_id", "id", "run_id"]
# Subjects longer than this are cut in the terminal table (the JSON and digest keep them whole).
TABLE_SUBJECT_CHARS = 40


def render(kind: str, alerts: list[dict], stories: dict[int, str] | None = None) -> str:
    return RENDERERS[kind](alerts, stories or {})


def as_json(alerts: list[dict], stories) -> str:
    lines = []
    for row in alerts:
        record = {k: _number(row.get(k)) for k in CONTRACT_KEYS}
        record.update({k: _number(row.get(k)) for k in EXTRA_KEYS if row.get(k) is not None})
        if row.get("story_id") in stories:
            record["story"] = stories[row["story_id"]]
        lines.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(lines)


def _number(value):
    """3000.0 -> 3000: counts print as integers, shares keep their decimals."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def as_table(alerts: list[dict], stories) -> str:
    if not alerts:
        return "No alerts."
    rows = [[row["id"], row["kind"], row["change"], _cut(row["subject"]), _cut(row["actor"] or "", 32),
             change_text(row), row.get("published") or ""] for row in alerts]
    return tabulate(rows, headers=["id", "kind", "change", "subject", "actor", "before → after", "published"])


def _cut(text: str, width: int = TABLE_SUBJECT_CHARS) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def change_text(row: dict) -> str:
    if row["kind"] == "figure":
        return f"{show_value(row.get('previous_value'), row.get('unit'))} → {show_value(row.get('value'), row.get('unit'), row)}"
    return f"{row.get('previous_stance')} → {row.get('stance')}"


def show_value(value, unit=None, row: dict | None = None) -> str:
    if value is None:
        return "?"
    if row and row.get("low") is not None and row.get("high") is not None and row["high"] >= 9 * row["low"]:
        return f"{row['low']:,.0f}–{row['high']:,.0f} (vague)"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    if unit == "%":
        text += "%"
    if row and row.get("low") is not None and row.get("high") is None and row["low"] == value:
        text = "at least " + text
    elif row and row.get("high") is not None and row.get("low") is None and row["high"] == value:
        text = "up to " + text
    return text


def as_markdown(alerts: list[dict], stories) -> str:
    """The digest: per story, per subject or topic, each change with both sentences and links."""
    if not alerts:
        return "# Monitor digest\n\nNo alerts.\n"
    out = ["# Monitor digest", "", f"{len(alerts)} alert(s) in {len({a['story_id'] for a in alerts})} story(ies).", ""]
    by_story: dict = defaultdict(lambda: defaultdict(list))
    for row in alerts:
        by_story[row.get("story_id")][row["subject"]].append(row)
    for story_id, subjects in by_story.items():
        out += [f"## {stories.get(story_id, 'Story')}", ""]
        for subject, rows in subjects.items():
            out += [f"### {rows[0]['kind'].capitalize()}: {subject}", ""]
            for row in rows:
                out += _markdown_alert(row)
    return "\n".join(out)


def _markdown_alert(row: dict) -> list[str]:
    head = f"- **{change_text(row)}** ({row['change'].replace('_', ' ')}) — {row.get('actor') or 'unattributed'}"
    lines = [head]
    lines.append(f"  - now: “{row['evidence']}” — {_link(row.get('url') or row['article'], row.get('title'))}"
                 f"{', ' + row['published'] if row.get('published') else ''}")
    if row.get("previous_evidence"):
        lines.append(f"  - before: “{row['previous_evidence']}” — {_link(row.get('previous_article'), None)}"
                     f"{', ' + row['previous_published'] if row.get('previous_published') else ''}")
    return lines + [""]


def _link(target: str | None, title: str | None) -> str:
    if not target:
        return "unknown article"
    text = (title or target).replace("[", "(").replace("]", ")")
    if target.startswith(("http://", "https://")):
        return f"[{text}]({target})"
    return f"{text} (`{target}`)" if title else f"`{target}`"


RENDERERS = {"json": as_json, "table": as_table, "markdown": as_markdown}
