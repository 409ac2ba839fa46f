"""`survey-app assess` and `survey-app forms` through the real entry point (python -m survey_app)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "forms" / "examples"


def cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SURVEY_APP_LANG": "ja"}
    return subprocess.run([sys.executable, "-m", "survey_app", *args], capture_output=True,
                          text=True, encoding="utf-8", cwd=REPO, env=env, timeout=120)


def write(tmp_path: Path, data, name: str = "obs.json") -> Path:
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def test_assess_prints_the_judgement_as_json():
    result = cli("assess", str(EXAMPLES / "flood-external-first.json"))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["grade"] == "中規模半壊" and out["rules_version"] == "2024-05"
    assert out["damage_ratio_percent"] is None
    assert any("床上 70 cm" in line for line in out["explanation"])
    assert "中規模半壊" in result.stdout  # ensure_ascii=False: Japanese is printed as is


def test_assess_with_components_reports_the_ratio():
    out = json.loads(cli("assess", str(EXAMPLES / "earthquake-wood-first.json")).stdout)
    assert out["damage_ratio_percent"] == 42 and out["grade_code"] == "daikibo"
    assert [c["code"] for c in out["components"]] == ["roof", "exterior_wall", "foundation"]
    assert out["unconfirmed"]


def test_rules_version_option_switches_the_table():
    result = cli("assess", "--rules-version", "2018-03", str(EXAMPLES / "flood-external-first.json"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["grade"] == "半壊"


def test_invalid_input_names_the_field_without_a_traceback(tmp_path):
    obs = json.loads((EXAMPLES / "earthquake-wood-first.json").read_text("utf-8"))
    obs["inclination"]["offsets_cm"][2] = 300
    result = cli("assess", str(write(tmp_path, obs)))
    assert result.returncode == 2
    assert "inclination.offsets_cm[2]" in result.stderr and "範囲外" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_missing_hazard_is_reported(tmp_path):
    obs = {"stage": "first", "structure": "wood", "disaster_date": "2024-01-01"}
    result = cli("assess", str(write(tmp_path, obs)))
    assert result.returncode == 2
    assert "hazard: 必須の項目がありません" in result.stderr


def test_missing_file(tmp_path):
    result = cli("assess", str(tmp_path / "nothing.json"))
    assert result.returncode == 2
    assert "nothing.json" in result.stderr and "Traceback" not in result.stderr


def test_bad_json(tmp_path):
    result = cli("assess", str(write(tmp_path, '{"hazard": "flood",\n  oops')))
    assert result.returncode == 2
    assert "JSON" in result.stderr and "Traceback" not in result.stderr


def test_unknown_rules_version(tmp_path):
    result = cli("assess", "--rules-version", "1999-01", str(EXAMPLES / "flood-external-first.json"))
    assert result.returncode == 2
    assert "rules_version" in result.stderr and "1999-01" in result.stderr


def test_forms_lists_versions_with_hash_and_unconfirmed_count():
    result = cli("forms")
    assert result.returncode == 0, result.stderr
    for version in ("2013-06", "2018-03", "2020-03", "2021-03", "2024-05", "2025-07"):
        assert version in result.stdout
    assert "調査票" in result.stdout and "水害" in result.stdout


def test_forms_json():
    result = cli("forms", "--json")
    assert result.returncode == 0, result.stderr
    listing = json.loads(result.stdout)
    current = next(r for r in listing["rule_sets"] if r["version"] == "2024-05")
    assert current["effective_from"] == "2024-05-31" and len(current["sha256"]) == 64
    assert current["unconfirmed_count"] > 0
    assert set(current["hazards"]) == {"earthquake", "flood", "wind", "liquefaction"}
    assert [f["hazard"] for f in listing["forms"]] == ["earthquake", "flood", "wind", "liquefaction"]
