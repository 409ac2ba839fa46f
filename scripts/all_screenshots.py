"""Regenerate every screenshot the README and the guides use, Japanese and English.

    .venv/bin/python scripts/all_screenshots.py

Each script runs in its own process (Qt allows one QApplication, and WebEngine wants its flags
before it) with the app's language set: Japanese into docs/screenshots/, English into
docs/screenshots/en/. The certificate is a Japanese form in both, so it is made once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PER_LANGUAGE = ("screenshots.py", "dialog_screenshots.py", "office_setup_screenshots.py",
                "office_screenshots.py", "sync_screenshots.py")
ENV = {"QT_QPA_PLATFORM": "offscreen", "QTWEBENGINE_DISABLE_SANDBOX": "1",
       "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox --disable-gpu"}


def main() -> int:
    env = {**os.environ, **ENV}
    runs = [[str(HERE / name), "--lang", lang] for lang in ("ja", "en") for name in PER_LANGUAGE]
    runs.append([str(HERE / "certificate_screenshot.py")])
    for args in runs:
        print("==", " ".join(Path(a).name for a in args), flush=True)
        subprocess.run([sys.executable, *args], env=env, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
