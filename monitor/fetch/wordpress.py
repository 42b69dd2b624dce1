"""`wordpress` sources: a site's REST API, /wp-json/wp/v2/posts, newest changes first.

Pages are read with `per_page`, `orderby=modified`, `modified_after` (the newest
modification seen, once there is one) and `_embed=author`; `X-WP-TotalPages` says where
the list ends, and a 400 past the last page means the end as well. A next page that a
budget refuses or cuts off (fetch/budget.py) ends the pass at the pages already read, with
one warning; the source's state is then left as it was (its newest modification and
validators), so the next pass asks again from where this one began. A site is given by its
address (`https://example.org/blog`), its API (`.../wp-json/` or `.../wp-json/wp/v2/posts`,
filters such as `?categories=5` kept) or, on a site with plain permalinks, the API's
`?rest_route=` form (`https://example.org/?rest_route=/wp/v2/posts`).
"""
from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..records import Document
from . import Batch
from .http import BudgetSpent, Client, FetchError, PagesBudgetSpent


POSTS = "/wp/v2/posts"


def endpoint(site: str, source, page: int, after: str | None) -> str:
    """The URL of one page of posts, in the form the site was given in."""
    query = {"per_page": source.per_page, "page": page, "orderby": "modified", "order": "desc", "_embed": "author"}
    if after:
        query["modified_after"] = after
    parts = urlsplit(site)
    given = parse_qsl(parts.query, keep_blank_values=True)
    path = parts.path
    if any(key == "rest_route" for key, _ in given):
        given = [(k, v if k != "rest_route" or v.strip("/") else POSTS) for k, v in given]
    elif "/wp-json" in path:
        if path.rstrip("/").endswith("/wp-json"):
            path = path.rstrip("/") + POSTS
    else:
        path = path.rstrip("/") + "/wp-json" + POSTS
    # The site's own parameters first (rest_route, filters), then the paging, which wins.
    kept = [(k, v) for k, v in given if k not in query]
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(kept + list(query.items()), safe="/"), ""))


def fetch(source, state: dict, client: Client) -> Batch:
    after = state.get("modified_after")
    batch = Batch(state=dict(state))
    newest = after
    for page in range(1, source.max_pages + 1):
        try:
            posts, total = _page(source, client, page, after, state if page == 1 else {}, batch)
        except (BudgetSpent, PagesBudgetSpent) as exc:
            if page == 1:                         # nothing read: the pass decides (due next pass)
                raise
            _cut(source, state, batch, page, exc)
            return batch
        if posts is None:
            break
        for post in posts:
            link = post.get("link") or f"{source.url}#post-{post.get('id')}"
            batch.documents.append(Document(origin=link, body=json.dumps(post).encode(), url=post.get("link")))
            stamp = post.get("modified_gmt") or post.get("modified")
            newest = max(filter(None, [newest, stamp])) if stamp else newest
        if total is not None and page >= total:
            break
    batch.state["modified_after"] = newest
    return batch


def _cut(source, state: dict, batch: Batch, page: int, exc: BudgetSpent | PagesBudgetSpent) -> None:
    """A next page refused or cut off by a budget: the posts read so far are kept, with one
    warning, and the old state, so that the pages not read are asked for next pass (a newer
    modified_after or page 1's validators would skip them)."""
    batch.state = dict(state)
    batch.warnings.append(f"{source.name}: pages from {page} on not fetched: {exc.reason}; the "
                          f"{len(batch.documents)} post(s) of the pages before are kept, and the next pass "
                          f"asks again from where this one began")


def _page(source, client, page, after, validators, batch):
    url = endpoint(source.url, source, page, after)
    try:
        response = client.get(url, validators.get("etag"), validators.get("last_modified"), "application/json")
    except FetchError as exc:
        if page > 1 and exc.status == 400:
            return None, None                     # past the last page
        raise
    if response.not_modified:
        batch.not_modified = True
        return None, None
    if page == 1:
        batch.state.update(etag=response.etag, last_modified=response.last_modified)
    try:
        posts = json.loads(response.body)
    except ValueError as exc:
        raise FetchError(f"{url}: not JSON: {exc}") from exc
    if not isinstance(posts, list):
        raise FetchError(f"{url}: expected a list of posts, got {type(posts).__name__}")
    total = response.headers.get("x-wp-totalpages")
    return posts, int(total) if total and total.isdigit() else None
