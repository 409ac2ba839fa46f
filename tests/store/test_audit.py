from __future__ import annotations

import sqlite3

import pytest

from tests.store.conftest import JUDGED


def test_chain_verifies_after_normal_work(store, survey):
    store.surveys.complete(survey, observations={}, judgement=JUDGED, author="a")
    report = store.audit.verify()
    assert report.ok and report.entries >= 4


def test_audit_rows_cannot_be_updated_or_deleted(store, survey):
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.execute("UPDATE audit_log SET actor = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.execute("DELETE FROM audit_log")


def test_tampering_is_detected_at_the_edited_entry(store, survey):
    store.surveys.complete(survey, observations={}, judgement=JUDGED, author="a")
    # Someone with the file drops the guard trigger and rewrites history.
    store.db.execute("DROP TRIGGER audit_log_no_update")
    seq = store.db.execute("SELECT seq FROM audit_log ORDER BY seq LIMIT 1 OFFSET 2").fetchone()[0]
    store.db.execute("UPDATE audit_log SET payload = '{\"grade\":\"全壊\"}' WHERE seq = ?", [seq])
    report = store.audit.verify()
    assert not report.ok
    assert report.first_bad_seq == seq


def test_deleted_entry_breaks_the_chain(store, survey):
    store.surveys.complete(survey, observations={}, judgement=JUDGED, author="a")
    store.db.execute("DROP TRIGGER audit_log_no_delete")
    store.db.execute("DELETE FROM audit_log WHERE seq = 2")
    report = store.audit.verify()
    assert not report.ok and report.first_bad_seq == 3


def test_entries_for_an_entity(store, survey):
    store.surveys.complete(survey, observations={}, judgement=JUDGED, author="佐藤")
    actions = [e["action"] for e in store.audit.entries_for("survey", survey)]
    assert actions == ["create", "complete"]
