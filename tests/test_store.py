"""The SQLite store: schema, WAL mode, reopening, migration, transactions, corrupt files."""
from __future__ import annotations

import random
import sqlite3

import pytest

from monitor import store as store_module
from monitor.errors import StoreError
from monitor.notify import CONTRACT_KEYS
from monitor.store import Store


def test_schema_has_the_core_tables(store):
    assert {"articles", "claims", "alerts", "runs"} <= set(store.db.table_names())


def test_schema_has_every_table_store_py_declares(store):
    assert set(store_module.SCHEMA) <= set(store.db.table_names())


def test_alerts_table_holds_every_contract_key(store):
    assert set(CONTRACT_KEYS) <= set(store.db["alerts"].columns_dict)


def test_wal_mode_is_on(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_wal_mode_is_kept_in_the_file(tmp_path):
    Store(tmp_path / "s.db").close()
    conn = sqlite3.connect(tmp_path / "s.db")
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_reopening_an_existing_store_keeps_its_rows(tmp_path):
    first = Store(tmp_path / "s.db")
    run_id = first.start_run("ingest", 1)
    first.close()
    again = Store(tmp_path / "s.db")
    try:
        assert [r["id"] for r in again.db["runs"].rows] == [run_id]
    finally:
        again.close()


def test_reopening_does_not_change_the_schema(tmp_path):
    first = Store(tmp_path / "s.db")
    before = {t: first.db[t].columns_dict for t in first.db.table_names()}
    first.close()
    again = Store(tmp_path / "s.db")
    try:
        assert {t: again.db[t].columns_dict for t in again.db.table_names()} == before
    finally:
        again.close()


def test_an_older_store_gains_missing_columns(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("create table articles (id integer primary key, url text)")
    conn.execute("insert into articles (url) values ('https://example.org/a')")
    conn.commit()
    conn.close()
    s = Store(path)
    try:
        assert set(store_module.SCHEMA["articles"]) <= set(s.db["articles"].columns_dict)
        assert [r["url"] for r in s.db["articles"].rows] == ["https://example.org/a"]
    finally:
        s.close()


def test_corrupt_file_raises_store_error(tmp_path):
    path = tmp_path / "corrupt.db"
    path.write_bytes(random.Random(7).randbytes(8192))
    with pytest.raises(StoreError):
        Store(path)


def test_corrupt_file_error_names_the_file(tmp_path):
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"SQLite format 3\x00" + random.Random(8).randbytes(8192))
    with pytest.raises(StoreError, match="corrupt.db"):
        Store(path)


def test_text_file_is_not_a_store(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("shopping list: eggs, milk\n")
    with pytest.raises(StoreError):
        Store(path)


def test_unwritable_location_raises_store_error(tmp_path):
    with pytest.raises(StoreError):
        Store(tmp_path / "no" / "such" / "folder" / "s.db")


def test_transaction_commits_together(store):
    with store.transaction():
        store.add_claim({"article_id": 1, "kind": "figure", "value": 1500.0, "sentence": "a"})
        store.add_claim({"article_id": 1, "kind": "figure", "value": 3000.0, "sentence": "b"})
    assert store.db["claims"].count == 2


def test_transaction_rolls_back_on_error(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.add_claim({"article_id": 1, "kind": "figure", "value": 1500.0, "sentence": "a"})
            raise RuntimeError("the diff stage failed half-way")
    assert store.db["claims"].count == 0


def test_alerts_come_back_oldest_first(store):
    for subject in ("first", "second", "third"):
        store.add_alert({"kind": "figure", "change": "revised", "subject": subject, "article": "a.txt",
                         "evidence": "e"})
    assert [a["subject"] for a in store.alerts()] == ["first", "second", "third"]


def test_a_reader_sees_committed_rows_while_the_store_is_open(store):
    store.start_run("ingest", 3)
    reader = sqlite3.connect(store.path)
    try:
        assert reader.execute("select count(*) from runs").fetchone()[0] == 1
    finally:
        reader.close()
