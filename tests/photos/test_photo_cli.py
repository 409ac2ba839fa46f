"""`survey-app photo-info FILE...`, run as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _photo_info(*files: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "survey_app", "photo-info", *map(str, files)],
        capture_output=True, text=True, encoding="utf-8", cwd=REPO, timeout=120,
    )  # fmt: skip


def test_one_json_line_per_file_and_exit_0(exif_samples):
    files = [exif_samples / "gps" / "DSCN0010.jpg", exif_samples / "orientation" / "portrait_6.jpg"]
    result = _photo_info(*files)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["path"] for line in lines] == [str(f) for f in files]
    assert abs(lines[0]["latitude"] - 43.467448) < 1e-6
    assert lines[0]["taken_at"] == "2008-10-22T16:28:39"
    assert (lines[1]["width"], lines[1]["height"], lines[1]["orientation"]) == (450, 600, 6)
    assert result.stderr == ""


def test_bad_files_get_an_error_line_and_the_others_still_go_through(make_jpeg, bad_files):
    good = make_jpeg("good.jpg")
    files = [bad_files["truncated"], good, bad_files["not_image"], bad_files["empty"]]
    result = _photo_info(*files, good.parent / "missing.jpg")
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 5
    assert [line.get("error_code") for line in lines] == [
        "truncated", None, "not_image", "empty", "unreadable",
    ]  # fmt: skip
    assert lines[1]["mime"] == "image/jpeg"
    # Japanese is printed as such, not as \\u escapes.
    assert "途中で切れています" in result.stdout
    assert "Traceback" not in result.stderr


def test_without_files_argparse_complains(tmp_path):
    result = _photo_info()
    assert result.returncode == 2 and "FILE" in result.stderr
