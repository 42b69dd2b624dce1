"""Notify stage: alerts as people and programs read them, and delivered where they want them.

Public entry points: `digest(store, alerts, ...)` gathers what a digest shows, `render(format,
digest)` writes it as "json" (the contract's JSON lines), "table", "csv", "markdown", "text"
or "html" (a registry keyed by format name, urlwatch-style), and `deliver(notifiers, store,
...)` hands the alerts each notifier has not had yet to it (notifiers.py). `one_line(text)`
is what every displayed field goes through: one printable line, no bidi override or other
invisible format character (for the command line's tables too).
"""
from __future__ import annotations

from .formats import CONTRACT_KEYS, as_json, as_markdown, as_table, as_text
from .html import as_html
from .tabular import as_csv
from .model import Digest, build as digest, flat as one_line, since
from .notifiers import NotifyError, deliver

RENDERERS = {"json": as_json, "table": as_table, "markdown": as_markdown, "md": as_markdown, "text": as_text,
             "html": as_html, "csv": as_csv}
FORMATS = ("md", "html", "text")


def render(fmt: str, digest_: Digest) -> str:
    return RENDERERS[fmt](digest_)


__all__ = ["CONTRACT_KEYS", "Digest", "FORMATS", "NotifyError", "RENDERERS", "deliver", "digest", "one_line", "render",
           "since"]
