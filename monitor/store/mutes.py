"""Mutes: what a user does not want to hear about for a while (`monitor mute`).

A mute names a field of an alert and a text: `subject` (a figure's subject, "deaths"),
`topic` (a position's proposition), `actor` (who gave the figure or took the stance), or
`story` (its id, or words of its label or of the alert's headline); the text matches
case-insensitively anywhere in that field. It may end (`until`, UTC). An alert raised while
a mute matches is stored as usual, with `muted` saying which mute; notifiers never deliver
it, `monitor alerts` shows it marked and `monitor digest` leaves it out. Alerts raised before
the mute keep their state: a mute is about what comes, and what was delivered stays so.
"""
from __future__ import annotations

MUTE_FIELDS = ("subject", "topic", "actor", "story")


def describe(mute: dict) -> str:
    until = f" until {mute['until']}" if mute.get("until") else ""
    return f"{mute['field']} {mute['text']!r}{until}"


def active(db, at: str) -> list[dict]:
    """The mutes in force at `at` (ISO 8601, UTC, as the store writes times)."""
    return list(db.query("select * from mutes where until is null or until > ? order by id", [at]))


def matching(mutes: list[dict], alert: dict, story_label: str | None) -> dict | None:
    """The first mute that matches this alert row, or None."""
    for mute in mutes:
        needle = mute["text"].casefold()
        if mute["field"] == "story":
            if needle.isdigit() and alert.get("story_id") == int(needle):
                return mute
            haystacks = [story_label, alert.get("title")]
        elif mute["field"] == "topic":
            haystacks = [alert.get("subject")] if alert.get("kind") == "position" else []
        elif mute["field"] == "subject":
            haystacks = [alert.get("subject")] if alert.get("kind") != "position" else []
        else:
            haystacks = [alert.get("actor"), alert.get("previous_actor")]
        if any(needle in (h or "").casefold() for h in haystacks):
            return mute
    return None
