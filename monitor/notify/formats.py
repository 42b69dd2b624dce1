"""Text renderings of a digest: the contract's JSON lines, a terminal table, Markdown, plain text.

Each renderer takes a `Digest` and returns a string; `RENDERERS` keys them by format name
(urlwatch-style), and the HTML renderer joins them from html.py.
"""
from __future__ import annotations

import json
import re
import textwrap

from tabulate import tabulate

from .model import Digest, Section, change_text, flat as _flat, is_web, link_of, outlet, web_url

# The contract's keys, in its order; the rest of an alert row follows as extras.
CONTRACT_KEYS = ["kind", "change", "subject", "actor", "value", "previous_value", "stance", "previous_stance",
                 "article", "previous_article", "evidence", "previous_evidence", "published"]
EXTRA_KEYS = ["previous_actor", "low", "high", "unit", "level", "previous_published", "url", "title", "story", "story_id", "id",
              "run_id", "created", "muted"]
# Subjects longer than this are cut in the terminal table (the JSON and digest keep them whole).
TABLE_SUBJECT_CHARS = 40
# ... and the story (its latest headline) to this many: enough to tell two stories apart.
TABLE_STORY_CHARS = 30
# Plain text is wrapped for mail clients and terminals: RFC 5322 recommends lines under 78.
TEXT_WIDTH = 76


def as_json(digest: Digest) -> str:
    return "\n".join(_visible(json.dumps(contract_record(row), ensure_ascii=False)) for row in digest.alerts)


def _visible(line: str) -> str:
    """JSON keeps every character of the data, but the ones a terminal would act on or hide
    (bidi overrides, zero-width and other format characters, line separators) are written as
    \\u escapes, which any JSON reader turns back into the same string."""
    if line.isprintable():
        return line
    return "".join(c if c.isprintable() else json.dumps(c)[1:-1] for c in line)


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
    rows = [[row["id"], _cut(_flat(row.get("story") or ""), TABLE_STORY_CHARS), row["kind"],
             row["change"] + (" (muted)" if row.get("muted") else ""),
             _cut(_flat(row["subject"])), _cut(_flat(row["actor"] or ""), 32), change_text(row),
             _flat(row.get("published") or "")] for row in digest.alerts]
    return tabulate(rows, headers=["id", "story", "kind", "change", "subject", "actor", "before → after", "published"])


def _cut(text: str, width: int = TABLE_SUBJECT_CHARS) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


# ---- Markdown ---------------------------------------------------------------------------------

def as_markdown(digest: Digest) -> str:
    """Per story: per subject or topic each change with both sentences and links, then each
    figure's history table."""
    out = [f"# {_md(digest.title)}", "", f"{_md(digest.totals)} Window: {digest.window}; made {digest.generated}.", ""]
    if not digest.alerts:
        out += ["No alerts.", ""]
    for story in digest.stories:
        out += [f"## {_md(story.label)}", ""]
        # The changes first, each subject's history after them (issue 15).
        for section in story.sections:
            out += [f"### {section.kind.capitalize()}: {_md(section.subject)}", ""]
            for row in section.alerts:
                out += _md_alert(row)
        for section in (s for s in story.sections if s.history):
            out += [f"### History: {_md(section.subject)}", "", *_md_history(section)]
    if digest.failures:
        out += ["## Sources that failed", ""]
        out += [f"- **{_md(f.source)}**: {_md(f.error)} ({f.count}×, last {f.when})" for f in digest.failures] + [""]
    if digest.warnings:
        out += ["## Sources read with warnings", ""]
        out += [f"- **{_md(f.source)}**: {_md(f.error)} ({f.count}×, last {f.when})" for f in digest.warnings] + [""]
    return "\n".join(out)


def _md_history(section: Section) -> list[str]:
    lines = ["| date | source | value | change | article |", "|---|---|---|---|---|"]
    for p in section.history[section.earlier:]:
        mark = f"**{p.change.replace('_', ' ')}**" if p.change else ""
        lines.append(f"| {_md(p.date)} | {_cell(_md(p.source))} | {'**' + p.shown + '**' if p.change else p.shown} "
                     f"| {mark} | {_cell(_md_link(p.link, p.title))} |")
    if section.earlier:
        lines.append(f"\n{section.earlier} earlier row(s) not shown.")
    return lines + [""]


def _md_alert(row: dict) -> list[str]:
    lines = [f"- **{change_text(row)}** ({row['change'].replace('_', ' ')}) — {_md(row.get('actor') or 'unattributed')}",
             f"  - now: “{_md(row['evidence'])}” — {_md_source(link_of(row), row.get('title'))}"
             f"{', ' + _md(row['published']) if row.get('published') else ''}"]
    if row.get("previous_evidence"):
        lines.append(f"  - before: “{_md(row['previous_evidence'])}” — {_md_source(link_of(row, True), None)}"
                     f"{', ' + _md(row['previous_published']) if row.get('previous_published') else ''}")
    return lines + [""]


# Markdown syntax in article text, backslash-escaped (CommonMark and Python-Markdown, which
# apprise uses, both honour these escapes): brackets cannot open a link, an image or a link
# reference, a backtick cannot open code around our own links, asterisks and underscores cannot
# open emphasis, and a backslash cannot undo an escape of ours. Angle brackets become entities,
# so no raw HTML and no <scheme:...> autolink.
MD_SYNTAX = re.compile(r"([\\`*_\[\]])")


def _md(text: str) -> str:
    """Article text is data: one line (no heading, list or section can start), no markup."""
    return MD_SYNTAX.sub(r"\\\1", _flat(text)).replace("<", "&lt;").replace(">", "&gt;")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _md_source(target: str | None, title: str | None) -> str:
    """Evidence's article with its outlet's domain first (issue 15): who published it shows
    without following the link."""
    site = outlet(target)
    return f"**{_md(site)}** · {_md_link(target, title)}" if site else _md_link(target, title)


def _md_link(target: str | None, title: str | None) -> str:
    """Only an http(s) article becomes a link, its URL percent-encoded; anything else is text."""
    if not target:
        return "unknown article"
    if is_web(target):
        return f"[{_md(title or target)}](<{web_url(target)}>)"
    return f"{_md(title)} ({_md_code(target)})" if title else _md_code(target)


def _md_code(text: str) -> str:
    """A path in a code span, where nothing is markup; a backtick in it would end the span."""
    return f"`{_flat(text).replace('`', chr(39))}`"


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
            for row in section.alerts:
                out += _text_alert(row)
        for section in (s for s in story.sections if s.history):
            out += [*_wrap(f"History: {_flat(section.subject)}"), "-" * TEXT_WIDTH, *_text_history(section)]
    if digest.failures:
        out += ["SOURCES THAT FAILED", ""]
        for f in digest.failures:
            out += _wrap(f"* {_flat(f.source)}: {_flat(f.error)} ({f.count}x, last {f.when})", "  ")
    if digest.warnings:
        out += ["", "SOURCES READ WITH WARNINGS", ""]
        for f in digest.warnings:
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
