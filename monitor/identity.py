"""Article identity that survives churn: canonical URLs, so that one article fetched as
http://site/a?utm_source=x and https://site/a is one article."""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that track a click, not name a page (Google, Facebook, Mailchimp, Adobe,
# Microsoft, Twitter and the common CMS ones).
# Generic names ("cid", "ref", "src", "id") are left alone: some sites name pages with them.
TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|_hsenc|_hsmi|mkt_tok|"
                      r"cmpid|ocid|ref_src|ref_url|smid|smtyp|igshid|s_cid|sr_share)$", re.I)


def canonical_url(url: str | None) -> str | None:
    """https, lower-case host, no default port, no fragment, no tracking parameters, no
    trailing slash: the form two fetches of one article share."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return url
    host = parts.hostname.lower()
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)))
    path = re.sub(r"/+$", "", parts.path) or "/"
    return urlunsplit(("https", host, path, query, ""))
