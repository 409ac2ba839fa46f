"""Build the PyInstaller bundle from build.spec for real, then use it as a fresh laptop would:
a clean environment (no venv, no repo, no SURVEY_APP_* variables), offscreen Qt.

Slow (a 1-3 minute build) but never skipped: CI has to prove the bundle works.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

REPO = Path(__file__).resolve().parents[2]
SIZE_LIMIT = 1_000_000_000  # above this the map would have to leave the bundle (build.spec)



def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(out / "dist"), "--workpath", str(out / "work"), "build.spec"],
        cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    folder = out / "dist" / "survey-app"
    size = folder_size(folder)
    # Shown in the CI log whatever pytest's capture settings.
    sys.__stdout__.write(f"\nbundle: {folder} {size / 1e6:.0f} MB, built in "
                         f"{time.monotonic() - started:.0f} s\n")
    return folder


@pytest.fixture
def clean_env(tmp_path) -> dict[str, str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8",
           "QT_QPA_PLATFORM": "offscreen"}
    if "SYSTEMROOT" in os.environ:  # Windows cannot start a process without it
        env["SYSTEMROOT"] = os.environ["SYSTEMROOT"]
    return env


def run(bundle: Path, env: dict, *args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    exe = bundle / ("survey-app.exe" if os.name == "nt" else "survey-app")
    return subprocess.run([str(exe), *args], env=env, capture_output=True, text=True,
                          timeout=timeout, cwd=env["HOME"])


@pytest.mark.slow
def test_bundle_is_complete_and_within_size(bundle):
    internal = bundle / "_internal"
    assert (bundle / "survey-app-gui").exists() or (bundle / "survey-app-gui.exe").exists()
    assert (internal / "forms" / "examples" / "earthquake-wood-first.json").is_file()
    assert (internal / "resources" / "i18n" / "ja" / "backup.toml").is_file()
    # Qt's own buttons and file dialogs in Japanese (survey_app.ui.app loads it at start-up).
    assert list(internal.glob("PySide6/**/translations/qtbase_ja.qm"))
    fonts = sorted(p.name for p in (internal / "resources" / "fonts").glob("*.tt[fc]"))
    assert fonts, "no Japanese font was copied into the bundle"
    for package in ("leaflet", "leaflet_markercluster", "jquery"):
        assert list((internal / "xstatic" / "pkg" / package / "data").rglob("*.js"))
    assert folder_size(bundle) < SIZE_LIMIT


@pytest.mark.slow
def test_bundled_command_line_judges_a_survey(bundle, clean_env):
    example = REPO / "forms" / "examples" / "earthquake-wood-first.json"
    done = run(bundle, clean_env, "assess", str(example))
    assert done.returncode == 0, done.stderr
    judged = json.loads(done.stdout)
    assert judged["grade_code"] in ("zenkai", "daikibo", "chukibo", "hankai", "junhankai",
                                    "ichibu") and judged["rules_version"]
    forms = run(bundle, clean_env, "forms")
    assert forms.returncode == 0 and "規則集" in forms.stdout and "2009-06" in forms.stdout


@pytest.mark.slow
def test_bundled_command_line_prints_a_certificate(bundle, clean_env, tmp_path):
    home = tmp_path / "h"
    made = run(bundle, clean_env, "demo", "--buildings", "20", "--home", str(home))
    assert made.returncode == 0, made.stderr
    conn = sqlite3.connect(home / "survey.db")
    disaster = conn.execute("SELECT id FROM disasters WHERE hazard = 'earthquake'").fetchone()[0]
    conn.close()
    env = {**clean_env, "SURVEY_APP_HOME": str(home)}
    pdf = tmp_path / "certificates.pdf"
    issued = run(bundle, env, "issue", "--all-judged", "--disaster", disaster, "--out", str(pdf),
                 "--actor", "窓口")
    assert issued.returncode == 0, issued.stderr
    assert re.search(r"^第\d+号\t", issued.stdout, re.M), issued.stdout
    page = PdfReader(str(pdf)).pages[0]
    assert "罹災証明書" in page.extract_text()
    fonts = {f["/BaseFont"] for f in page["/Resources"]["/Font"].values()}
    assert any("IPAex" in str(f) or "BIZUD" in str(f) for f in fonts), fonts  # embedded TTF
    listed = run(bundle, env, "certificates", "list", "--disaster", disaster, "--actor", "窓口")
    assert listed.returncode == 0 and re.match(r"第\d+号\t", listed.stdout), listed.stdout


@pytest.mark.slow
def test_bundled_support_bundle_knows_it_is_frozen(bundle, clean_env, tmp_path):
    home = tmp_path / "h"
    assert run(bundle, clean_env, "demo", "--buildings", "10", "--home", str(home)).returncode == 0
    done = run(bundle, clean_env, "support-bundle", str(tmp_path / "s.zip"), "--home", str(home))
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(tmp_path / "s.zip") as zf:
        report = json.loads(zf.read("support.json"))
    assert report["versions"]["frozen"] is True and report["versions"]["packages"]["PySide6"]


@pytest.mark.slow
def test_bundled_app_shows_its_main_window(bundle, clean_env, tmp_path):
    home = tmp_path / "h"
    assert run(bundle, clean_env, "demo", "--buildings", "10", "--home", str(home)).returncode == 0
    done = run(bundle, clean_env, "gui", "--home", str(home), "--quit-when-shown", timeout=90)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "shown" in done.stdout


def test_the_spec_excludes_no_qt_module_the_app_imports():
    """An excluded module the app imports would only fail on a laptop, at run time."""
    spec = (REPO / "build.spec").read_text(encoding="utf-8")
    block = spec[spec.index("EXCLUDES = ["):]
    excluded = set(re.findall(r'"(PySide6\.\w+)"', block[:block.index("\n]")]))
    assert "PySide6.QtQml" in excluded  # the parsing works
    imported = set()
    for path in (REPO / "survey_app").rglob("*.py"):
        imported |= set(re.findall(r"\b(PySide6\.Qt\w+)", path.read_text(encoding="utf-8")))
    assert sorted(imported & excluded) == []
