"""Text renderings of a digest: the contract's JSON lines, a terminal table, Markdown, plain text.

Each renderer takes a `Digest` and returns a string; `RENDERERS` keys them by format name
(urlwatch-style), and the HTML renderer joins them from html.py.
"""
from __future__ import annotations

import json
import textwrap

from tabulate import tabulate

from .model import Digest, Section, change_text, flat as _flat, is_web, link_of, web_url

# The contract's keys, in its order; the rest of an alert row follows as extras.
CONTRACT_KEYS = ["kind", "change", "subject", "actor", "value", "previous_value", "stance", "previous_stance",
                 "article", "previous_article", "evidence", "previous_evidence", "published"]
EXTRA_KEYS = ["low", "high", "unit", "level", "previous_published", "url", "title", "story", "story_id", "id",
              "run_id", "created"]
# Subjects longer than this are cut in the terminal table (the JSON and digest keep them whole).
TABLE_SUBJECT_CHARS = 40
# Plain text is wrapped for mail clients and terminals: RFC 5322 recommends lines under 78.
TEXT_WIDTH = 76


def as_json(digest: Digest) -> str:
    return "\n".join(json.dumps(contract_record(row), ensure_ascii=False) for row in digest.alerts)


def contract_record(row: dict) -> dict:
    """An alert as the contract's JSON object, with the extra keys that have a value."""
    record = {k: _number(row.get(k)) for k in CONTRACT_KEYS}
    record.update({k: _number(row.get(k)) for k in EXTRA_KEYS if row.get(k) is not None})
    return record


def _number(value):
    """3000.0 -> 3000: counts print as integers, shares keep their decimals."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def as_table(digest: Digest) -> str:
    if not digest.alerts:
        return "No alerts."
    rows = [[row["id"], row["kind"], row["change"], _cut(row["subject"]), _cut(row["actor"] or "", 32),
             change_text(row), row.get("published") or ""] for row in digest.alerts]
    return tabulate(rows, headers=["id", "kind", "change", "subject", "actor", "before → after", "published"])


def _cut(text: str, width: int = TABLE_SUBJECT_CHARS) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


# ---- Markdown ---------------------------------------------------------------------------------

def as_markdown(digest: Digest) -> str:
    """Per story, per subject or topic: the history table, each change, both sentences, links."""
    out = [f"# {_md(digest.title)}", "", f"{_md(digest.totals)} Window: {digest.window}; made {digest.generated}.", ""]
    if not digest.alerts:
        out += ["No alerts.", ""]
    for story in digest.stories:
        out += [f"## {_md(story.label)}", ""]
        for section in story.sections:
            out += [f"### {section.kind.capitalize()}: {_md(section.subject)}", ""]
            out += _md_history(section) if section.history else []
            for row in section.alerts:
                out += _md_alert(row)
    if digest.failures:
        out += ["## Sources that failed", ""]
        out += [f"- **{_md(f.source)}**: {_md(f.error)} ({f.count}×, last {f.when})" for f in digest.failures] + [""]
    return "\n".join(out)


def _md_history(section: Section) -> list[str]:
    lines = ["| date | source | value | change | article |", "|---|---|---|---|---|"]
    for p in section.history[section.earlier:]:
        mark = f"**{p.change.replace('_', ' ')}**" if p.change else ""
        lines.append(f"| {p.date} | {_cell(p.source)} | {'**' + p.shown + '**' if p.change else p.shown} | {mark} "
                     f"| {_cell(_md_link(p.link, p.title))} |")
    if section.earlier:
        lines.append(f"\n{section.earlier} earlier row(s) not shown.")
    return lines + [""]


def _md_alert(row: dict) -> list[str]:
    lines = [f"- **{change_text(row)}** ({row['change'].replace('_', ' ')}) — {_md(row.get('actor') or 'unattributed')}",
             f"  - now: “{_md(row['evidence'])}” — {_md_link(link_of(row), row.get('title'))}"
             f"{', ' + row['published'] if row.get('published') else ''}"]
    if row.get("previous_evidence"):
        lines.append(f"  - before: “{_md(row['previous_evidence'])}” — {_md_link(link_of(row, True), None)}"
                     f"{', ' + row['previous_published'] if row.get('previous_published') else ''}")
    return lines + [""]


def _md(text: str) -> str:
    """Article text is data: no raw HTML, and no line breaks that would start a heading or list."""
    return " ".join(str(text).split()).replace("<", "&lt;").replace(">", "&gt;")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _md_link(target: str | None, title: str | None) -> str:
    if not target:
        return "unknown article"
    text = _md(title or target).replace("[", "(").replace("]", ")")
    if is_web(target):
        return f"[{text}](<{web_url(target)}>)"
    return f"{text} (`{_md(target).replace('`', '')}`)" if title else f"`{_md(target).replace('`', '')}`"


# ---- plain text -------------------------------------------------------------------------------

def as_text(digest: Digest) -> str:
    """For mail clients and terminals: the same content as Markdown, without markup."""
    out = [digest.title.upper(), "", *_wrap(f"{digest.totals} Window: {digest.window}; made {digest.generated}."), ""]
    if not digest.alerts:
        out += ["No alerts.", ""]
    for story in digest.stories:
        out += ["=" * TEXT_WIDTH, *_wrap(_flat(story.label)), "=" * TEXT_WIDTH, ""]
        for section in story.sections:
            out += [*_wrap(f"{section.kind.capitalize()}: {_flat(section.subject)}"), "-" * TEXT_WIDTH]
            out += _text_history(section) if section.history else []
            for row in section.alerts:
                out += _text_alert(row)
    if digest.failures:
        out += ["SOURCES THAT FAILED", ""]
        for f in digest.failures:
            out += _wrap(f"* {_flat(f.source)}: {_flat(f.error)} ({f.count}x, last {f.when})", "  ")
    return "\n".join(out) + "\n"


def _text_history(section: Section) -> list[str]:
    rows = [[p.date, _cut(_flat(p.source), 34), p.shown, "<- " + p.change.replace("_", " ") if p.change else ""]
            for p in section.history[section.earlier:]]
    table = tabulate(rows, headers=["date", "source", "value", ""], tablefmt="simple")
    note = [f"({section.earlier} earlier row(s) not shown)"] if section.earlier else []
    return table.splitlines() + note + [""]


def _text_alert(row: dict) -> list[str]:
    lines = _wrap(f"* {change_text(row)} ({row['change'].replace('_', ' ')}) - {_flat(row.get('actor') or 'unattributed')}", "  ", "")
    lines += _wrap(f"now: \"{_flat(row['evidence'])}\"", "    ", "  ")
    lines += _wrap(f"{_flat(link_of(row) or 'unknown article')}{', ' + row['published'] if row.get('published') else ''}",
                   "    ", "    ")
    if row.get("previous_evidence"):
        lines += _wrap(f"before: \"{_flat(row['previous_evidence'])}\"", "    ", "  ")
        lines += _wrap(f"{_flat(link_of(row, True) or 'unknown article')}"
                       f"{', ' + row['previous_published'] if row.get('previous_published') else ''}", "    ", "    ")
    return lines + [""]


def _wrap(text: str, indent: str = "", first: str | None = None) -> list[str]:
    return textwrap.wrap(text, TEXT_WIDTH, initial_indent=first if first is not None else indent,
                         subsequent_indent=indent, break_long_words=False, break_on_hyphens=False) or [""]
