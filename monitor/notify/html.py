"""The HTML digest: one self-contained page (no script, no external asset), readable on a phone.

Built in two steps so that no article text can become markup: Jinja2 renders the body with
autoescaping on, then nh3 (the Ammonia sanitizer) keeps only the tags and attributes the
template uses and only http(s) links. The page around the body is a constant, with a
Content-Security-Policy that forbids scripts and every external load as a last guard.
"""
from __future__ import annotations

from functools import lru_cache

import nh3
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from .chart import chart
from .model import Digest, change_text, is_web, link_of, outlet, web_url

# What the body template writes, and nothing else: article text can add no tag or attribute.
TAGS = {"header", "section", "h1", "h2", "h3", "p", "span", "strong", "br", "div", "blockquote", "cite", "code",
        "a", "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "details", "summary",
        "svg", "line", "polyline", "circle", "rect", "text", "title"}
ATTRIBUTES = {
    "*": {"class"},
    "a": {"href"},
    "svg": {"viewBox", "width", "height", "role", "aria-label", "aria-hidden"},
    "line": {"x1", "y1", "x2", "y2", "stroke", "stroke-width"},
    "polyline": {"points", "fill", "stroke", "stroke-width"},
    "circle": {"cx", "cy", "r", "fill", "stroke", "stroke-width"},
    "rect": {"width", "height", "fill"},
    "text": {"x", "y", "font-size", "text-anchor", "fill"},
}
URL_SCHEMES = {"http", "https"}
# Titles in table cells are cut to this many characters: two lines on a phone.
SHORT_TITLE = 60


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("monitor.notify", "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(chart=chart, change_text=change_text, link_of=link_of, link=_link, source=_source)
    return env


def as_html(digest: Digest) -> str:
    env = _environment()
    body = env.get_template("body.html").render(d=digest)
    clean = nh3.clean(body, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                      link_rel="noopener noreferrer nofollow", strip_comments=True)
    return env.get_template("digest.html").render(title=digest.title, body=Markup(clean))


def _source(target: str | None, title: str | None) -> Markup:
    """Evidence's article with its outlet's domain first: who published it is read at a glance,
    without following the link (issue 15)."""
    site = outlet(target)
    if not site:
        return _link(target, title)
    return Markup('<span class="outlet">{}</span> · {}').format(site, _link(target, title))


def _link(target: str | None, title: str | None, short: bool = False) -> Markup:
    """An http(s) article becomes a link; a path (or any other scheme) stays text. `short` cuts
    the title and shows a path's file name only, for table cells on a phone."""
    if not target:
        return Markup("unknown article")
    if short:
        title = title if not title or len(title) <= SHORT_TITLE else title[:SHORT_TITLE - 1] + "…"
    if is_web(target):
        return Markup('<a href="{}">{}</a>').format(web_url(target), title or target)
    path = target.rsplit("/", 1)[-1] if short else target
    return Markup("{} <code>{}</code>").format(title, path) if title else Markup("<code>{}</code>").format(path)
