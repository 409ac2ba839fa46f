"""Regenerate docs/screenshots/certificate.png: a demo household's 罹災証明書, rendered by
pdftoppm. Run: .venv/bin/python scripts/certificate_screenshot.py"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from survey_app.services.demo import build_demo  # noqa: E402
from survey_app.services.office import load_settings, save_settings  # noqa: E402
from survey_app.services.office_issuing import issue_certificate, members_text  # noqa: E402
from survey_app.services.workspace import Workspace  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(Path(tmp) / "ws", actor="デモ 窓口")
        build_demo(ws, buildings=40, photo_homes=0, seed=11)
        app = ws.store.db.execute(
            "SELECT a.id, a.disaster_id FROM applications a JOIN surveys s ON"
            " s.building_id = a.building_id WHERE s.grade_code = 'daikibo'"
            " OR s.grade_code = 'chukibo' LIMIT 1").fetchone()
        settings = load_settings(ws, ws.store.buildings.disaster(app[1]))
        settings.mayor_name = "見本　太郎"
        save_settings(ws, settings)
        members = ws.store.applications.get(app[0])["members"]
        outcome = issue_certificate(ws, app[0], extras=(members_text(members), "",
                                                        "付属の物置：全壊（届出）"))
        target = ROOT / "docs" / "screenshots" / "certificate"
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", str(outcome.pdf_path),
                        str(target)], check=True)
        ws.close()
    print(target.with_suffix(".png"))
    return 0 if shutil.which("pdftoppm") else 1


if __name__ == "__main__":
    raise SystemExit(main())
