"""The Judgement object: JSON form, explanation, unconfirmed notes, determinism, local bands."""

from __future__ import annotations

import json

from survey_app.rules import Rulebook
from tests.domain.helpers import FORMS, grid, survey


def test_to_dict_is_plain_json(book):
    obs = survey(stage="second", components={"roof": grid(("III", 40)), "fittings": grid(("IV", 30))})
    d = book.judge(obs).to_dict()
    text = json.dumps(d, ensure_ascii=False)
    assert json.loads(text) == d
    assert set(d) >= {"grade", "grade_code", "damage_ratio_percent", "rules_version", "rules_hash",
                      "decided_by", "explanation", "components", "unconfirmed"}
    assert d["components"][0]["code"] == "roof" and d["components"][0]["points"] == 3


def test_judging_is_deterministic(book):
    obs = survey(stage="second", inclination={"offsets_cm": [1, 2, 3, 2]},
                 components={"roof": grid(("III", 40)), "fittings": grid(("IV", 30))})
    assert book.judge(obs).to_dict() == book.judge(obs).to_dict()


def test_explanation_lists_each_component_rate_and_points(book):
    j = book.judge(survey(stage="second", components={"roof": grid(("III", 40))}))
    assert j.explanation[1] == (
        "屋根（構成比15）: 程度Ⅲ 40%（〜40%）3点 → 損傷率 20%、損害割合 3点（連続値 3%）")
    assert j.explanation[-1].startswith("損害割合 3%") and j.explanation[-1].endswith("準半壊に至らない（一部損壊）")


def test_short_cut_has_no_ratio(book):
    j = book.judge(survey(appearance={"storey_collapse": True}, components={"roof": grid(("I", 10))}))
    assert (j.grade, j.decided_by, j.damage_ratio_percent) == ("全壊", "appearance:storey_collapse", None)
    assert j.explanation[-1] == "外観: 一見して住家の一部の階が全部倒壊 → 全壊（調査終了）"


def test_rules_hash_identifies_the_rule_file(book):
    j = book.judge(survey(components={"roof": grid(("I", 10))}))
    assert j.rules_hash == book.get("2024-05").sha256 and len(j.rules_hash) == 64


def test_unconfirmed_lists_only_the_rules_used(book):
    plain = book.judge(survey(hazard="flood", flood={"external_force": True, "depth_above_floor_cm": 30}))
    assert plain.unconfirmed == ()
    split = book.judge(survey(stage="second", components={"interior_wall": grid(("I", 10))}))
    assert any("内壁15・建具10" in n for n in split.unconfirmed)


def test_2025_rules_say_their_content_is_unconfirmed(book):
    j = book.judge(survey(disaster_date="2025-09-01", components={"roof": grid(("I", 10))}))
    assert j.rules_version == "2025-07"
    assert any("令和7年7月改定" in n and "内容は未確認" in n for n in j.unconfirmed)


def test_selected_by_date_adds_the_effective_date_note(book):
    by_date = book.judge(survey(disaster_date="2021-08-14", components={"roof": grid(("I", 10))}))
    assert any("施行月日は未確認" in n for n in by_date.unconfirmed)
    named = book.judge(survey(rules_version="2021-03", components={"roof": grid(("I", 10))}))
    assert not any("施行月日" in n for n in named.unconfirmed)


def test_local_sub_band_keeps_the_national_grade(book):
    j = book.judge(survey(stage="second", components={"roof": grid(("V", 40))}), local="houki")
    assert j.grade_code == "ichibu" and j.damage_ratio_percent == 6
    assert j.local_band == {"id": "houki", "code": "ichibu_5_to_10", "label": "一部損壊（損害割合5%以上10%未満）"}
    low = book.judge(survey(stage="second", components={"roof": grid(("I", 10))}), local="houki")
    assert low.local_band["code"] == "ichibu_under_5"
    higher = book.judge(survey(stage="second", components={"roof": grid(("V", 100))}), local="houki")
    assert higher.grade_code == "junhankai" and higher.local_band is None


def test_explanation_can_be_rendered_in_english(monkeypatch):
    monkeypatch.setenv("SURVEY_APP_LANG", "en")
    english = Rulebook.load(FORMS)
    j = english.judge(survey(components={"roof": grid(("I", 10))}))
    assert j.explanation[0].startswith("Rule set 2024-05")
    assert j.grade == "準半壊に至らない（一部損壊）"  # official grades stay Japanese


def test_liquefaction_takes_the_worse_of_sinking_and_inclination(book):
    j = book.judge(survey(hazard="liquefaction", liquefaction={"sinking": "floor"},
                          inclination={"offsets_cm": [1.2] * 4}))
    assert (j.grade, j.decided_by) == ("大規模半壊", "liquefaction:sinking")
    j = book.judge(survey(hazard="liquefaction", liquefaction={"sinking": "none"},
                          inclination={"offsets_cm": [6.0] * 4}))
    assert (j.grade, j.decided_by) == ("全壊", "liquefaction:inclination")
    assert any("液状化" in n for n in j.unconfirmed)


def test_liquefaction_without_findings_is_the_lowest_grade(book):
    j = book.judge(survey(hazard="liquefaction", liquefaction={"sinking": "none"}))
    assert j.grade_code == "ichibu"


def test_wind_uses_the_nine_components_flagged(book):
    j = book.judge(survey(hazard="wind", components={"roof": grid(("V", 100)), "ceilings": grid(("V", 100))}))
    assert j.damage_ratio_percent == 20 and j.grade == "半壊"
    assert any("風害の構成比" in n for n in j.unconfirmed)
