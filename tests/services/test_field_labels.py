"""Field paths and values as people read them, named from the real form definitions (forms/)
and rule files: what the conflicts and versions dialogs show instead of internal paths/JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from survey_app.services.field_labels import (
    FieldLabels,
    conflict_views,
    observations_text,
    summary_text,
    survey_form,
)
from survey_app.services.workspace import Workspace

EXAMPLE = Path(__file__).resolve().parents[2] / "forms" / "examples" / "earthquake-wood-first.json"
FIRST = {"hazard": "earthquake", "stage": "first", "structure": "wood",
         "disaster_date": "2024-01-01"}


@pytest.fixture
def labels() -> FieldLabels:
    return FieldLabels(survey_form(FIRST))


def test_observation_paths_are_named_as_the_form_names_them(labels):
    assert labels.label("observations.components.exterior_wall.degrees") == "外壁：損傷程度・面積率"
    assert labels.label("observations.components.foundation.perimeter_m") == "基礎：外周基礎長"
    assert labels.label("observations.components.roof") == "屋根"
    assert labels.label("observations.inclination.offsets_cm") == "水平距離①〜④（四隅）"
    assert labels.label("observations.appearance.total_collapse") == "一見して住家全部が倒壊"
    assert labels.label("observations.structure") == "構造"
    second = FieldLabels(survey_form({**FIRST, "stage": "second"}))
    assert second.label("observations.components.interior_wall.degrees").startswith("内壁：")


def test_judgement_and_building_fields_have_names(labels):
    assert labels.label("judgement.grade_code") == "被害の程度"
    assert labels.label("judgement.damage_ratio") == "損害割合"
    assert labels.label("owner_name") == "所有者" and labels.label("assigned_to") == "担当調査員"


def test_values_are_written_for_people(labels):
    rows = [{"degree": "IV", "area_percent": 60}, {"degree": "II", "area_percent": 10}]
    assert labels.value("observations.components.roof.degrees", rows) == "程度Ⅳ 60%、程度Ⅱ 10%"
    units = [{"degree": "III", "units": 4}]
    assert labels.value("observations.components.exterior_wall.degrees", units) == "程度Ⅲ 4 区画"
    assert labels.value("observations.inclination.offsets_cm", [1.0, 1.5, 0.5, 1]) == \
        "1・1.5・0.5・1 cm"
    assert labels.value("observations.appearance.total_collapse", False) == "いいえ"
    assert labels.value("judgement.grade_code", "daikibo") == "大規模半壊"
    assert labels.value("judgement.damage_ratio", 47.0) == "47%"
    assert labels.value("observations.hazard", "earthquake") == "地震"
    assert labels.value("structure", "non_wood") == "非木造"
    assert labels.value("location_source", "map") == "地図で指定"
    assert labels.value("floors", 2) == "2 階"


def test_absent_and_empty_read_nashi(labels):
    assert labels.value("observations.remarks", "x", absent=True) == "なし"
    assert labels.value("observations.components.roof.degrees", None) == "なし"
    assert labels.value("judgement.damage_ratio", None) == "なし"


def test_a_whole_component_is_one_readable_value(labels):
    wall = {"total_units": 20, "degrees": [{"degree": "III", "units": 4}]}
    assert labels.value("observations.components.exterior_wall", wall) == \
        "全体 20 区画、程度Ⅲ 4 区画"
    foundation = {"damaged_length_m": 7, "perimeter_m": 30}
    assert labels.value("observations.components.foundation", foundation) == \
        "損傷基礎長（1箇所を1mとして数える）: 7 m、外周基礎長: 30 m"


def test_a_conflict_is_one_row_per_fact(labels):
    fields = [
        {"path": "observations.components.exterior_wall.degrees", "absent": [],
         "ours": [{"degree": "IV", "area_percent": 60}],
         "theirs": [{"degree": "V", "area_percent": 60}]},
        {"path": "judgement.grade", "ours": "中規模半壊", "theirs": "大規模半壊"},
        {"path": "judgement.grade_code", "ours": "chukibo", "theirs": "daikibo"},
        {"path": "judgement.rules_hash", "ours": "a" * 64, "theirs": "b" * 64},
        {"path": "observations.remarks", "ours": "雨漏り", "theirs": None, "absent": ["theirs"]},
    ]
    rows = [(r.label, r.ours, r.theirs) for r in labels.conflict_rows(fields)]
    assert rows == [("外壁：損傷程度・面積率", "程度Ⅳ 60%", "程度Ⅴ 60%"),
                    ("被害の程度", "中規模半壊", "大規模半壊"),  # the grade's text folded in
                    ("規則集の内容のハッシュ", "aaaaaaaaaaaa…", "bbbbbbbbbbbb…"),
                    ("備考", "雨漏り", "なし")]


def test_a_path_no_form_knows_is_shown_not_hidden():
    unknown = FieldLabels(survey_form({"外壁": {"損傷率": 40}}))  # no hazard: no form
    assert unknown.form == {}
    assert unknown.label("observations.外壁.損傷率") == "外壁：損傷率"
    assert unknown.value("observations.外壁.損傷率", 40.0) == "40"
    assert survey_form({**FIRST, "rules_version": "1999-01"}) is None


def test_the_summary_names_every_field_in_the_forms_order():
    observations = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    observations["meta"] = {"端末": "PC-3"}
    text = observations_text(observations)
    sections = [line for line in text.splitlines() if line.startswith("【")]
    assert sections == ["【外観による判定】", "【傾斜による判定】", "【部位による判定】", "【備考】",
                        "【その他の記録】"]
    assert text.splitlines()[0] == "災害の種類: 地震"
    assert "外壁：損傷程度・面積率: 程度Ⅲ 4 区画、程度Ⅳ 8 区画" in text
    assert "基礎：外周基礎長: 30 m" in text and "端末" in text
    assert "exterior_wall" not in text and "{" not in text


def test_english_labels_come_from_the_forms_english(english, labels):
    assert labels.label("observations.components.exterior_wall.degrees").startswith(
        "Exterior walls")
    assert labels.value("observations.components.roof.degrees",
                        [{"degree": "IV", "area_percent": 60}]) == "Degree IV 60%"
    assert labels.value("judgement.grade_code", "daikibo") == "Large-scale half collapse"
    assert labels.value("observations.remarks", None) == "none"
    text = summary_text(labels.summary(FIRST))
    assert text.startswith("Hazard: earthquake")


def test_conflict_views_read_the_laptops_store(app_home):
    ws = Workspace(app_home, actor="office")
    try:
        store = ws.store
        did = store.buildings.create_disaster(name="能登", hazard="earthquake",
                                              occurred_on="2024-01-01", actor="office")
        bid = store.buildings.add(disaster_id=did, address="輪島市河井町2-1", structure="wood")
        sid = store.surveys.create(building_id=bid, stage="first", hazard="earthquake")
        ours = store.surveys.complete(sid, observations={**FIRST}, author="佐藤", judgement={
            "grade_code": "chukibo", "grade": "中規模半壊", "damage_ratio": 37.0,
            "rules_version": "2024-05", "rules_hash": "r", "explanation": []})
        fields = [{"path": "observations.components.exterior_wall.degrees", "base": None,
                   "ours": [{"degree": "IV", "area_percent": 60}],
                   "theirs": [{"degree": "V", "area_percent": 60}], "absent": ["base"]}]
        store.db["sync_conflicts"].insert({
            "id": "c1", "kind": "survey", "survey_id": sid, "building_id": bid,
            "ours_version_id": ours, "theirs_version_id": "not-here-yet",
            "fields": json.dumps(fields, ensure_ascii=False), "status": "open",
            "updated_at": "2024-01-02T00:00:00.000Z"})
        [view] = conflict_views(ws)
    finally:
        ws.close()
    assert view.place == "輪島市河井町2-1" and view.ours_by.startswith("佐藤（")
    assert view.theirs_by == ""  # the sent version has not reached this laptop
    assert [(r.label, r.ours, r.theirs) for r in view.rows] == [
        ("外壁：損傷程度・面積率", "程度Ⅳ 60%", "程度Ⅴ 60%")]


def test_components_follow_the_forms_order_not_the_stored_one():
    stored = {**FIRST, "components": {  # canonical JSON sorts the keys
        "exterior_wall": {"degrees": [{"degree": "I", "area_percent": 10}]},
        "foundation": {"damaged_length_m": 1, "perimeter_m": 30},
        "roof": {"degrees": [{"degree": "II", "area_percent": 20}]}}}
    names = [line.label.split("：")[0] for line in
             FieldLabels(survey_form(stored)).summary(stored) if line.section]
    assert names == ["屋根", "外壁", "基礎", "基礎"]
