"""`page` sources: one article URL, fetched with conditional GET and extracted."""
from __future__ import annotations

from ..records import Document
from . import Batch
from .http import Client

ACCEPT_HTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"


def fetch(source, state: dict, client: Client) -> Batch:
    response = client.get(source.url, state.get("etag"), state.get("last_modified"), ACCEPT_HTML)
    if response.not_modified:
        return Batch(state=state, not_modified=True)
    return Batch(documents=[Document(origin=response.url, body=response.body, url=response.url,
                                     media_type=response.content_type)],
                 state={"etag": response.etag, "last_modified": response.last_modified})
