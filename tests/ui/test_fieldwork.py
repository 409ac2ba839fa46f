"""The Qt-free use-cases behind the field app (survey_app.services.fieldwork*, map_data,
settings), on a real store."""

from __future__ import annotations

import pytest

from survey_app.services import fieldwork as fw
from survey_app.services import fieldwork_location as fl
from survey_app.services import fieldwork_photos as fp
from survey_app.services.map_data import homes_bbox, map_points
from survey_app.services.settings import AppSettings, load_settings, save_settings
from survey_app.services.workspace import Workspace
from tests.ui.conftest import DISASTER_DATE, make_store


@pytest.fixture
def ws(app_home):
    info = make_store(app_home, homes=3)
    workspace = Workspace(app_home, actor="テスト")
    workspace.info = info
    yield workspace
    workspace.close()


def _roof(share):
    return {"roof": {"degrees": [{"degree": "V", "area_percent": share}]}}


def test_a_new_survey_opens_with_fresh_observations_and_its_form(ws):
    session = fw.open_for_editing(ws, ws.info["surveys"][0])
    assert session.observations == {"hazard": "earthquake", "stage": "first",
                                    "structure": "wood", "disaster_date": DISASTER_DATE}
    assert not session.from_draft and session.base_version_id is None
    ids = [s["id"] for s in session.form["sections"]]
    assert "components" in ids and "inclination" in ids and "flood" not in ids


def test_a_draft_wins_over_the_last_version(ws):
    sid = ws.info["surveys"][0]
    session = fw.open_for_editing(ws, sid)
    obs = {**session.observations, "components": _roof(100)}
    fw.complete_survey(ws, session, obs)
    fw.save_draft(ws, sid, {**obs, "remarks": "追記中"})
    reopened = fw.open_for_editing(ws, sid)
    assert reopened.from_draft and reopened.observations["remarks"] == "追記中"
    ws.store.surveys.discard_draft(sid)
    assert fw.open_for_editing(ws, sid).observations == obs


def test_live_judgement_gives_issues_or_a_grade(ws):
    session = fw.open_for_editing(ws, ws.info["surveys"][0])
    bad = fw.judge_live(session.rulebook, {**session.observations, "components": _roof(120)})
    assert bad.judgement is None and bad.issues[0].path.startswith("components.roof")
    good = fw.judge_live(session.rulebook, {**session.observations,
                                            "appearance": {"total_collapse": True}})
    assert good.issues == [] and good.judgement.grade_code == "zenkai"


def test_completing_records_the_judgement_and_refuses_bad_input(ws):
    sid = ws.info["surveys"][0]
    session = fw.open_for_editing(ws, sid)
    with pytest.raises(fw.CompletionError, match="完了できません") as err:
        fw.complete_survey(ws, session, {**session.observations, "components": _roof(-5)})
    assert err.value.issues
    vid = fw.complete_survey(ws, session, {**session.observations, "components": _roof(100)})
    version = ws.store.surveys.version(vid)
    assert version["grade_code"] == "junhankai" and version["damage_ratio"] == 15
    assert version["form_hash"] == fw.form_hash(session.form)
    assert ws.store.surveys.get(sid)["status"] == "completed"


def test_completing_from_a_stale_head_is_refused(ws):
    sid = ws.info["surveys"][0]
    first = fw.open_for_editing(ws, sid)
    second = fw.open_for_editing(ws, sid)
    fw.complete_survey(ws, first, {**first.observations, "components": _roof(100)})
    with pytest.raises(fw.CompletionError, match="別の場所で更新"):
        fw.complete_survey(ws, second, {**second.observations, "components": _roof(50)})
    assert len(ws.store.surveys.versions(sid)) == 1


def test_location_records_source_and_accuracy(ws):
    bid = ws.store.surveys.get(ws.info["surveys"][1])["building_id"]
    fl.set_location(ws, bid, lat=38.1, lon=140.9, source="gnss", accuracy_m=4.5)
    assert fl.location_of(ws, bid) == fl.Location(38.1, 140.9, "gnss", 4.5)
    with pytest.raises(ValueError):
        fl.set_location(ws, bid, lat=38.1, lon=140.9, source="guess")


def test_photo_tags_are_checked(ws):
    with pytest.raises(ValueError):
        fp.tag_photo(ws, ws.info["surveys"][0], "0" * 64, "selfie")


def test_map_points_show_each_home_once_with_its_latest_survey(ws):
    did = ws.info["disaster_id"]
    first = ws.store.surveys.get(ws.info["surveys"][0])
    second = ws.store.surveys.create(building_id=first["building_id"], stage="second",
                                     hazard="earthquake", previous_survey_id=first["id"])
    points = map_points(ws, did)
    assert len(points) == 3
    ids = {p[2] for p in points}
    assert second in ids and first["id"] not in ids
    south, west, north, east = homes_bbox(ws, did)
    assert all(south < p[0] < north and west < p[1] < east for p in points)


def test_settings_round_trip_and_survive_a_damaged_file(tmp_path):
    assert load_settings(tmp_path) == AppSettings()
    save_settings(tmp_path, AppSettings(language="en", disaster_id="d1", surveyor="佐藤"))
    assert load_settings(tmp_path) == AppSettings(language="en", disaster_id="d1",
                                                  surveyor="佐藤")
    (tmp_path / "settings.json").write_text("{not json", encoding="utf-8")
    assert load_settings(tmp_path) == AppSettings()
    (tmp_path / "settings.json").write_text('{"language": "fr", "x": 1}', encoding="utf-8")
    assert load_settings(tmp_path).language == "ja"
    assert AppSettings().tiles_file(tmp_path) == tmp_path / "tiles" / "basemap.mbtiles"
