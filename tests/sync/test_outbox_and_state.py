"""The laptop side without a network: the outbox fills itself in the same transaction as each
change and survives a restart; each survey's sync state reads from it."""

from __future__ import annotations

from survey_app.services.sync import ProgressBoard, survey_state
from survey_app.services.sync.outbox import Outbox
from survey_app.services.workspace import Workspace
from tests.sync.fieldwork import photo_bytes
from tests.sync.support import JUDGED


def _survey(ws: Workspace) -> str:
    store = ws.store
    disaster = store.buildings.create_disaster(name="地震", hazard="earthquake",
                                               occurred_on="2024-01-01")
    building = store.buildings.add(disaster_id=disaster, address="輪島市1-1")
    return store.surveys.create(building_id=building, stage="first", hazard="earthquake")


def test_the_outbox_survives_a_restart(tmp_path):
    ws = Workspace(tmp_path / "laptop")
    survey = _survey(ws)
    ref = ws.blobs.put_bytes(photo_bytes(1))
    ws.store.photos.add(ref.sha256, actor="t", size=ref.size)
    ws.store.photos.attach(survey, ref.sha256, tag="外観", actor="t")
    version = ws.store.surveys.complete(survey, observations={"a": 1}, judgement=JUDGED,
                                        author="t")
    ws.close()
    reopened = Workspace(tmp_path / "laptop")
    kinds = [(e.kind, e.entity_id) for e in Outbox(reopened.store).entries()]
    reopened.close()
    assert [k for k, _ in kinds] == ["disaster", "building", "survey", "photo_link", "version"]
    assert ("version", version) in kinds and ("photo_link", f"{survey}:{ref.sha256}") in kinds


def test_a_change_during_a_push_is_not_lost(tmp_path):
    ws = Workspace(tmp_path / "laptop")
    _survey(ws)
    outbox = Outbox(ws.store)
    building = next(e for e in outbox.entries() if e.kind == "building")
    ws.store.buildings.update(building.entity_id, actor="t", lat=37.0, lon=136.9)
    outbox.ack([building])  # the reply for the old content arrives after the edit
    assert [e.kind for e in outbox.entries()].count("building") == 1
    ws.close()


def test_each_survey_shows_its_sync_state(tmp_path):
    ws = Workspace(tmp_path / "laptop")
    store = ws.store
    survey = _survey(ws)
    outbox = Outbox(store)
    outbox.ack(outbox.entries())
    assert survey_state(store, survey).label == "同期済"
    store.surveys.save_draft(survey, {"a": 1})
    assert survey_state(store, survey).label == "下書き"
    store.surveys.complete(survey, observations={"a": 1}, judgement=JUDGED, author="t")
    assert survey_state(store, survey).label == "送信待ち"
    board = ProgressBoard()
    board.sending(survey, 2, 5)
    assert survey_state(store, survey, board).label == "送信中 2/5枚"
    board.sent([survey])
    [entry] = [e for e in outbox.entries() if e.survey_id == survey]
    outbox.fail(entry, "missing_blobs", "写真が未送信です")
    assert survey_state(store, survey).label == "失敗: 写真が未送信です"
    with store.atomic():
        store.db.execute("INSERT INTO sync_conflicts (id, kind, survey_id, fields, status,"
                         " updated_at) VALUES ('c', 'version', ?, '[]', 'open', 'now')",
                         [survey])
    assert survey_state(store, survey).label == "競合"
    ws.close()


def test_progress_reaches_the_callback(tmp_path):
    seen = []
    board = ProgressBoard(seen.append)
    board.update(phase="photos", photos_total=3)
    board.add(photos_done=1, bytes_done=100)
    assert (seen[-1].photos_done, seen[-1].photos_total, seen[-1].bytes_done) == (1, 3, 100)
    assert seen[-1].phase_label == "写真を送信中"
