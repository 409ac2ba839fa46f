"""Choosing the rule version by disaster date or by name; loading errors name the file."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from survey_app.domain.observations import ObservationError
from survey_app.rules import Rulebook, RulesError

FORMS = Path(__file__).resolve().parents[2] / "forms"


@pytest.fixture(scope="module")
def book() -> Rulebook:
    return Rulebook.load(FORMS)


@pytest.mark.parametrize(
    ("day", "version"),
    [("2009-06-01", "2009-06"), ("2016-04-14", "2013-06"), ("2018-07-06", "2018-03"),
     ("2020-07-04", "2020-03"), ("2024-01-01", "2021-03"), ("2024-05-30", "2021-03"),
     ("2024-05-31", "2024-05"), ("2025-06-30", "2024-05"), ("2025-07-01", "2025-07")],
)
def test_select_by_disaster_date(book, day, version):
    assert book.select(date.fromisoformat(day)).version == version


def test_a_date_before_every_version_is_an_error(book):
    with pytest.raises(RulesError, match="2009-06-01"):
        book.select(date(2000, 1, 1))


def test_unknown_version_lists_the_known_ones(book):
    with pytest.raises(RulesError, match="2024-05"):
        book.get("2030-01")


def test_named_version_wins_over_the_date(book):
    obs = {"hazard": "flood", "stage": "first", "structure": "wood", "disaster_date": "2024-08-01",
           "flood": {"external_force": True, "depth_above_floor_cm": 70}}
    assert book.judge(obs).rules_version == "2024-05"
    assert book.judge(obs, version="2018-03").grade == "半壊"
    with pytest.raises(ObservationError, match="rules_version"):
        book.judge(obs, version="nope")


def copy_forms(tmp_path: Path) -> Path:
    target = tmp_path / "forms"
    shutil.copytree(FORMS, target)
    return target


def test_a_correction_file_wins_for_the_same_date(tmp_path):
    forms = copy_forms(tmp_path)
    data = json.loads((forms / "rules" / "2024-05.json").read_text(encoding="utf-8"))
    data["version"], data["data_revision"] = "2024-05.1", 2
    data["grades"][3]["label"] = "半壊（訂正版）"
    (forms / "rules" / "2024-05.1.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    book = Rulebook.load(forms)
    chosen = book.select(date(2024, 8, 1))
    assert chosen.version == "2024-05.1" and chosen.sha256 != book.get("2024-05").sha256


def test_broken_json_names_the_file_and_line(tmp_path):
    forms = copy_forms(tmp_path)
    (forms / "rules" / "2021-03.json").write_text('{"format": 1,\n  oops}', encoding="utf-8")
    with pytest.raises(RulesError, match=r"2021-03\.json.*2行目"):
        Rulebook.load(forms)


def test_schema_violation_names_the_place(tmp_path):
    forms = copy_forms(tmp_path)
    path = forms / "rules" / "2021-03.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["grades"][0]["min_ratio_percent"] = "fifty"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(RulesError, match=r"2021-03\.json の grades/0/min_ratio_percent"):
        Rulebook.load(forms)


def test_weights_must_sum_to_100(tmp_path):
    forms = copy_forms(tmp_path)
    path = forms / "rules" / "2024-05.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["component_sets"][0]["components"][0]["weight"] = 20
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(RulesError, match="105"):
        Rulebook.load(forms)


def test_file_name_must_match_the_version(tmp_path):
    forms = copy_forms(tmp_path)
    (forms / "rules" / "2024-05.json").rename(forms / "rules" / "2024-06.json")
    with pytest.raises(RulesError, match="2024-06"):
        Rulebook.load(forms)


def test_unknown_grade_in_a_band_is_reported(tmp_path):
    forms = copy_forms(tmp_path)
    path = forms / "rules" / "2018-03.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["floor_area_grades"].append({"grade": "chukibo", "min_percent": 30, "sources": []})
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(RulesError, match="chukibo"):
        Rulebook.load(forms)
