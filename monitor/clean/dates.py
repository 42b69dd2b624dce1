"""Dates as ISO 8601 strings, from whatever a page or header gives us."""
from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as dateparser

# A date in running text must carry a year to be taken: "October 24, 2024", "24 Oct 2024".
TEXT_DATE = re.compile(
    r"\b(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}"
    r"|\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2})\b")


def iso_date(value) -> str | None:
    """'2024-10-23' (or a full timestamp when the source has one) from a string or struct_time."""
    if value is None:
        return None
    if hasattr(value, "tm_year"):
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday).isoformat()
    text = str(value).strip()
    if not text:
        return None
    match = TEXT_DATE.search(text)
    try:
        parsed = dateparser.parse(match.group(0) if match else text, fuzzy=not match)
    except (ValueError, OverflowError):
        return None
    return parsed.date().isoformat() if parsed and 1990 <= parsed.year <= 2100 else None


def find_date(text: str) -> str | None:
    """The first full date in running text, if any."""
    match = TEXT_DATE.search(text)
    return iso_date(match.group(0)) if match else None
