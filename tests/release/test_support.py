"""The support bundle tells an administrator what they need and holds no personal data."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from survey_app.services.support import create_support_bundle
from survey_app.services.support_redact import MASK, Redactor
from survey_app.services.workspace import Workspace
from tests.release.release_data import build_demo_home


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory) -> Path:
    return build_demo_home(tmp_path_factory.mktemp("support") / "home")


def personal_values(home: Path) -> list[str]:
    ws = Workspace(home)
    try:
        rows = ws.store.db.execute(
            "SELECT applicant_name, applicant_kana, household_address, damaged_address"
            " FROM applications UNION ALL SELECT owner_name, owner_kana, address, ''"
            " FROM buildings").fetchall()
    finally:
        ws.close()
    return sorted({v for row in rows for v in row if v})


def bundle_texts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n).decode("utf-8") for n in zf.namelist()}


def test_bundle_reports_versions_schema_counts_audit_and_outbox(demo_home, tmp_path):
    result = create_support_bundle(demo_home, tmp_path / "support.zip", verify_blobs=True)
    report = json.loads(bundle_texts(result.path)["support.json"])
    ws = Workspace(demo_home)
    try:
        db = ws.store.db
        assert report["store"]["counts"]["surveys"] == db["surveys"].count
        assert report["store"]["outbox"]["count"] == db["sync_outbox"].count > 0
        assert report["store"]["audit"] == {"ok": True, "entries": db["audit_log"].count,
                                            "first_bad_seq": None, "reason": ""}
    finally:
        ws.close()
    assert report["store"]["integrity"] == "ok"
    assert report["store"]["migrations"][:2] == ["m001_core", "m002_fulltext"]
    assert report["versions"]["python"] == ".".join(map(str, sys.version_info[:3]))
    assert report["versions"]["packages"]["PySide6"]  # Qt's version, read without importing Qt
    assert report["blobs"] == {"count": 8, "bytes": report["blobs"]["bytes"], "temp_files": 0,
                               "bad_hash": []}
    assert "sync_meta" not in json.dumps(report)  # server address and tokens stay out


def test_no_name_address_or_contact_leaves_the_laptop(demo_home, tmp_path):
    values = personal_values(demo_home)
    name, address = values[0], next(v for v in values if "町" in v)
    logs = demo_home / "logs"
    logs.mkdir(exist_ok=True)
    (logs / "app.log").write_text(textwrap.dedent(f"""\
        2026-04-20 09:00:01 INFO sync pushed 12 changes
        2026-04-20 09:00:02 WARNING save failed for {name} at {address}
        2026-04-20 09:00:03 INFO applicant {name.replace(" ", "")} called 090-1234-5678
        2026-04-20 09:00:04 INFO mail from taro.yamada@example.jp
        2026-04-20 09:00:05 INFO photo 0123abcd{"e" * 56} stored
        """), encoding="utf-8")
    try:
        result = create_support_bundle(demo_home, tmp_path / "support.zip")
    finally:
        (logs / "app.log").unlink()
        logs.rmdir()
    texts = bundle_texts(result.path)
    assert result.logs == ["logs/app.log"]
    log = texts["logs/app.log"]
    assert "sync pushed 12 changes" in log and f"0123abcd{'e' * 56}" in log  # ids stay useful
    assert log.count(MASK) >= 5
    everything = "\n".join(texts.values())
    leaked = [v for v in values if v in everything]
    assert leaked == []
    for secret in ("090-1234-5678", "taro.yamada@example.jp"):
        assert secret not in everything
    with zipfile.ZipFile(result.path) as zf:
        assert sorted(zf.namelist()) == ["logs/app.log", "support.json"]  # no photos


def test_redactor_prefers_the_longest_known_string():
    redact = Redactor(["山田 太郎", "山田", "熊本県益城町宮園1-2-3"])
    assert redact("山田 太郎 様 (熊本県益城町宮園1-2-3) と 山田さん") == (
        f"{MASK} 様 ({MASK}) と {MASK}さん")
    assert redact("2026-04-14 09:30 surveys=12") == "2026-04-14 09:30 surveys=12"


def test_a_damaged_store_still_gives_a_bundle(tmp_path):
    home = tmp_path / "home"
    (home / "logs").mkdir(parents=True)
    (home / "survey.db").write_bytes(b"this is not a database" * 100)
    (home / "logs" / "app.log").write_text("save failed for 山田 太郎\n", encoding="utf-8")
    result = create_support_bundle(home, tmp_path / "support.zip")
    texts = bundle_texts(result.path)
    report = json.loads(texts["support.json"])
    assert "not a database" in report["store"]["integrity"]["error"]
    # The names to mask cannot be read, so no log goes out rather than an unmasked one.
    assert "logs_omitted" in report and result.logs == []
    assert "山田" not in "\n".join(texts.values())


def test_support_bundle_does_not_import_qt(demo_home, tmp_path):
    code = textwrap.dedent(f"""
        import sys
        from survey_app.services.support import create_support_bundle
        create_support_bundle({str(demo_home)!r}, {str(tmp_path / 's.zip')!r})
        assert not any(m.startswith(("PySide6", "shiboken6")) for m in sys.modules), "Qt loaded"
    """)
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_command_line_support_bundle(demo_home, tmp_path):
    done = subprocess.run([sys.executable, "-m", "survey_app", "support-bundle",
                           str(tmp_path / "s.zip"), "--home", str(demo_home)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "個人情報" not in done.stderr
    assert "氏名・住所・写真は含まれていません" in done.stdout
    assert (tmp_path / "s.zip").is_file()
