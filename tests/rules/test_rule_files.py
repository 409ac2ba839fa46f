"""Every data file in forms/ matches its JSON Schema; uncertain values carry a flag and a note."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from survey_app.rules import build_rule_set
from survey_app.rules.canonical import content_hash, unconfirmed_notes

FORMS = Path(__file__).resolve().parents[2] / "forms"
RULE_FILES = sorted((FORMS / "rules").glob("*.json"))
FORM_FILES = sorted(p for p in (FORMS / "forms").glob("*.json") if p.name != "sections.json")
LOCAL_FILES = sorted((FORMS / "local").glob("*.json"))
EXAMPLES = sorted((FORMS / "examples").glob("*.json"))


def load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def validator(name: str) -> Draft202012Validator:
    schema = load(FORMS / "schema" / name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def errors(name: str, data) -> list[str]:
    return [e.message for e in validator(name).iter_errors(data)]


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_rule_file_matches_the_schema(path):
    assert errors("rules.schema.json", load(path)) == []


@pytest.mark.parametrize("path", FORM_FILES, ids=lambda p: p.name)
def test_form_file_matches_the_schema(path):
    assert errors("form.schema.json", load(path)) == []


def test_sections_file_matches_the_schema():
    assert errors("sections.schema.json", load(FORMS / "forms" / "sections.json")) == []


@pytest.mark.parametrize("path", LOCAL_FILES, ids=lambda p: p.name)
def test_local_band_file_matches_the_schema(path):
    assert errors("local.schema.json", load(path)) == []


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_match_the_observations_schema(path):
    assert errors("observations.schema.json", load(path)) == []


def test_there_is_a_rule_set_for_each_guideline_era():
    assert [p.stem for p in RULE_FILES] == [
        "2009-06", "2013-06", "2018-03", "2020-03", "2021-03", "2024-05", "2025-07"]


def test_an_unconfirmed_value_without_a_note_is_rejected():
    data = load(FORMS / "rules" / "2024-05.json")
    del data["component_sets"][1]["components"][4]["note"]
    assert any("'note' is a required property" in m for m in errors("rules.schema.json", data))


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_every_flag_has_a_japanese_note(path):
    notes = unconfirmed_notes(load(path))
    assert notes and all(any("\u3040" <= ch <= "\u9fff" for ch in n) for n in notes)


@pytest.mark.parametrize(
    ("where", "fragment"),
    [
        (lambda d: d["component_sets"][1]["components"][4], "内壁"),       # 内壁/建具 split ⚠
        (lambda d: d["component_sets"][1]["components"][6], "建具"),
        (lambda d: d["floor_area_grades"][2], "中規模半壊"),               # floor area 30 % ⚠
        (lambda d: d["floor_area_grades"][4], "準半壊"),                   # floor area 10 % ⚠
        (lambda d: d["liquefaction"], "液状化"),                           # §2.2 table ⚠
        (lambda d: d["component_sets"][4], "非木造"),                      # non-wood weights ⚠
        (lambda d: d["inclination"]["rules"][4], "1/60以上1/20未満"),     # wood 2nd 15 % ⚠
        (lambda d: d["component_sets"][2], "水害"),                        # flood 2nd weights ⚠
    ],
)
def test_uncertain_values_of_domain_md_are_flagged(where, fragment):
    obj = where(load(FORMS / "rules" / "2024-05.json"))
    assert obj.get("unconfirmed") is True and fragment in obj["note"]


def test_2025_marks_its_unknown_changes():
    data = load(FORMS / "rules" / "2025-07.json")
    assert data["content"]["unconfirmed"] is True
    assert next(g for g in data["grades"] if g["code"] == "hankai")["unconfirmed"] is True


def test_content_hash_is_stable_and_follows_the_content():
    data = load(FORMS / "rules" / "2024-05.json")
    assert content_hash(data) == content_hash(json.loads(json.dumps(data, indent=4)))
    assert content_hash(data) == content_hash({k: v for k, v in data.items() if k != "$schema"})
    changed = copy.deepcopy(data)
    changed["grades"][2]["min_ratio_percent"] = 31
    assert content_hash(changed) != content_hash(data)
    assert build_rule_set(data).sha256 == content_hash(data)


def test_unconfirmed_count_is_exposed():
    data = load(FORMS / "rules" / "2024-05.json")
    assert build_rule_set(data).unconfirmed_count == len(unconfirmed_notes(data)) > 10
