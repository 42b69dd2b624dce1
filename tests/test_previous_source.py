"""An alert's "before" names whose value it was (issue 14, deliverable 2): "10,000 (Zelenskyy) →
at least 3,000 (Kirby)". Two made-up articles through a real store file."""
from __future__ import annotations

import sqlite3

from monitor import pipeline
from monitor.notify.formats import contract_record
from monitor.notify.model import change_text
from monitor.store import Store


def test_the_previous_value_names_its_source(tmp_path):
    store = Store(str(tmp_path / "store.db"))
    try:
        for i, text in enumerate(["Flood toll rises\n\nThe toll in Zembia's floods rose to 310, the disaster agency "
                                  "chief Ana Ruiz said.\n",
                                  "Flood toll rises again\n\nThe toll in Zembia's floods rose to 355, the health "
                                  "minister Tomas Vidal said.\n"]):
            path = tmp_path / f"{i}.txt"
            path.write_text(text)
            assert pipeline.ingest_paths(store, [str(path)]).ok
    finally:
        store.close()
    conn = sqlite3.connect(tmp_path / "store.db")
    conn.row_factory = sqlite3.Row
    rows = [dict(r) for r in conn.execute("select * from alerts where kind = 'figure'")]
    assert len(rows) == 1 and rows[0]["previous_actor"].startswith("Ana Ruiz")
    assert change_text(rows[0]) == "310 (Ana Ruiz) → 355 (Tomas Vidal)"
    assert contract_record(rows[0])["previous_actor"].startswith("Ana Ruiz")
