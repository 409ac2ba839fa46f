from __future__ import annotations

import sqlite3

import pytest

from survey_app.store.db import open_store
from survey_app.store.schema import migrations
from survey_app.store.surveys import StaleVersionError
from tests.store.conftest import JUDGED


def test_open_sets_wal_and_foreign_keys(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_migrations_are_recorded_and_idempotent(tmp_path):
    s = open_store(tmp_path / "a.db")
    applied = [m.name for m in migrations.applied(s.db)]
    s.close()
    s2 = open_store(tmp_path / "a.db")
    assert [m.name for m in migrations.applied(s2.db)] == applied
    assert applied[:2] == ["m001_core", "m002_fulltext"]


def test_foreign_key_refuses_orphan_building(store):
    with pytest.raises(sqlite3.IntegrityError), store.atomic():
        store.db["buildings"].insert({"id": "x", "disaster_id": "nope", "address": "a",
                                      "created_at": "t", "updated_at": "t"})


def test_completing_makes_new_versions_and_keeps_old(store, survey):
    v1 = store.surveys.complete(survey, observations={"a": 1}, judgement=JUDGED, author="佐藤")
    v2 = store.surveys.complete(survey, observations={"a": 2}, judgement={**JUDGED,
                                "grade": "全壊", "grade_code": "zenkai"}, author="佐藤",
                                base_version_id=v1, reason="再調査")
    versions = store.surveys.versions(survey)
    assert [v["id"] for v in versions] == [v1, v2]
    assert versions[0]["observations"] == {"a": 1}
    assert versions[1]["base_version_id"] == v1
    head = store.surveys.get(survey)
    assert (head["head_version_id"], head["grade"], head["version_count"]) == (v2, "全壊", 2)


def test_versions_cannot_be_changed_in_place(store, survey):
    vid = store.surveys.complete(survey, observations={}, judgement=JUDGED, author="a")
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        store.db.execute("UPDATE survey_versions SET grade = '全壊' WHERE id = ?", [vid])
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        store.db.execute("DELETE FROM survey_versions WHERE id = ?", [vid])


def test_stale_base_is_refused_and_nothing_written(store, survey):
    v1 = store.surveys.complete(survey, observations={}, judgement=JUDGED, author="a")
    with pytest.raises(StaleVersionError):
        store.surveys.complete(survey, observations={"x": 1}, judgement=JUDGED, author="b",
                               base_version_id=None)
    assert [v["id"] for v in store.surveys.versions(survey)] == [v1]


def test_draft_roundtrip_and_cleared_on_complete(store, survey):
    store.surveys.save_draft(survey, {"inclination": {"offsets_cm": [1, 2, 3, 4]}})
    assert store.surveys.get(survey)["status"] == "draft"
    assert store.surveys.draft(survey)["observations"]["inclination"]["offsets_cm"] == [1, 2, 3, 4]
    store.surveys.complete(survey, observations={}, judgement=JUDGED, author="a")
    assert store.surveys.draft(survey) is None


def test_failed_multi_step_write_leaves_nothing(store, survey):
    before = store.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with pytest.raises(RuntimeError), store.atomic():
        store.surveys.complete(survey, observations={}, judgement=JUDGED, author="a")
        raise RuntimeError("power cut")
    assert store.surveys.versions(survey) == []
    assert store.surveys.get(survey)["head_version_id"] is None
    assert store.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before


def test_one_building_many_surveys(store, survey):
    bid = store.surveys.get(survey)["building_id"]
    second = store.surveys.create(building_id=bid, stage="second", hazard="earthquake",
                                  previous_survey_id=survey)
    assert [s["id"] for s in store.surveys.for_building(bid)] == [survey, second]


def test_building_rename_updates_list_rows(store, survey):
    bid = store.surveys.get(survey)["building_id"]
    store.buildings.update(bid, actor="a", address="石川県輪島市河井町二丁目1番", owner_name="山田 花子")
    row = store.surveys.get(survey)
    assert (row["address"], row["applicant"]) == ("石川県輪島市河井町二丁目1番", "山田 花子")


def test_location_out_of_range_is_refused(store, survey):
    bid = store.surveys.get(survey)["building_id"]
    with pytest.raises(ValueError):
        store.buildings.set_location(bid, lat=137.0, lon=37.0, source="map", accuracy_m=5,
                                     actor="a")


def test_photo_recorded_once_and_attached_once(store, survey):
    sha = "a" * 64
    assert store.photos.add(sha, actor="a", size=10, mime="image/jpeg") is True
    assert store.photos.add(sha, actor="a", size=10, mime="image/jpeg") is False
    assert store.photos.attach(survey, sha, tag="外観 北", actor="a") is True
    assert store.photos.attach(survey, sha, tag="外観 北", actor="a") is False
    assert [p["tag"] for p in store.photos.for_survey(survey)] == ["外観 北"]


def test_bulk_import_versions_sets_heads_and_one_audit_entry_per_chunk(store, survey):
    rows = [{"survey_id": survey, "observations": {"n": i}, "judgement": JUDGED}
            for i in range(3)]
    before = store.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    assert store.surveys.bulk_import_versions(rows, actor="import") == 3
    versions = store.surveys.versions(survey)
    assert [v["version_no"] for v in versions] == [1, 2, 3]
    assert versions[2]["base_version_id"] == versions[1]["id"]
    assert store.surveys.get(survey)["head_version_id"] == versions[2]["id"]
    assert store.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before + 1
    assert store.audit.verify().ok


def test_bulk_and_single_paths_hash_content_alike(store, survey, disaster):
    bid = store.buildings.add(disaster_id=disaster, address="別の家")
    other = store.surveys.create(building_id=bid, stage="first", hazard="earthquake")
    store.surveys.complete(survey, observations={"b": 1, "a": [1, 2]}, judgement=JUDGED,
                           author="x")
    store.surveys.bulk_import_versions(
        [{"survey_id": other, "observations": {"a": [1, 2], "b": 1}, "judgement": JUDGED}],
        actor="x")
    hashes = {v["content_hash"] for s in (survey, other) for v in store.surveys.versions(s)}
    assert len(hashes) == 1


def test_an_integral_ratio_hashes_as_the_stored_float(store, survey):
    from survey_app.store.canonical import judged_tuple, version_content_hash

    vid = store.surveys.complete(survey, observations={"a": 1},
                                 judgement={**JUDGED, "damage_ratio": 25}, author="a")
    row = store.surveys.version(vid)
    again = version_content_hash(row_text(store, vid), judged_tuple(row))
    assert row["content_hash"] == again


def row_text(store, vid):
    return store.db.execute("SELECT observations FROM survey_versions WHERE id = ?",
                            [vid]).fetchone()[0]
