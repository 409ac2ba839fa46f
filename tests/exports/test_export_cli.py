"""`survey-app export` and `survey-app import` through the real entry point."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.exports.test_registers import GOOD_AND_BAD

REPO = Path(__file__).resolve().parents[2]


def cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SURVEY_APP_LANG": "ja", "SURVEY_APP_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "survey_app", *args], capture_output=True,
                          text=True, encoding="utf-8", cwd=REPO, env=env, timeout=120)


@pytest.mark.parametrize("kind,name", [("fdma", "fdma.pdf"), ("fdma", "fdma.xlsx"),
                                       ("geojson", "g.geojson"), ("kml", "k.kml"),
                                       ("csv", "b.csv"), ("ledger", "l.csv"),
                                       ("dashboard", "d.html")])
def test_every_export_runs_from_the_command_line(app_home, data, tmp_path, kind, name):
    out = tmp_path / name
    result = cli(app_home, "export", kind, "--disaster", data["E"], "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 0 and str(out) in result.stdout


def test_fdma_over_two_disasters(app_home, data, tmp_path):
    out = tmp_path / "fdma.csv"
    result = cli(app_home, "export", "fdma", "--disaster", data["E"], "--disaster", data["F"],
                 "--out", str(out))
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8-sig", newline="") as fh:
        names = [row[1] for row in csv.reader(fh)][1:]
    assert names == ["輪島市", "珠洲市", "合計"]


def test_user_errors_are_one_japanese_line(app_home, data, tmp_path):
    result = cli(app_home, "export", "geojson", "--disaster", "nope", "--out",
                 str(tmp_path / "x.geojson"))
    assert result.returncode == 2
    assert result.stderr.strip() == "エラー: 災害「nope」が見つかりません"
    result = cli(app_home, "export", "csv", "--out", str(tmp_path / "x.csv"))
    assert result.returncode == 2 and "--disaster" in result.stderr   # two disasters: name one


def test_import_reports_bad_lines_and_a_second_run_changes_nothing(app_home, data, tmp_path):
    path = tmp_path / "kaoku.csv"
    path.write_text(GOOD_AND_BAD, encoding="utf-8")
    mapping = json.dumps({"kaoku_no": "家屋番号", "address": "所在地", "owner_name": "所有者氏名"},
                         ensure_ascii=False)
    first = cli(app_home, "import", "buildings", str(path), "--disaster", data["E"],
                "--mapping", mapping)
    assert first.returncode == 1     # some rows were not imported (only 3 columns mapped)
    assert "  3行目: 「所在地」が空です" in first.stdout
    assert "  9行目:" in first.stdout and "追加 5" in first.stdout
    second = cli(app_home, "import", "buildings", str(path), "--disaster", data["E"])
    assert "追加 0、更新 0、変更なし 5" in second.stdout
    assert "変更はありません" in second.stdout
