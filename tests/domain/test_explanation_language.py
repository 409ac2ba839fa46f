"""The judgement explanation in the UI language: rule labels are picked when it is rendered.

The Japanese text is pinned to explanation_ja.json, recorded before this change, for every
case of explanation_cases.py in every rule version: Japanese output must not move at all.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from survey_app.domain.engine import Engine
from survey_app.domain.messages import MESSAGE_KEYS
from survey_app.i18n import catalogue
from survey_app.rules import Rulebook
from survey_app.rules.templates import engine_templates
from tests.domain.explanation_cases import WORKED_EXAMPLE, cases
from tests.domain.helpers import grid, survey, variant

SNAPSHOT = json.loads((Path(__file__).parent / "explanation_ja.json").read_text(encoding="utf-8"))
CASES = cases()
# Kana, CJK ideographs and symbols, full-width forms and the Roman-numeral block (程度Ⅳ).
JAPANESE = re.compile(r"[\u2160-\u217f\u3000-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
# Proper nouns the English explanation may keep in Japanese script: none so far (the shipped
# local band file names its town in romaji, "Hōki").
PROPER_NOUNS: tuple[str, ...] = ()


def japanese_left(line: str) -> list[str]:
    for noun in PROPER_NOUNS:
        line = line.replace(noun, "")
    return JAPANESE.findall(line)


def english_templates() -> dict[str, str]:
    """The engine's templates from the English catalogue (what the English UI's rule book uses)."""
    return {key: catalogue("en")[f"engine.{key}"] for key in MESSAGE_KEYS}


@pytest.fixture(scope="module")
def english(book) -> Rulebook:
    return Rulebook(book.rule_sets, forms=book.forms, local_bands=book.local_bands,
                    templates=english_templates())


def test_the_snapshot_covers_every_case():
    assert set(SNAPSHOT) == set(CASES) and len(CASES) > 150


@pytest.mark.parametrize("key", sorted(CASES))
def test_japanese_explanation_is_unchanged(book, key):
    obs, local = CASES[key]
    assert list(book.judge(obs, local=local).explanation) == SNAPSHOT[key]


@pytest.mark.parametrize("key", sorted(CASES))
def test_english_explanation_has_no_japanese(english, key):
    obs, local = CASES[key]
    lines = english.judge(obs, local=local).explanation
    assert [(line, japanese_left(line)) for line in lines if japanese_left(line)] == []


def test_worked_example_in_english(english):
    j = english.judge(survey(components=WORKED_EXAMPLE, rules_version="2024-05"))
    assert j.explanation == (
        "Rule set 2024-05, Operational guideline (May 2024): earthquake / first survey / wood / prefab",
        "Roof (weight 15): Degree IV 50% (bin ≤60%) 7 pt → damage rate 37.5%, 7 pt (continuous 5.63%)",
        "Exterior walls (weight 75): Degree III 20% (bin ≤20%) 8 pt; Degree IV 40% (bin ≤40%) 23 pt"
        " → damage rate 40%, 31 pt (continuous 30%)",
        "Foundations (weight 10): damaged 7 m ÷ perimeter 30 m → damage rate 23.33%, 4 pt"
        " (continuous 2.33%)",
        "Damage ratio 42% (sum of component points; continuous 37.96%) → Large-scale half collapse",
    )
    assert j.grade == "大規模半壊"  # the recorded grade stays the official Japanese label


def test_worked_example_in_japanese_names_the_rules_in_japanese(book):
    j = book.judge(survey(components=WORKED_EXAMPLE, rules_version="2024-05"))
    assert j.explanation[1].startswith("屋根（構成比15）: 程度Ⅳ 50%")
    assert j.explanation[-1].endswith("→ 大規模半壊")


def _strip_english(data):
    """Removes every label_en and title_en, as in a rule file written without translations."""
    if isinstance(data, dict):
        for key in ("label_en", "title_en"):
            data.pop(key, None)
        for value in data.values():
            _strip_english(value)
    elif isinstance(data, list):
        for value in data:
            _strip_english(value)


@pytest.mark.parametrize(("obs", "shown", "codes"), [
    (survey(components={"roof": grid(("IV", 50))}), ["屋根", "程度Ⅳ", "準半壊に至らない"],
     ["roof", "ichibu", " IV "]),
    (survey(appearance={"total_collapse": True}), ["一見して住家全部が倒壊", "全壊"],
     ["total_collapse", "zenkai"]),
    (survey(inclination={"offsets_cm": [6, 6, 6, 6]}), ["木造・プレハブ 傾斜1/20以上"], ["wood_1_20"]),
    (survey(hazard="flood", flood={"external_force": True, "depth_above_floor_cm": 30}),
     ["外力が作用した浸水"], ["external_force"]),
    (survey(hazard="liquefaction", liquefaction={"sinking": "floor"}),
     ["床までのすべての部分が地盤面下に潜り込み", "大規模半壊"], ["floor", "daikibo"]),
])
def test_without_translations_english_falls_back_to_the_japanese_labels(obs, shown, codes):
    rules = variant("2024-05", _strip_english)
    english = Engine(english_templates())
    text = "\n".join(english.judge(obs, rules).explanation)
    assert all(label in text for label in shown), text
    assert not any(code in text for code in codes), text


def test_input_errors_name_the_component_in_the_ui_language(book, english):
    obs = survey(components={"foundation": grid(("I", 10))}, rules_version="2024-05")
    assert "基礎" in book.validate(obs)[0].message
    assert english.validate(obs)[0].message.startswith("enter Foundations as damage")


def test_the_english_catalogue_chooses_the_english_labels(monkeypatch):
    monkeypatch.setenv("SURVEY_APP_LANG", "en")
    assert engine_templates()["rule_labels"] == "label_en"
    monkeypatch.setenv("SURVEY_APP_LANG", "ja")
    assert engine_templates()["rule_labels"] == "label"
