"""Load the lexicons: TOML data files reviewed like code (monitor/lexicons/*.toml).

Code never holds words of the genre; it asks this module for them. Each file is read
once per process.
"""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """The parsed lexicon `name` (without .toml)."""
    data = resources.files("monitor.lexicons").joinpath(f"{name}.toml").read_bytes()
    return tomllib.loads(data.decode("utf-8"))


@lru_cache(maxsize=None)
def patterns(name: str, key: str) -> tuple[re.Pattern, ...]:
    """The regular expressions listed under `key`, compiled case-insensitively."""
    return tuple(re.compile(p, re.I) for p in load(name)[key])


def alternation(words) -> str:
    """A regex alternation of phrases, longest first, spaces matching any white space."""
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


def alternation_regex(patterns) -> str:
    """A regex alternation of patterns that are already regular expressions."""
    return "|".join(f"(?:{p})" for p in patterns)
