"""`page` sources: one article URL, fetched with conditional GET and extracted. A 200 with
an empty body keeps the last pass's validators, with a warning (see feeds.py)."""
from __future__ import annotations

from ..records import Document
from . import Batch
from .http import Client

ACCEPT_HTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"


def fetch(source, state: dict, client: Client) -> Batch:
    response = client.get(source.url, state.get("etag"), state.get("last_modified"), ACCEPT_HTML)
    if response.not_modified:
        return Batch(state=state, not_modified=True)
    if not response.body.strip():                # nothing to read: the next pass asks again in full
        return Batch(state=dict(state), warnings=[f"{source.name}: {source.url}: an empty page; its validators "
                                                  f"are not kept, so the next pass fetches it in full"])
    return Batch(documents=[Document(origin=response.url, body=response.body, url=response.url,
                                     media_type=response.content_type)],
                 state={"etag": response.etag, "last_modified": response.last_modified})
