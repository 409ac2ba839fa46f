from __future__ import annotations

import subprocess
import sys

from survey_app.services.demo import build_demo
from survey_app.services.workspace import Workspace

GRADES = {"zenkai", "daikibo", "chukibo", "hankai", "junhankai", "ichibu"}


def test_demo_covers_grades_hazards_statuses_and_photos(tmp_path):
    ws = Workspace(tmp_path / "ws", actor="test")
    summary = build_demo(ws, buildings=400, photo_homes=3, seed=7)
    db = ws.store.db
    grades = {r[0] for r in db.execute("SELECT DISTINCT grade_code FROM surveys WHERE grade_code"
                                       " IS NOT NULL")}
    hazards = {r[0] for r in db.execute("SELECT DISTINCT hazard FROM surveys")}
    statuses = {r[0] for r in db.execute("SELECT DISTINCT status FROM surveys")}
    assert grades == GRADES
    assert hazards == {"earthquake", "flood", "wind", "liquefaction"}
    assert {"unsurveyed", "draft", "completed", "resurvey_requested"} <= statuses
    assert summary.buildings == 400 and summary.photos == 12
    located = db.execute("SELECT count(*) FROM photos WHERE lat BETWEEN 32.7 AND 32.9 AND"
                         " lon BETWEEN 130.7 AND 130.9").fetchone()[0]
    assert located == 12
    for sha in ws.store.photos.all_shas():
        assert ws.blobs.verify(sha)
    assert ws.store.audit.verify().ok
    ws.close()


def test_demo_is_reproducible(tmp_path):
    def grades(path):
        ws = Workspace(path, actor="t")
        build_demo(ws, buildings=60, photo_homes=0, seed=3)
        out = [r[0] for r in ws.store.db.execute(
            "SELECT grade_code FROM surveys ORDER BY address, stage")]
        ws.close()
        return out

    assert grades(tmp_path / "a") == grades(tmp_path / "b")


def test_demo_command_fills_once(tmp_path):
    cmd = [sys.executable, "-m", "survey_app", "demo", "--home", str(tmp_path), "--buildings",
           "50"]
    first = subprocess.run(cmd, capture_output=True, text=True, check=True)
    assert "デモデータを作成しました" in first.stdout
    again = subprocess.run(cmd, capture_output=True, text=True, check=True)
    assert "既にあります" in again.stdout
    bad = subprocess.run([*cmd[:-1], "5"], capture_output=True, text=True)
    assert bad.returncode == 2 and "10〜300000" in bad.stderr and "Traceback" not in bad.stderr
