"""Typed records that cross stage boundaries: fetch -> clean -> claims -> diff -> notify.

Every record is a frozen dataclass so that a stage can never change what an earlier
stage handed it; a stage that wants a different value builds a new record.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """Raw bytes as they arrived, before anything is known about their format."""

    origin: str                 # the path given to `ingest`, or the URL fetched
    body: bytes
    url: str | None = None      # the URL the bytes came from, when fetched
    media_type: str | None = None
    # What the fetcher knows that the bytes may not say: "skip" (feed item links already
    # fetched as pages), "guid", "title", "published" of the feed item a page came from.
    hints: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Article:
    """One news item reduced to its text and metadata by the cleaner."""

    origin: str                 # what the user gave us: a path or a URL
    text: str                   # paragraphs separated by one blank line
    title: str | None = None
    url: str | None = None
    published: str | None = None   # ISO 8601 date (YYYY-MM-DD) or datetime
    format: str = "text"        # text | markdown | html | wordpress | feed
    guid: str | None = None

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]

    @property
    def link(self) -> str:
        """What an alert names as the article: its URL, else the path given to ingest."""
        return self.url or self.origin


@dataclass(frozen=True)
class Actor:
    """Who states something, from the most specific level to the least.

    `levels` holds (key, display) pairs: person, then body, then government or
    organisation. Keys are stable across articles; displays are for people.
    """

    levels: tuple[tuple[str, str], ...]

    @property
    def key(self) -> str:
        return self.levels[0][0]

    @property
    def name(self) -> str:
        return self.levels[0][1]

    def describe(self, start: int = 0) -> str:
        """'Lloyd Austin (Pentagon, United States)' from level `start` on."""
        names = [display for _, display in self.levels[start:]]
        if not names:
            return ""
        return names[0] if len(names) == 1 else f"{names[0]} ({', '.join(names[1:])})"


class Directory(dict):
    """What the store has learned about actors: person keys ("p:austin"), places
    ("place:Norland") and acronyms ("alias:NDMA"), each to its Actor.

    Not frozen, unlike the other records, on purpose: the store keeps one for the life of
    its connection and only ever adds to it, so that the claim stage reads it in constant
    time per article instead of copying a table that grows with every story. `places` and
    `aliases` are its place and acronym entries by name; `order` lists keys as they came.
    """

    def __init__(self, entries=()):
        super().__init__()
        self.places: dict[str, str] = {}
        self.aliases: dict[str, Actor] = {}
        self.order: list[str] = []
        for key, actor in dict(entries).items():
            self[key] = actor

    def __setitem__(self, key: str, actor: "Actor") -> None:
        if key not in self:
            self.order.append(key)
        super().__setitem__(key, actor)
        if key.startswith("place:"):
            self.places[key[6:]] = actor.name
        elif key.startswith("alias:"):
            self.aliases[key[6:]] = actor


@dataclass(frozen=True)
class Figure:
    """A number attached to what it counts."""

    cls: str                    # counted-noun class from the lexicon: troops, deaths, votes...
    who: str | None             # whose count, for casualties and votes: "troops", a candidate
    place: str | None           # scope: the country or group counted ("North Korea")
    value: float
    low: float | None
    high: float | None
    qualifier: str | None       # "at least", "close to", "hundreds"...
    vague: bool                 # no digits: "hundreds", "thousands"
    unit: str                   # the counted noun as written, a currency or %
    source: Actor | None        # None: the outlet itself
    sentence: str
    quote: str                  # the words the figure was read from
    past: bool = False          # a superseded value ("up from 1,500")
    population: str | None = None   # the group counted among the victims: "72 German victims" (Germany)


@dataclass(frozen=True)
class Position:
    """What an actor says about a proposition."""

    actor: Actor
    scale: str                  # truth | action
    stance: str                 # a label of the contract
    cue: str                    # the words that carry the stance
    topic_terms: tuple[str, ...]  # content words of the proposition, normalised
    topic_text: str             # the proposition as written
    anaphoric: bool             # "denied the reports": points back to the story's claim
    prospect: bool              # about what would or will happen
    action: str | None          # action scale: the action's canonical verb
    sentence: str
    past: bool = False          # an earlier statement, reported as background


@dataclass(frozen=True)
class Claims:
    """Everything the claim stage read in one article."""

    article: Article
    figures: tuple[Figure, ...] = ()
    positions: tuple[Position, ...] = ()
    terms: tuple[str, ...] = ()            # the article's salient terms, for story assignment
    directory: tuple[tuple[str, Actor], ...] = ()   # people, places and acronyms this article taught
    lead_terms: tuple[str, ...] = ()       # the names of its title and lead paragraph, for story assignment


@dataclass(frozen=True)
class Alert:
    """One change: a figure revised or newly estimated, or a position that moved."""

    kind: str                   # figure | position
    change: str                 # revised | new_estimate | stance_changed
    subject: str
    actor: str | None
    article: str
    evidence: str
    published: str | None
    value: float | None = None
    previous_value: float | None = None
    previous_actor: str | None = None   # figures: whose value the previous one was ("Zelenskyy")
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    stance: str | None = None
    previous_stance: str | None = None
    previous_article: str | None = None
    previous_evidence: str | None = None
    previous_published: str | None = None
    subject_key: str | None = None
    story: int | None = None
    title: str | None = None
    url: str | None = None      # the article's URL when it has one (article may be a path)
    previous_url: str | None = None     # ... and the previous side's (its outlet is shown too)
    level: str | None = None    # positions: the actor level whose stance changed
