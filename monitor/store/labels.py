"""A story's current label: what its latest articles say it is about (issue 15).

The stored label (stories.label) is the story's first headline, and it stays so: the topic
stage reads the story's open question from it (topic_identity._headline_class). A reader
wants the latest: a digest headed "toll rises to 2,041" over an alert saying 3,412 reads
stale. So the digest, the mail subject, the alerts table and the Atom feed take the headline
of the story's latest article, found through the index on articles.story_id.

"Latest" is by arrival among the articles dated on the story's latest day or undated: an
undated article counts as news when it arrives, while an older article that arrives late (a
backfill, a feed re-read) does not relabel the story. The SQL is views.STORY_LABEL, which the
store's views (alerts_view, figures_view, positions_view) use too.
"""
from __future__ import annotations

from ..views import STORY_LABEL

CURRENT_LABEL = f"select {STORY_LABEL} from stories s where s.id = ?"


def current_labels(db, story_ids) -> dict[int, str]:
    """{story id: its current label} for the stories of `story_ids` (one query each, through
    the index on articles.story_id)."""
    labels = {}
    for story_id in dict.fromkeys(story_ids):
        if story_id is None:
            continue
        row = db.execute(CURRENT_LABEL, [story_id]).fetchone()
        if row and row[0]:
            labels[story_id] = row[0]
    return labels
