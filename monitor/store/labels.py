"""A story's current label: what its latest articles say it is about (issue 15).

The stored label (stories.label) is the story's first headline, and it stays so: the topic
stage reads the story's open question from it (topic_identity._headline_class). A reader
wants the latest: a digest headed "toll rises to 2,041" over an alert saying 3,412 reads
stale. So the digest, the mail subject, the alerts table and the Atom feed take the headline
of the story's latest article, found through the index on articles.story_id.

"Latest" is by arrival among the articles dated on the story's latest day or undated: an
undated article counts as news when it arrives, while an older article that arrives late (a
backfill, a feed re-read) does not relabel the story.
"""
from __future__ import annotations

LATEST_TITLE = """
    select a.title from articles a join stories s on s.id = a.story_id
    where a.story_id = ? and coalesce(a.title, '') != ''
      and (coalesce(a.published, '') = '' or substr(a.published, 1, 10) >= coalesce(s.last_published, ''))
    order by a.id desc limit 1"""


def current_labels(db, story_ids) -> dict[int, str]:
    """{story id: its latest headline} for the stories of `story_ids` that have a titled
    article; a story of untitled articles is left out (its stored label stands)."""
    labels = {}
    for story_id in dict.fromkeys(story_ids):
        if story_id is None:
            continue
        row = db.execute(LATEST_TITLE, [story_id]).fetchone()
        if row:
            labels[story_id] = row[0]
    return labels
