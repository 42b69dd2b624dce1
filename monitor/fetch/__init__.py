"""Fetch stage: a configured source -> new documents, urlwatch-style registry by kind.

Public entry point: `fetch(source, state, client) -> Batch`. A fetcher never raises for one
bad item: item errors are kept in the batch and the rest goes on; a failing source raises
FetchError, which the scheduler records against that source alone.

Each fetch runs under its source's address policy (`http.address_policy`): the source's own
`allow_private`, so one intranet source does not open every feed's redirects and linked
pages to the intranet. The fetchers (and whatever wraps the shared client) need not know:
every request they make in this thread is checked by it.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from ..records import Document
from .http import Client, FetchError, RetryLater, address_policy

# kind -> "module:function"; a new kind of source is one entry.
FETCHERS = {"feed": "feeds:fetch", "wordpress": "wordpress:fetch", "page": "pages:fetch", "files": "files:fetch"}


@dataclass
class Batch:
    """What one fetch of one source brought."""

    documents: list[Document] = field(default_factory=list)
    state: dict = field(default_factory=dict)       # validators and cursors, saved after the documents commit
    not_modified: bool = False
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # item-level errors: the source itself was read


def fetch(source, state: dict, client: Client) -> Batch:
    # None (a Source made in code without the key): the client's own policy
    with address_policy(getattr(source, "allow_private", None)):
        return fetcher(source.kind)(source, dict(state), client)


def fetcher(kind: str):
    """The fetch function registered for `kind`, its module imported on first use (the page
    and feed fetchers bring in the cleaner's parsers)."""
    module, function = FETCHERS[kind].split(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), function)


__all__ = ["Batch", "Client", "FetchError", "RetryLater", "fetch", "fetcher", "FETCHERS"]
