"""English display texts of the rule files, and a rules hash that ignores them.

Every label of every rule file (and municipal band file) has a non-empty label_en; the schema
allows label_en wherever it has a label; translations are consistent between versions; and the
content hash that surveys record (rules_hash) does not move when a translation is added or fixed.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from survey_app.rules import Rulebook, build_rule_set
from survey_app.rules.canonical import content_hash
from survey_app.rules.hash_history import EARLIER_HASHES

FORMS = Path(__file__).resolve().parents[2] / "forms"
RULE_FILES = sorted((FORMS / "rules").glob("*.json"))
LABELLED_FILES = RULE_FILES + sorted((FORMS / "local").glob("*.json"))
JAPANESE = re.compile(r"[\u2160-\u217f\u3000-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def labelled(data, where=""):
    """(path, object) for every object in `data` that has a "label"."""
    if isinstance(data, dict):
        if "label" in data:
            yield where or "/", data
        for key, value in data.items():
            yield from labelled(value, f"{where}/{key}")
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from labelled(value, f"{where}/{i}")


def untranslated(data) -> list[str]:
    return [where for where, obj in labelled(data)
            if not (isinstance(obj.get("label_en"), str) and obj["label_en"].strip())]


@pytest.mark.parametrize("path", LABELLED_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_label_has_an_english_label(path):
    data = load(path)
    assert untranslated(data) == []
    assert data.get("title_en", "").strip()


def test_a_missing_english_label_is_found():
    data = load(FORMS / "rules" / "2024-05.json")
    del data["shortcuts"][1]["label_en"]
    data["liquefaction"]["sinking"][0]["label_en"] = " "
    assert untranslated(data) == ["/shortcuts/1", "/liquefaction/sinking/0"]


def test_english_labels_are_english_and_the_same_in_every_version():
    seen: dict[str, set[str]] = {}
    for path in LABELLED_FILES:
        for _, obj in labelled(load(path)):
            seen.setdefault(obj["label"], set()).add(obj["label_en"])
    assert {ja: en for ja, en in seen.items() if len(en) > 1} == {}
    assert [en for ens in seen.values() for en in ens if JAPANESE.search(en)] == []


def _label_objects(schema):
    """Every object schema that declares a "label" property."""
    if isinstance(schema, dict):
        if "label" in schema.get("properties", {}):
            yield schema
        for value in schema.values():
            yield from _label_objects(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _label_objects(value)


@pytest.mark.parametrize("name", ["rules.schema.json", "local.schema.json"])
def test_the_schema_allows_label_en_wherever_it_has_a_label(name):
    schema = load(FORMS / "schema" / name)
    objects = list(_label_objects(schema))
    assert objects and all("label_en" in o["properties"] for o in objects)


def _rules_errors(data) -> list[str]:
    schema = load(FORMS / "schema" / "rules.schema.json")
    return [e.message for e in Draft202012Validator(schema).iter_errors(data)]


def test_the_schema_rejects_an_empty_english_label_and_accepts_a_missing_one():
    data = load(FORMS / "rules" / "2024-05.json")
    data["inclination"]["rules"][0]["label_en"] = ""
    assert _rules_errors(data)
    del data["inclination"]["rules"][0]["label_en"]
    del data["flood_depth_tables"][0]["label_en"]
    assert _rules_errors(data) == []  # a hurried correction file loads; Japanese is shown


def test_translations_do_not_change_the_rules_hash():
    data = load(FORMS / "rules" / "2024-05.json")
    changed = copy.deepcopy(data)
    changed["shortcuts"][0]["label_en"] = "Whole house collapsed"
    changed["title_en"] = "Another title"
    del changed["grades"][0]["label_en"]
    changed["liquefaction"]["sinking"][1]["label_en"] = "Sunk to the floor"
    assert content_hash(changed) == content_hash(data)
    assert build_rule_set(changed).sha256 == build_rule_set(data).sha256
    changed["shortcuts"][0]["label"] = "住家全部が倒壊"  # the official text is content
    assert content_hash(changed) != content_hash(data)


def _added_in_2026_11(data):
    """The file as it was before the translations of November 2026 were added."""
    data = copy.deepcopy(data)
    for obj in (*data["shortcuts"], *data["inclination"]["rules"], *data["component_sets"],
                *data["flood_depth_tables"], *data["liquefaction"]["sinking"]):
        del obj["label_en"]
    return data


def _whole_file_hash(data) -> str:
    """The hash as computed before display texts were left out."""
    body = {k: v for k, v in data.items() if k != "$schema"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_hashes_recorded_before_still_name_the_same_rules(path):
    data = load(path)
    earlier = _whole_file_hash(_added_in_2026_11(data))
    assert EARLIER_HASHES[earlier] == data["version"]
    assert earlier != content_hash(data)  # the one-time change this table bridges


def test_rulebook_finds_the_rules_of_a_recorded_hash():
    book = Rulebook.load(FORMS)
    current = book.get("2024-05")
    assert book.rules_for_hash(current.sha256) is current
    earlier = next(h for h, v in EARLIER_HASHES.items() if v == "2021-03")
    assert book.rules_for_hash(earlier) is book.get("2021-03")
    assert book.rules_for_hash("0" * 64) is None
    assert len(set(EARLIER_HASHES.values())) == len(RULE_FILES) == len(EARLIER_HASHES)
