"""An Atom feed (RFC 4287) of alerts, for feed readers.

One entry per alert with an id that stays the same across rewrites and stores (a UUID made
from what the alert says), its evidence in the entry, and a link to the article when it is
on the web. ElementTree writes the XML, so every text is escaped; characters XML 1.0 cannot
hold (control characters, NUL) are dropped first, and so are the invisible format characters
(bidi overrides, zero-width spaces) that would reorder or hide what a reader shows.
"""
from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET

from markupsafe import Markup

from .model import change_text, flat, is_web, link_of, web_url

ATOM = "http://www.w3.org/2005/Atom"
# The namespace of the entries' UUIDs: fixed, so that the same alert always has the same id.
NAMESPACE = uuid.UUID("5b0c6f43-6d8e-4a3e-9d4e-6d6f6e69746f")
# Characters XML 1.0 does not allow (C0 controls but tab, newline and CR; surrogates; FFFE/FFFF).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Unicode's format characters (category Cf) that a reader would act on unseen: soft hyphen,
# Arabic letter mark, zero-width spaces and joiners, LRM/RLM, bidi embeddings, overrides and
# isolates, word joiners and invisible operators, BOM, interlinear annotations.
INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
                       "\ufff9-\ufffb]")
# A story's label in an entry title is cut to this many characters: feed readers list about
# 80-100 characters of a title, and the change itself should show after it.
TITLE_STORY_CHARS = 60


def entry_id(alert: dict) -> str:
    """urn:uuid from the alert's content: the same alert keeps its id when the feed is rewritten."""
    fields = [alert.get(k) for k in ("kind", "change", "subject_key", "subject", "actor", "value", "stance",
                                     "previous_value", "previous_stance", "article", "evidence")]
    return uuid.uuid5(NAMESPACE, repr(fields)).urn


def feed(alerts, title: str, feed_id: str) -> bytes:
    """The feed of `alerts` (newest first in the feed), as UTF-8 bytes."""
    ET.register_namespace("", ATOM)
    root = ET.Element(_q("feed"))
    _text(root, "title", title)
    _text(root, "id", uuid.uuid5(NAMESPACE, f"feed:{feed_id}").urn)
    _text(root, "updated", max((a["created"] for a in alerts), default="1970-01-01T00:00:00+00:00"))
    ET.SubElement(root, _q("generator")).text = "monitor"
    for alert in sorted(alerts, key=lambda a: a["id"], reverse=True):
        root.append(_entry(alert))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _entry(alert: dict) -> ET.Element:
    entry = ET.Element(_q("entry"))
    _text(entry, "id", entry_id(alert))
    _text(entry, "title", title(alert))
    _text(entry, "updated", alert["created"])
    _text(entry, "published", alert["created"])
    author = ET.SubElement(entry, _q("author"))
    _text(author, "name", alert.get("actor") or "unattributed")
    if is_web(link_of(alert)):
        ET.SubElement(entry, _q("link"), rel="alternate", href=web_url(link_of(alert)))
    _text(entry, "summary", f"{change_text(alert)} ({alert['change'].replace('_', ' ')}): “{alert['evidence']}”")
    content = ET.SubElement(entry, _q("content"), type="html")
    content.text = _clean(_content(alert))
    return entry


def title(alert: dict) -> str:
    """"<story>: Figure: <subject>: <before> → <after>": a feed reader lists entries by title,
    and the story says which news the change is in (issue 15); its label is the story's latest
    headline, cut so that the change still shows."""
    story = flat(alert.get("story") or "")
    if len(story) > TITLE_STORY_CHARS:
        story = story[:TITLE_STORY_CHARS - 1] + "…"
    text = f"{alert['kind'].capitalize()}: {alert['subject']}: {change_text(alert)}"
    return f"{story}: {text}" if story else text


def _content(alert: dict) -> str:
    """The alert as escaped HTML: both sentences and both articles, checkable from the entry alone."""
    html = Markup("<p><b>{}</b> ({}) — {}</p><p>Now:</p><blockquote>{}</blockquote><p>{}{}</p>").format(
        change_text(alert), alert["change"].replace("_", " "), alert.get("actor") or "unattributed",
        alert["evidence"], link_of(alert) or "", f", {alert['published']}" if alert.get("published") else "")
    if alert.get("previous_evidence"):
        html += Markup("<p>Before:</p><blockquote>{}</blockquote><p>{}{}</p>").format(
            alert["previous_evidence"], link_of(alert, True) or "",
            f", {alert['previous_published']}" if alert.get("previous_published") else "")
    return str(html)


def _q(tag: str) -> str:
    return f"{{{ATOM}}}{tag}"


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, _q(tag))
    element.text = flat(_clean(str(value)))         # every text element is one line
    return element


def _clean(text: str) -> str:
    return INVISIBLE.sub("", NOT_XML.sub("", text))
