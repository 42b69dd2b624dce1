"""Alerts as CSV, for a spreadsheet: one row per alert, the contract's keys first, then the
extras every row may carry (previous source, range, story), in a fixed order so that the
columns of two exports line up.

Cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR: OWASP's
"CSV injection") are prefixed with a quote; a leading "-" of a number is left alone.
"""
from __future__ import annotations

import csv
import io
import re

from .formats import CONTRACT_KEYS, EXTRA_KEYS, contract_record
from .model import Digest

COLUMNS = ["id", "run_id", "created", "story", *CONTRACT_KEYS,
           *[k for k in EXTRA_KEYS if k not in ("id", "run_id", "created", "story")]]
FORMULA = re.compile(r"^[=+\-@\t\r]")
NUMBER = re.compile(r"^-?[0-9][0-9.,]*$")


def _cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    if FORMULA.match(text) and not NUMBER.match(text):
        return "'" + text
    return text


def as_csv(digest: Digest) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in digest.alerts:
        record = contract_record(row)
        writer.writerow([_cell(record.get(key)) for key in COLUMNS])
    return out.getvalue()
